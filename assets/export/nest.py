#!/usr/bin/env python3
"""A neurevo network rebuilt in NEST (written by `neurevo export RUN_DIR --to nest`).

The evolved network of the run named in PAYLOAD["run"] is built from NEST's `iaf_cond_exp` (the same
conductance LIF: AMPA and GABA conductances that jump by a synapse's weight when its spike arrives
and decay with tau_syn) with `static_synapse`s carrying every evolved weight (nS) and delay, and
driven open loop with the observations of the run's first held-out episode, as the network saw
them (normalised): each input neuron's current is a `step_current_generator` that changes at every
environment step, and any input noise a `noise_generator` per neuron with the evolved standard
deviation, held for neurevo's noise interval.

NEST integrates the neuron with an adaptive Runge-Kutta solver (GSL RK45); neurevo takes forward
Euler steps of dt. Spike times therefore agree to within a substep or so at first, and a recurrent
network's trajectories drift apart after that: compare spike counts and rates, not spike for
spike (for that: `neurevo export --to brian2`, which follows neurevo's scheme exactly).

    python THIS_FILE.py [--out nest_recording.json]

prints the comparison with neurevo's own recording of the same input and writes NEST's recording
as JSON. Needs nest-simulator (pip install nest-simulator) and numpy.
"""
import argparse
import json

import numpy as np

PAYLOAD = json.loads(r"""__NEUREVO_EXPORT_PAYLOAD__""")


def simulate(net, observations, seed=1):
    """Runs the network on `observations` (steps x inputs); returns spikes (substep, neuron) from the
    first step after the warm-up, outputs and end-of-step potentials per step."""
    import os

    os.environ.setdefault("PYNEST_QUIET", "1")  # no banner
    import nest

    if hasattr(nest, "VerbosityLevel"):
        nest.verbosity = nest.VerbosityLevel.ERROR
    else:
        nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    dt, n, S = float(net["dt_ms"]), net["neurons"], net["substeps"]
    nest.set(resolution=dt, local_num_threads=1, rng_seed=seed)
    pop = nest.Create("iaf_cond_exp", n)
    arr = lambda key: np.asarray(net[key], dtype=float)
    tau_syn = -dt / np.log(float(net["syn_decay"]))
    pop.set(C_m=list(dt / arr("dt_over_c")), g_L=list(arr("g_leak")), E_L=list(arr("v_rest")),
            V_reset=list(arr("v_reset")), V_th=list(arr("v_threshold")), V_m=list(arr("v_init")),
            t_ref=list(arr("refractory") * dt), I_e=list(arr("offset")), E_ex=float(net["e_exc"]),
            E_in=float(net["e_inh"]), tau_syn_ex=tau_syn, tau_syn_in=tau_syn, g_ex=0.0, g_in=0.0)
    first = pop[0].global_id
    if len(net["pre"]):
        sign = np.where(np.asarray(net["receptor"]) == 0, 1.0, -1.0)  # GABA: negative weights in NEST
        nest.Connect(np.asarray(net["pre"], dtype=np.int64) + first, np.asarray(net["post"], dtype=np.int64) + first,
                     conn_spec="one_to_one",
                     syn_spec={"synapse_model": "static_synapse", "weight": sign * arr("weight"),
                               "delay": arr("delay") * dt})
    warm = net["warmup_steps"]
    drive = np.asarray([observations[0]] * warm + list(observations), dtype=float)
    steps, step_ms = len(drive), S * dt
    currents = np.zeros((steps, n))
    gain, bias, inputs = float(np.float32(net["input_gain"])), float(np.float32(net["input_bias"])), net["inputs"]
    if net["pair_encoding"]:
        for i in range(0, inputs - 1, 2):
            currents[:, i], currents[:, i + 1] = bias + gain * drive[:, i // 2], bias - gain * drive[:, i // 2]
    else:
        currents[:, :inputs] = bias + gain * drive[:, :inputs]
    targets = np.asarray(net["current_targets"], dtype=int)
    if len(targets):
        w = arr("input_weights").reshape(len(targets), -1)
        currents[:, targets] = bias + drive @ w.T
    # Step k's current must act from its first substep, (k S dt, (k S + 1) dt]. A generator's change
    # at t reaches the neuron at t + delay (here one substep, NEST's least), so it is set at
    # k S dt - dt; NEST takes no change at t <= 0, so step 0's current joins the neuron's I_e and the
    # generator carries the differences from it.
    first_current = currents[0]
    pop.set(I_e=list(arr("offset") + first_current))
    times = [k * step_ms - dt for k in range(1, steps)]
    for j in np.flatnonzero(np.abs(currents - first_current).max(axis=0) > 0):
        gen = nest.Create("step_current_generator", params={"amplitude_times": times,
                                                            "amplitude_values": list(currents[1:, j] - first_current[j])})
        nest.Connect(gen, pop[int(j)], syn_spec={"delay": dt})
    noise_std = arr("noise_std")
    if net["has_noise"]:
        for j in np.flatnonzero(noise_std > 0):
            gen = nest.Create("noise_generator", params={"mean": 0.0, "std": float(noise_std[j]),
                                                         "dt": net["noise_interval"] * dt})
            nest.Connect(gen, pop[int(j)], syn_spec={"delay": dt})
    spikes = nest.Create("spike_recorder")
    nest.Connect(pop, spikes)
    meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": step_ms})
    nest.Connect(meter, pop)
    nest.Simulate(steps * step_ms + dt)  # one substep more: the multimeter's last sample is delivered

    ev = spikes.get("events")
    substep = np.rint(np.asarray(ev["times"]) / dt).astype(int) - 1  # the substep whose end saw the spike
    neuron = np.asarray(ev["senders"]) - first
    order = np.lexsort((neuron, substep))
    substep, neuron = substep[order], neuron[order]
    keep = substep >= warm * S
    # Outputs as neurevo reads spiking output neurons: a trace per substep, its mean over the step.
    out_begin, n_out = net["output_begin"], net["outputs"]
    trace = np.zeros(n_out, dtype=np.float32)
    spiked = np.zeros((steps * S, n_out), dtype=np.float32)
    for s, j in zip(substep, neuron):
        if out_begin <= j < out_begin + n_out and 0 <= s < steps * S:
            spiked[s, j - out_begin] = 1.0
    decay, inc = np.float32(net["trace_decay"]), np.float32(net["trace_increment"])
    outputs, acc = [], np.zeros(n_out, dtype=np.float32)
    for s in range(steps * S):
        trace = trace * decay + inc * spiked[s]
        acc += trace
        if s % S == S - 1:
            if s // S >= warm:
                outputs.append(readout(net, np.minimum(acc / np.float32(S), 1.0)).tolist())
            acc[:] = 0
    mv = meter.get("events")
    v = np.zeros((steps, n))
    for t, sender, value in zip(mv["times"], mv["senders"], mv["V_m"]):
        k = int(round(t / step_ms)) - 1
        if 0 <= k < steps:
            v[k, sender - first] = value
    return {"spike_substep": (substep[keep] - warm * S).tolist(), "spike_neuron": neuron[keep].tolist(),
            "outputs": outputs, "v": v[warm:].tolist()}


def readout(net, activity):
    """The policy outputs from the read neurons' step activity: themselves, or (model.readout = "linear")
    0.5 + 0.5 clip(b + W a, -1, 1), as neurevo's LIF policy decodes them."""
    k = net["readout_outputs"]
    if k == 0:
        return activity
    w = np.asarray(net["readout_weights"], dtype=np.float32).reshape(k, -1)
    y = np.asarray(net["readout_bias"], dtype=np.float32) + w @ activity.astype(np.float32)
    return np.float32(0.5) + np.float32(0.5) * np.clip(y, -1, 1).astype(np.float32)


def compare(ours, theirs, neurons, substeps):
    steps = min(len(ours["outputs"]), len(theirs["outputs"]))
    a = np.zeros((steps, neurons))
    b = np.zeros((steps, neurons))
    for rec, counts in ((ours, a), (theirs, b)):
        for s, j in zip(rec["spike_substep"], rec["spike_neuron"]):
            if s // substeps < steps:
                counts[s // substeps, j] += 1
    pa, pb = a.sum(axis=0), b.sum(axis=0)  # spikes per neuron over the run
    both = (pa > 0) | (pb > 0)
    corr = float(np.corrcoef(pa[both], pb[both])[0, 1]) if both.sum() > 1 and pa[both].std() > 0 and \
        pb[both].std() > 0 else float("nan")
    first = lambda rec, j: min((s for s, k in zip(rec["spike_substep"], rec["spike_neuron"]) if k == j), default=None)
    shifts = [abs(first(ours, j) - first(theirs, j)) for j in np.flatnonzero(both)
              if first(ours, j) is not None and first(theirs, j) is not None]
    return {"steps": steps, "spikes_neurevo": int(a.sum()), "spikes_nest": int(b.sum()),
            "spike_count_correlation": corr,
            "first_spike_max_shift_substeps": int(max(shifts)) if shifts else None,
            "first_spike_median_shift_substeps": float(np.median(shifts)) if shifts else None,
            "outputs_max_abs_diff": float(np.abs(np.asarray(ours["outputs"][:steps]) -
                                                 np.asarray(theirs["outputs"][:steps])).max()) if steps else 0.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="nest_recording.json", help="NEST's recording and the comparison (JSON)")
    parser.add_argument("--seed", type=int, default=1, help="NEST's seed (input noise)")
    args = parser.parse_args()
    net, ours, run = PAYLOAD["network"], PAYLOAD["neurevo"], PAYLOAD["run"]
    print(f"{run['model']} network of {run['run_dir']} ({run['task']}): {net['neurons']} neurons, "
          f"{len(net['pre'])} synapses, {len(ours['observations'])} steps of {net['substeps']} x {net['dt_ms']} ms")
    theirs = simulate(net, ours["observations"], args.seed)
    result = compare(ours, theirs, net["neurons"], net["substeps"])
    with open(args.out, "w") as f:
        json.dump({"run": run, "nest": theirs, "comparison": result}, f)
    print(f"spikes: neurevo {result['spikes_neurevo']}, NEST {result['spikes_nest']}; correlation of spike counts "
          f"per neuron {result['spike_count_correlation']:.3f}; first spikes {result['first_spike_median_shift_substeps']} "
          f"substeps apart (median over neurons), at most {result['first_spike_max_shift_substeps']}")
    print(f"outputs: max |difference| {result['outputs_max_abs_diff']:.3g}")


if __name__ == "__main__":
    main()
