#!/usr/bin/env python3
"""Simulates a neurevo network in Brian2 and writes its spike times.

Usage: brian2_spike_times.py NETWORK.json SUBSTEPS OUT.json

NETWORK.json is src/model/lif_reference.h's description of a decoded
spiking conductance LIF network (per-neuron constants, synapses with
per-spike conductance increments and delays in substeps). Brian2 (numpy
code generation, float32 like neurevo) runs the same scheme, per step of dt:
    g_E <- g_E * decay + in_E;  g_I <- g_I * decay + in_I;  in_E = in_I = 0
    V   <- V + dt/C (g_L (V_rest - V) + g_E (E_E - V) + g_I (E_I - V) + I_offset)
    refractory (counter > 0): counter - 1, V <- V_reset
    threshold V > V_th: spike, V <- V_reset, counter <- refractory
and a spike's increment w lands in in_E or in_I at the end of the step
delay - 1 steps later (Brian2's `synapses` slot comes after `groups`), so
that it enters g `delay` steps after the spike, as in neurevo.
OUT.json: {"substep": [...], "neuron": [...]}, the step index of each spike.
"""
import json
import sys

import numpy as np


def main():
    network_file, substeps, out_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    import brian2 as b2

    b2.prefs.codegen.target = "numpy"
    b2.prefs.core.default_float_dtype = np.float32
    b2.prefs.logging.file_log = False
    with open(network_file) as f:
        net = json.load(f)
    n = net["neurons"]
    b2.defaultclock.dt = 0.1 * b2.ms  # one step; the scheme above is in steps, not ms
    f32 = lambda key: np.asarray(net[key], dtype=np.float32)
    group = b2.NeuronGroup(
        n,
        """v : 1
           ge : 1
           gi : 1
           in_e : 1
           in_i : 1
           counter : 1
           held : 1
           dt_over_c : 1 (constant)
           g_leak : 1 (constant)
           v_rest : 1 (constant)
           v_reset : 1 (constant)
           v_threshold : 1 (constant)
           ref_steps : 1 (constant)
           offset : 1 (constant)
           decay : 1 (constant)
           e_exc : 1 (constant)
           e_inh : 1 (constant)""",
        threshold="v > v_threshold",
        reset="v = v_reset\ncounter = ref_steps",
        name="lif",
    )
    # Every constant is a float32 array, so no operation promotes to float64.
    for key in ("dt_over_c", "g_leak", "v_rest", "v_reset", "v_threshold", "offset"):
        setattr(group, key, f32(key))
    group.ref_steps = np.asarray(net["refractory"], dtype=np.float32)
    group.v = f32("v_init")
    group.decay = np.float32(net["syn_decay"])
    group.e_exc = np.float32(net["e_exc"])
    group.e_inh = np.float32(net["e_inh"])
    group.run_regularly(
        """ge = ge * decay + in_e
           gi = gi * decay + in_i
           in_e = 0
           in_i = 0
           v = v + dt_over_c * (g_leak * (v_rest - v) + ge * (e_exc - v) + gi * (e_inh - v) + offset)
           held = int(counter > 0.5)
           v = v_reset * held + v * (1 - held)
           counter = counter - held""",
        when="groups",
    )
    pre, post = np.asarray(net["pre"]), np.asarray(net["post"])
    receptor, delay = np.asarray(net["receptor"]), np.asarray(net["delay"])
    weight = f32("weight")
    objects = [group]
    for r, target in ((0, "in_e"), (1, "in_i")):
        sel = receptor == r
        if not sel.any():
            continue
        syn = b2.Synapses(group, group, "w : 1", on_pre=f"{target}_post += w", name=f"syn{r}")
        syn.connect(i=pre[sel], j=post[sel])
        syn.w = weight[sel]
        syn.delay = (delay[sel] - 1) * b2.defaultclock.dt
        objects.append(syn)
    monitor = b2.SpikeMonitor(group)
    b2.Network(*objects, monitor).run(substeps * b2.defaultclock.dt)
    steps = np.rint(np.asarray(monitor.t / b2.defaultclock.dt)).astype(int)
    with open(out_file, "w") as f:
        json.dump({"substep": steps.tolist(), "neuron": np.asarray(monitor.i).astype(int).tolist()}, f)


if __name__ == "__main__":
    main()
