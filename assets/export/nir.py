#!/usr/bin/env python3
"""A neurevo network as a NIR graph (written by `neurevo export RUN_DIR --to nir`).

Writes the evolved network of the run named in PAYLOAD["run"] in the Neuromorphic Intermediate
Representation (NIR, https://neuroir.org; the `nir` package on PyPI), for simulators and
neuromorphic hardware that read it (snnTorch, Norse, Lava, SpiNNaker, ...):

    input --> encoder (Affine) --> lif (CubaLIF) --> readout (Linear) --> output
                                   lif --> delay_D (Delay) --> synapses_D (Linear) --> lif   (one pair per delay D)

Every neuron is one CubaLIF unit (tau_mem = C / g_L, R = 1 / g_L, v_leak = V_rest, v_threshold,
v_reset, tau_syn); the recurrent synapses are grouped by their delay, each group a Delay node and
a Linear node of signed synaptic current weights; the encoder maps observations onto the input
currents (gain, bias, pair encoding, current targets) and carries each neuron's offset current.
Times are in seconds, potentials in mV, currents in pA, resistances in GOhm (1 / nS).

NIR CANNOT EXPRESS, and this graph therefore approximates or leaves out:
  - conductance-based synapses: NIR's synapses inject currents. A synapse's conductance weight w
    (nS) becomes the current w * (E_rev - V_rest) (pA), its driving force frozen at rest; the true
    current shrinks as V approaches E_rev (and grows for GABA as V rises).
  - the refractory period (NIR's LIF units have none);
  - neurevo's direct input currents: in NIR the encoder's current passes through the unit's
    synaptic filter (tau_syn), in neurevo it enters the membrane directly;
  - input noise (NIR has no noise source);
  - the readout: neurevo reads output neurons by their spike traces averaged over an environment
    step (then maps them to actions); the graph outputs the output neurons' spikes.
Delays are expressed exactly (Delay nodes, one per distinct delay).

    python THIS_FILE.py [--out network.nir]

Needs nir (pip install nir) and numpy.
"""
import argparse
import json

import numpy as np

PAYLOAD = json.loads(r"""__NEUREVO_EXPORT_PAYLOAD__""")


def graph(net):
    """The NIR graph of the exported network."""
    import nir

    n, dt_ms = net["neurons"], float(net["dt_ms"])
    arr = lambda key: np.asarray(net[key], dtype=np.float64)
    seconds = 1e-3  # ms -> s
    g_leak = arr("g_leak")
    c_m = dt_ms / arr("dt_over_c")
    tau_syn_ms = -dt_ms / np.log(float(net["syn_decay"]))
    nodes = {
        "lif": nir.CubaLIF(tau_syn=np.full(n, tau_syn_ms * seconds), tau_mem=c_m / g_leak * seconds, r=1.0 / g_leak,
                           v_leak=arr("v_rest"), v_threshold=arr("v_threshold"), v_reset=arr("v_reset"),
                           w_in=np.ones(n)),
    }
    # Observations -> input currents (pA), plus every neuron's offset current as the bias.
    obs_dim = len(PAYLOAD["neurevo"]["observations"][0]) if PAYLOAD["neurevo"]["observations"] else 0
    encoder = np.zeros((n, obs_dim))
    bias = arr("offset").copy()
    gain, in_bias, inputs = float(net["input_gain"]), float(net["input_bias"]), net["inputs"]
    if net["pair_encoding"]:
        for i in range(0, inputs - 1, 2):
            encoder[i, i // 2], encoder[i + 1, i // 2] = gain, -gain
            bias[i] += in_bias
            bias[i + 1] += in_bias
    else:
        for i in range(inputs):
            encoder[i, i] = gain
            bias[i] += in_bias
    targets = np.asarray(net["current_targets"], dtype=int)
    if len(targets):
        encoder[targets] = arr("input_weights").reshape(len(targets), -1)
        bias[targets] += in_bias
    # A spike (a delta) through the unit's synaptic filter, tau_syn dI/dt = -I + w S, raises I by
    # w / tau_syn: spike weights are scaled by tau_syn, so that a synapse of J pA raises I by J pA, as
    # in neurevo. A steady input u settles at I = u: the encoder's currents go in unscaled.
    tau_syn_s = tau_syn_ms * seconds
    nodes["input"] = nir.Input(input_type={"input": np.array([obs_dim])})
    nodes["encoder"] = nir.Affine(weight=encoder, bias=bias)
    edges = [("input", "encoder"), ("encoder", "lif")]
    pre, post = np.asarray(net["pre"], dtype=int), np.asarray(net["post"], dtype=int)
    receptor, delay, weight = np.asarray(net["receptor"]), np.asarray(net["delay"], dtype=int), arr("weight")
    v_rest = arr("v_rest")
    e_rev = np.where(receptor == 0, float(net["e_exc"]), float(net["e_inh"]))
    current = weight * (e_rev - v_rest[post]) if len(pre) else np.zeros(0)  # driving force frozen at rest
    for d in sorted(set(delay.tolist())):
        sel = delay == d
        w = np.zeros((n, n))
        np.add.at(w, (post[sel], pre[sel]), current[sel] * tau_syn_s)
        nodes[f"delay_{d}"] = nir.Delay(delay=np.full(n, d * dt_ms * seconds))
        nodes[f"synapses_{d}"] = nir.Linear(weight=w)
        edges += [("lif", f"delay_{d}"), (f"delay_{d}", f"synapses_{d}"), (f"synapses_{d}", "lif")]
    out_begin, n_out = net["output_begin"], net["outputs"]
    readout = np.zeros((n_out, n))
    readout[np.arange(n_out), out_begin + np.arange(n_out)] = 1.0
    nodes["readout"] = nir.Linear(weight=readout)
    nodes["output"] = nir.Output(output_type={"output": np.array([n_out])})
    edges += [("lif", "readout"), ("readout", "output")]
    run = PAYLOAD["run"]
    return nir.NIRGraph(nodes=nodes, edges=edges,
                        metadata={"source": "neurevo export", "run_dir": run["run_dir"], "task": run["task"],
                                  "model": run["model"], "units": "s, mV, pA, GOhm",
                                  "not_expressed": "conductance synapses (driving force frozen at V_rest), "
                                                   "refractory period, direct input currents (filtered here), "
                                                   "input noise, the spike-trace readout"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="network.nir", help="the NIR file (HDF5) to write")
    args = parser.parse_args()
    import nir

    g = graph(PAYLOAD["network"])
    nir.write(args.out, g)
    delays = sorted(k for k in g.nodes if k.startswith("delay_"))
    print(f"wrote {args.out}: {PAYLOAD['network']['neurons']} CubaLIF units, {len(PAYLOAD['network']['pre'])} "
          f"synapses in {len(delays)} delay groups")
    print("not expressed in NIR: " + g.metadata["not_expressed"])


if __name__ == "__main__":
    main()
