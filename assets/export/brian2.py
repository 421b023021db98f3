#!/usr/bin/env python3
"""A neurevo network rebuilt in Brian2 (written by `neurevo export RUN_DIR --to brian2`).

The evolved network of the run named in PAYLOAD["run"] (every neuron constant, synapse weight and
delay as neurevo decoded them) is built in Brian2 and driven open loop with the observations of
the run's first held-out episode, as the network saw them (normalised). Brian2 integrates
neurevo's scheme substep by substep in float32:

    g_E <- g_E * syn_decay + input_E;   g_I likewise (AMPA and GABA conductances, nS)
    V   <- V + dt/C (g_L (V_rest - V) + g_E (E_E - V) + g_I (E_I - V) + I_offset + I_input + I_noise)
    graded neurons:  signal = smoothstep((V - low) * inv_width)
    spiking neurons: refractory: counter - 1, V <- V_reset; else V > V_th: spike, V <- V_reset

Spiking synapses are Brian2 Synapses with their delays (a spike's conductance arrives `delay`
substeps after it); graded synapses (continuous signals with delays, which Brian2's Synapses do
not carry) are summed from a signal history by a network_operation, as are the input currents.
The input noise, where the network has any, is drawn by numpy, not neurevo's stream: the
comparison then holds only statistically.

    python THIS_FILE.py [--out brian2_recording.json]

prints how many of neurevo's spikes Brian2 reproduces on the same substep and how far the
outputs and potentials are apart, and writes Brian2's recording as JSON. Needs brian2 and numpy.
"""
import argparse
import json

import numpy as np

PAYLOAD = json.loads(r"""__NEUREVO_EXPORT_PAYLOAD__""")


def simulate(net, observations, seed=0):
    """Runs the network on `observations` (steps x inputs, normalised); returns spikes (substep,
    neuron) from the first step after the warm-up, outputs and end-of-step potentials per step."""
    import brian2 as b2

    b2.prefs.codegen.target = "numpy"
    b2.prefs.core.default_float_dtype = np.float32
    b2.defaultclock.dt = net["dt_ms"] * b2.ms
    n, S = net["neurons"], net["substeps"]
    f32 = lambda key: np.asarray(net[key], dtype=np.float32)
    is_spiking = np.asarray(net["spiking_per_neuron"], dtype=bool)
    group = b2.NeuronGroup(
        n,
        """v : 1
           ge : 1
           gi : 1
           in_e : 1
           in_i : 1
           counter : 1
           held : 1
           spk : 1
           sig : 1
           i_inj : 1
           noise : 1
           dt_over_c : 1 (constant)
           g_leak : 1 (constant)
           v_rest : 1 (constant)
           v_reset : 1 (constant)
           v_threshold : 1 (constant)
           ref_steps : 1 (constant)
           offset : 1 (constant)
           low : 1 (constant)
           inv_width : 1 (constant)
           spiking : 1 (constant)
           decay : 1 (constant)
           e_exc : 1 (constant)
           e_inh : 1 (constant)""",
        threshold="spiking > 0.5 and held < 0.5 and v > v_threshold",
        reset="v = v_reset\ncounter = ref_steps\nspk = 1",
        name="neurevo_network",
    )
    for key in ("dt_over_c", "g_leak", "v_rest", "v_reset", "v_threshold", "offset"):
        setattr(group, key, f32(key))
    group.low = f32("graded_low")
    group.inv_width = f32("graded_inv_width")
    group.ref_steps = np.asarray(net["refractory"], dtype=np.float32)
    group.spiking = is_spiking.astype(np.float32)
    group.v = f32("v_init")
    group.decay = np.float32(net["syn_decay"])
    group.e_exc = np.float32(net["e_exc"])
    group.e_inh = np.float32(net["e_inh"])
    group.run_regularly(
        """spk = 0
           ge = ge * decay + in_e
           gi = gi * decay + in_i
           in_e = 0
           in_i = 0
           v = v + dt_over_c * (g_leak * (v_rest - v) + ge * (e_exc - v) + gi * (e_inh - v) + offset + i_inj + noise)
           held = int(spiking > 0.5 and counter > 0.5)
           v = v_reset * held + v * (1 - held)
           counter = counter - held
           sig = clip((v - low) * inv_width, 0, 1)
           sig = sig * sig * (3 - 2 * sig)""",
        when="groups",
    )
    pre, post = np.asarray(net["pre"], dtype=int), np.asarray(net["post"], dtype=int)
    receptor, delay = np.asarray(net["receptor"], dtype=int), np.asarray(net["delay"], dtype=int)
    weight = f32("weight")
    objects = [group]
    from_spiking = is_spiking[pre] if len(pre) else np.zeros(0, dtype=bool)
    for r, target in ((0, "in_e"), (1, "in_i")):
        sel = (receptor == r) & from_spiking
        if sel.any():
            syn = b2.Synapses(group, group, "w : 1", on_pre=f"{target}_post += w", name=f"spiking_{target}")
            syn.connect(i=pre[sel], j=post[sel])
            syn.w = weight[sel]
            syn.delay = (delay[sel] - 1) * b2.defaultclock.dt  # lands after the step's synapse slot
            objects.append(syn)
    graded = ~from_spiking
    g_pre, g_post, g_w, g_d = pre[graded], post[graded], weight[graded], delay[graded]
    g_exc = receptor[graded] == 0
    ring = int(delay.max()) + 1 if len(delay) else 1
    history = np.zeros((ring, n), dtype=np.float32)  # graded signals of the last `ring` substeps

    inputs, out_begin, n_out = net["inputs"], net["output_begin"], net["outputs"]
    gain, bias = np.float32(net["input_gain"]), np.float32(net["input_bias"])
    targets = np.asarray(net["current_targets"], dtype=int)
    in_w = f32("input_weights").reshape(len(targets), -1) if len(targets) else None
    noise_std = f32("noise_std")
    rng = np.random.default_rng(seed)
    warm = net["warmup_steps"]
    drive = [observations[0]] * warm + list(observations)
    out_spiking = is_spiking[out_begin:out_begin + n_out]
    trace = np.zeros(n_out, dtype=np.float32)
    out_acc = np.zeros(n_out, dtype=np.float32)
    record = {"outputs": [], "v": [], "spike_substep": [], "spike_neuron": []}
    clock = {"k": 0}

    @b2.network_operation(when="start")
    def before_substep():
        k = clock["k"]
        s = k % S
        if s == 0:  # a new environment step: its input currents
            x = np.asarray(drive[k // S], dtype=np.float32)
            current = np.zeros(n, dtype=np.float32)
            if net["pair_encoding"]:
                for i in range(0, inputs - 1, 2):
                    d = gain * x[i // 2]
                    current[i], current[i + 1] = bias + d, bias - d
            else:
                current[:inputs] = bias + gain * x[:inputs]
            for r, j in enumerate(targets):
                c = bias
                for i in range(len(x)):
                    c = np.float32(c + in_w[r, i] * x[i])
                current[j] = c
            group.i_inj[:] = current
        if net["has_noise"] and s % net["noise_interval"] == 0:
            group.noise[:] = noise_std * rng.standard_normal(n).astype(np.float32)
        if len(g_pre):
            contribution = g_w * history[(k - g_d) % ring, g_pre]
            in_e = np.asarray(group.in_e[:], dtype=np.float32).copy()
            in_i = np.asarray(group.in_i[:], dtype=np.float32).copy()
            np.add.at(in_e, g_post[g_exc], contribution[g_exc])
            np.add.at(in_i, g_post[~g_exc], contribution[~g_exc])
            group.in_e[:] = in_e
            group.in_i[:] = in_i

    @b2.network_operation(when="end")
    def after_substep():
        k = clock["k"]
        s = k % S
        sig = np.asarray(group.sig[:], dtype=np.float32)
        spk = np.asarray(group.spk[:]) > 0.5
        history[k % ring] = np.where(is_spiking, 0.0, sig)
        step = k // S
        if step >= warm:
            for j in np.flatnonzero(spk):
                record["spike_substep"].append(int(k - warm * S))
                record["spike_neuron"].append(int(j))
        signal = np.where(out_spiking, spk[out_begin:out_begin + n_out].astype(np.float32),
                          sig[out_begin:out_begin + n_out])
        for o in range(n_out):
            if out_spiking[o]:
                trace[o] = np.float32(trace[o] * np.float32(net["trace_decay"])
                                      + np.float32(net["trace_increment"]) * signal[o])
                out_acc[o] = np.float32(out_acc[o] + trace[o])
            else:
                out_acc[o] = np.float32(out_acc[o] + signal[o])
        if s == S - 1:
            if step >= warm:
                inv = np.float32(1.0) / np.float32(S)
                record["outputs"].append(readout(net, np.minimum(out_acc * inv, np.float32(1))).tolist())
                record["v"].append(np.asarray(group.v[:], dtype=np.float32).tolist())
            out_acc[:] = 0
        clock["k"] = k + 1

    network = b2.Network(*objects, before_substep, after_substep)
    network.run(len(drive) * S * b2.defaultclock.dt)
    return record


def readout(net, activity):
    """The policy outputs from the read neurons' step activity: themselves, or (model.readout = "linear")
    0.5 + 0.5 clip(b + W a, -1, 1), summed in order in float32 as neurevo's LIF policy decodes them."""
    k = net["readout_outputs"]
    if k == 0:
        return activity
    w = np.asarray(net["readout_weights"], dtype=np.float32).reshape(k, -1)
    out = np.empty(k, dtype=np.float32)
    for o in range(k):
        y = np.float32(net["readout_bias"][o])
        for j in range(len(activity)):
            y = np.float32(y + w[o, j] * activity[j])
        out[o] = np.float32(0.5) + np.float32(0.5) * np.float32(min(max(y, -1.0), 1.0))
    return out


def compare(ours, theirs):
    a = set(zip(ours["spike_substep"], ours["spike_neuron"]))
    b = set(zip(theirs["spike_substep"], theirs["spike_neuron"]))
    steps = min(len(ours["outputs"]), len(theirs["outputs"]))
    out_a, out_b = np.asarray(ours["outputs"][:steps]), np.asarray(theirs["outputs"][:steps])
    v_a, v_b = np.asarray(ours["v"][:steps]), np.asarray(theirs["v"][:steps])
    return {
        "steps": steps,
        "spikes_neurevo": len(a),
        "spikes_brian2": len(b),
        "spikes_same_substep": len(a & b),
        "spike_match": len(a & b) / max(len(a), len(b)) if (a or b) else 1.0,
        "outputs_max_abs_diff": float(np.abs(out_a - out_b).max()) if steps else 0.0,
        "v_max_abs_diff_mV": float(np.abs(v_a - v_b).max()) if steps else 0.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="brian2_recording.json", help="Brian2's recording and the comparison (JSON)")
    parser.add_argument("--seed", type=int, default=0, help="numpy seed of the input noise (networks with noise)")
    args = parser.parse_args()
    net, ours = PAYLOAD["network"], PAYLOAD["neurevo"]
    run = PAYLOAD["run"]
    print(f"{run['model']} network of {run['run_dir']} ({run['task']}, best genome, generation index {run['generation']}): "
          f"{net['neurons']} neurons, {len(net['pre'])} synapses, {len(ours['observations'])} steps of "
          f"{net['substeps']} x {net['dt_ms']} ms")
    theirs = simulate(net, ours["observations"], args.seed)
    result = compare(ours, theirs)
    with open(args.out, "w") as f:
        json.dump({"run": run, "brian2": theirs, "comparison": result}, f)
    print(f"spikes: neurevo {result['spikes_neurevo']}, Brian2 {result['spikes_brian2']}, on the same substep "
          f"{result['spikes_same_substep']} ({100 * result['spike_match']:.1f} %)")
    print(f"outputs: max |difference| {result['outputs_max_abs_diff']:.3g}; potentials at the end of each step: "
          f"max |difference| {result['v_max_abs_diff_mV']:.3g} mV")
    if net["has_noise"]:
        print("note: the network has input noise, drawn here by numpy and in neurevo by its own stream; "
              "expect agreement in statistics, not spike for spike")


if __name__ == "__main__":
    main()
