#!/usr/bin/env python3
"""neurevo against NEST 3 and Brian2 on the same spiking network (issue 18, item 4).

The same spiking conductance LIF network at three sizes, 1 s of biological
time each, one thread, dt = 0.1 ms:
    controller  4 "in" + 10 E + 10 I + 2 "out", dense (the default network's
                shape at CartPole size), stepped 10 ms at a time as a
                controller is: 100 calls of 10 ms;
    1k          800 E + 200 I, connection probability 0.1;
    10k         8,000 E + 2,000 I, connection probability 0.01.
bench/network_sizes.cc builds each network in neurevo (constant offset
currents around the rheobase, frozen random weights, delays of 1-5 ms, no
noise; see its header), times neurevo and writes the decoded network; this
script builds that network, synapse for synapse, in
    NEST 3 (`iaf_cond_exp`: the same conductance LIF with exponential
        conductances; NEST integrates it with GSL's adaptive RK45), and
    Brian2 (the same equations, forward Euler, `(unless refractory)`,
        runtime mode with the cython code-generation target; code
        generation and compilation are done before the timed run by one
        warm-up step),
and reports wall time per simulated second and the mean rate each measured.
Each simulator runs in its own process. NEST and Brian2 record spikes while
they are timed (a spike recorder / SpikeMonitor; at ~10 Hz a negligible
cost); neurevo is timed without recording and counts its spikes in a second,
untimed run of the same network. neurevo: median of 5 runs; NEST and
Brian2: one run each. The three integrate differently (float32 forward
Euler, RK45, float64 forward Euler), so rates agree only roughly.

Setup and run (about 2 minutes on one core):
    python3 -m venv .venv-bench && .venv-bench/bin/pip install -r bench/requirements.txt
    cmake --build build --target network_sizes
    .venv-bench/bin/python bench/simulator_compare.py [--sizes controller 1k 10k] [--out table.md]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

SIZES = ["controller", "1k", "10k"]
CONTROLLER_STEP_MS = 10.0


def load(path):
    with open(path) as f:
        return json.load(f)


def run_nest(network_file, size):
    import nest

    nest.set_verbosity("M_ERROR")
    net = load(network_file)
    n, dt = net["neurons"], net["dt_ms"]
    nest.ResetKernel()
    nest.set(resolution=dt, local_num_threads=1, rng_seed=1)
    pop = nest.Create("iaf_cond_exp", n)
    dt_over_c = np.asarray(net["dt_over_c"], dtype=float)
    pop.set(
        C_m=list(dt / dt_over_c),
        g_L=list(np.asarray(net["g_leak"], dtype=float)),
        E_L=list(np.asarray(net["v_rest"], dtype=float)),
        V_reset=list(np.asarray(net["v_reset"], dtype=float)),
        V_th=list(np.asarray(net["v_threshold"], dtype=float)),
        V_m=list(np.asarray(net["v_init"], dtype=float)),
        t_ref=list(np.asarray(net["refractory"], dtype=float) * dt),
        I_e=list(np.asarray(net["offset"], dtype=float)),
        E_ex=float(net["e_exc"]),
        E_in=float(net["e_inh"]),
        tau_syn_ex=float(net["tau_syn_ms"]),
        tau_syn_in=float(net["tau_syn_ms"]),
        g_ex=0.0,
        g_in=0.0,
    )
    first = pop[0].global_id
    pre = np.asarray(net["pre"], dtype=np.int64) + first
    post = np.asarray(net["post"], dtype=np.int64) + first
    # Inhibitory conductances take negative weights in NEST.
    sign = np.where(np.asarray(net["receptor"]) == 0, 1.0, -1.0)
    weight = sign * np.asarray(net["weight"], dtype=float)
    delay = np.asarray(net["delay"], dtype=float) * dt
    nest.Connect(pre, post, conn_spec="one_to_one",
                 syn_spec={"synapse_model": "static_synapse", "weight": weight, "delay": delay})
    recorder = nest.Create("spike_recorder")
    nest.Connect(pop, recorder)
    t0, c0 = time.perf_counter(), time.process_time()
    if size == "controller":
        with nest.RunManager():
            for _ in range(int(1000.0 / CONTROLLER_STEP_MS)):
                nest.Run(CONTROLLER_STEP_MS)
    else:
        nest.Simulate(1000.0)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"wall_s": wall, "cpu_s": cpu, "rate_hz": recorder.n_events / n, "version": nest.__version__,
            "synapses": nest.num_connections - n}  # less the recorder's


def run_brian2(network_file, size, standalone=False):
    import brian2 as b2
    from brian2 import ms, mV, pF, nS, pA

    build_dir = None
    if standalone:
        build_dir = tempfile.mkdtemp(prefix="brian2_standalone_")
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    else:
        b2.prefs.codegen.target = "cython"
    b2.prefs.logging.file_log = False
    b2.prefs.logging.console_log_level = "WARNING"
    net = load(network_file)
    n, dt = net["neurons"], net["dt_ms"]
    b2.defaultclock.dt = dt * ms
    namespace = {"E_ex": float(net["e_exc"]) * mV, "E_in": float(net["e_inh"]) * mV,
                 "tau_syn": float(net["tau_syn_ms"]) * ms}
    group = b2.NeuronGroup(
        n,
        """dv/dt = (g_L * (E_L - v) + ge * (E_ex - v) + gi * (E_in - v) + I_e) / C_m : volt (unless refractory)
           dge/dt = -ge / tau_syn : siemens
           dgi/dt = -gi / tau_syn : siemens
           C_m : farad (constant)
           g_L : siemens (constant)
           E_L : volt (constant)
           V_th : volt (constant)
           V_reset : volt (constant)
           I_e : amp (constant)
           t_ref : second (constant)""",
        threshold="v > V_th", reset="v = V_reset", refractory="t_ref", method="euler",
        namespace=namespace, name="lif")
    dt_over_c = np.asarray(net["dt_over_c"], dtype=float)
    group.C_m = dt / dt_over_c * pF
    group.g_L = np.asarray(net["g_leak"], dtype=float) * nS
    group.E_L = np.asarray(net["v_rest"], dtype=float) * mV
    group.V_reset = np.asarray(net["v_reset"], dtype=float) * mV
    group.V_th = np.asarray(net["v_threshold"], dtype=float) * mV
    group.v = np.asarray(net["v_init"], dtype=float) * mV
    group.t_ref = np.asarray(net["refractory"], dtype=float) * dt * ms
    group.I_e = np.asarray(net["offset"], dtype=float) * pA
    pre, post = np.asarray(net["pre"]), np.asarray(net["post"])
    receptor, delay = np.asarray(net["receptor"]), np.asarray(net["delay"])
    weight = np.asarray(net["weight"], dtype=float)
    objects = [group]
    for r, target in ((0, "ge"), (1, "gi")):
        sel = receptor == r
        syn = b2.Synapses(group, group, "w : siemens", on_pre=f"{target}_post += w", name=f"syn{r}")
        syn.connect(i=pre[sel], j=post[sel])
        syn.w = weight[sel] * nS
        # Brian2 delivers in the step's `synapses` slot, after the state
        # update: delay - 1 steps make the conductance jump enter the
        # potential `delay` steps after the spike, as in neurevo and NEST.
        syn.delay = (delay[sel] - 1) * dt * ms
        objects.append(syn)
    monitor = b2.SpikeMonitor(group)
    network = b2.Network(*objects, monitor)
    if standalone:
        # One compiled program; its own clock times the simulation loop
        # (code generation and compilation are not timed).
        network.run(1000.0 * ms, namespace=namespace)
        b2.device.build(directory=build_dir, compile=True, run=True)
        import shutil
        result = {"wall_s": b2.device._last_run_time, "cpu_s": None, "rate_hz": monitor.num_spikes / n,
                  "version": b2.__version__, "synapses": int(sum(len(o) for o in objects[1:]))}
        shutil.rmtree(build_dir, ignore_errors=True)
        return result
    network.run(b2.defaultclock.dt, namespace=namespace)  # code generation and compilation, untimed
    before = monitor.num_spikes
    t0, c0 = time.perf_counter(), time.process_time()
    if size == "controller":
        for _ in range(int(1000.0 / CONTROLLER_STEP_MS)):
            network.run(CONTROLLER_STEP_MS * ms, namespace=namespace)
    else:
        network.run(1000.0 * ms, namespace=namespace)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"wall_s": wall, "cpu_s": cpu, "rate_hz": (monitor.num_spikes - before) / n, "version": b2.__version__,
            "synapses": int(sum(len(o) for o in objects[1:]))}


def worker(tool, network_file, size):
    if tool == "nest":
        result = run_nest(network_file, size)
    else:
        result = run_brian2(network_file, size, standalone=tool == "brian2_standalone")
    print(json.dumps(result))


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


TOOLS = ["nest", "brian2", "brian2_standalone"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=SIZES, choices=SIZES)
    parser.add_argument("--tools", nargs="+", default=TOOLS, choices=TOOLS)
    parser.add_argument("--driver", default="build/bench/network_sizes")
    parser.add_argument("--out", help="also write the Markdown table here")
    parser.add_argument("--worker", nargs=3, metavar=("TOOL", "NETWORK", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    rows, versions = [], {}
    with tempfile.TemporaryDirectory(prefix="simulator_compare_") as tmp:
        for size in args.sizes:
            network_file = os.path.join(tmp, f"{size}.json")
            subprocess.run([args.driver, size, network_file], check=True, stdout=subprocess.DEVNULL)
            net = load(network_file)
            row = {"size": size, "neurons": net["neurons"], "synapses": len(net["weight"]),
                   "neurevo": net["neurevo"]}
            for tool in args.tools:
                if tool == "brian2_standalone" and size == "controller":
                    continue  # one compiled program: it cannot be stepped with inputs between calls
                proc = subprocess.run([sys.executable, __file__, "--worker", tool, network_file, size],
                                      capture_output=True, text=True, env=env)
                if proc.returncode != 0:
                    sys.exit(f"{tool} failed at size {size}:\n{proc.stderr[-3000:]}")
                row[tool] = json.loads(proc.stdout.strip().splitlines()[-1])
                versions[tool] = row[tool]["version"]
                if row[tool]["synapses"] != row["synapses"]:
                    sys.exit(f"{tool} built {row[tool]['synapses']} synapses at size {size}, not {row['synapses']}")
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)

    names = {"neurevo": "neurevo", "nest": f"NEST {versions.get('nest', '')}",
             "brian2": f"Brian2 {versions.get('brian2', '')} runtime (cython)",
             "brian2_standalone": f"Brian2 {versions.get('brian2_standalone', '')} C++ standalone"}
    tools = ["neurevo"] + args.tools

    def cell(r, t):
        if t not in r:
            return "n/a"
        x = r[t]
        return f"{x['wall_s']:.3g}" + (f" ({x['cpu_s']:.3g})" if x.get("cpu_s") is not None else "")

    lines = ["| size | neurons | synapses | " + " | ".join(names[t] for t in tools) + " | rates (Hz) |",
             "|" + "---|" * (4 + len(tools))]
    for r in rows:
        rates = " / ".join(f"{r[t]['rate_hz']:.1f}" if t in r else "-" for t in tools)
        lines.append(f"| {r['size']} | {r['neurons']:,} | {r['synapses']:,} | "
                     + " | ".join(cell(r, t) for t in tools) + f" | {rates} |")
    table = "\n".join(lines)
    table += ("\n\nSeconds of wall time per simulated second (in parentheses: CPU time of the process), one "
              "thread; rates in the column order. Machine: " + cpu_model() +
              f", Python {platform.python_version()}.\n")
    print(table)
    if args.out:
        with open(args.out, "w") as f:
            f.write(table)


if __name__ == "__main__":
    main()
