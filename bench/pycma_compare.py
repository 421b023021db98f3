#!/usr/bin/env python3
"""neurevo's CMA-ES variants against pycma (Hansen's `cma` package).

Evaluations to reach f <= 1e-8 on sphere, ellipsoid (condition 1e6) and
Rosenbrock in n = 10 and 40, median over seeds 1..10, for
    cma_es               vs pycma CMA_active=False (positive weights)
    cma_es active=true   vs pycma's default (CMA_active=True)
    sep_cma_es           vs pycma CMA_diagonal=True, CMA_active=False
    sep_cma_es active    vs pycma CMA_diagonal=True (active)

Protocol (the same for both): x0 = neurevo's uniform initial mean
U[0,1]^n for the seed (build/bench/optimizer_bench prints it and pycma
starts from it), sigma0 = 0.5, default population 4 + floor(3 ln n), mu =
lambda / 2, no restarts; pycma's own termination criteria are switched off
(tolfun, tolx, tolfunhist = 0, tolstagnation huge) so that both run until the
target or the evaluation cap. Evaluations are counted at the end of the
generation that reaches the target (pycma: countevals when ftarget is hit).

Setup and run (a few minutes on one core):
    python3 -m venv .venv-bench && .venv-bench/bin/pip install -r bench/requirements.txt
    cmake --build build --target optimizer_bench
    .venv-bench/bin/python bench/pycma_compare.py [--seeds 10] [--jobs 2]
"""
import argparse
import json
import statistics
import subprocess
import sys
import warnings
from multiprocessing import Pool

import cma
import numpy as np

BENCH = "build/bench/optimizer_bench"  # --bench overrides (e.g. a copy, safe from rebuilds)
TARGET = 1e-8


def sphere(x):
    return float(np.sum(np.asarray(x) ** 2))


def ellipsoid(x):
    x = np.asarray(x)
    n = len(x)
    return float(np.sum(1e6 ** (np.arange(n) / (n - 1)) * x ** 2))


def rosenbrock(x):
    x = np.asarray(x)
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))


FUNCTIONS = {"sphere": sphere, "ellipsoid": ellipsoid, "rosenbrock": rosenbrock}

# label: (neurevo kind, neurevo options, pycma options)
VARIANTS = {
    "cma_es": ("cma_es", [], {"CMA_active": False}),
    "cma_es active": ("cma_es", ["active=true"], {"CMA_active": True}),
    "sep_cma_es": ("sep_cma_es", [], {"CMA_diagonal": True, "CMA_active": False}),
    "sep_cma_es active": ("sep_cma_es", ["active=true"], {"CMA_diagonal": True, "CMA_active": True}),
}


def max_evals(label, function, n):
    # Separable CMA on Rosenbrock (non-separable) needs ~10^5 evaluations in
    # n = 10; cap it so that the script stays short.
    if label.startswith("sep") and function == "rosenbrock":
        return 200000
    return 100000 if n <= 10 else 300000


def run_neurevo(label, function, n, seed):
    kind, options, _ = VARIANTS[label]
    out = subprocess.run([BENCH, kind, function, str(n), str(seed), "sigma0=0.5",
                          f"max_evals={max_evals(label, function, n)}"] + options,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def run_pycma(label, function, n, seed, x0):
    _, _, extra = VARIANTS[label]
    opts = {"ftarget": TARGET, "seed": seed, "verbose": -9,
            "maxfevals": max_evals(label, function, n),
            "tolfun": 0, "tolx": 0, "tolfunhist": 0, "tolflatfitness": 10**9,
            "tolstagnation": 10**9, "tolconditioncov": 1e20}
    opts.update(extra)
    f = FUNCTIONS[function]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        es = cma.CMAEvolutionStrategy(list(x0), 0.5, opts)
        while not es.stop():
            xs = es.ask()
            es.tell(xs, [f(x) for x in xs])
    return es.countevals if es.best.f <= TARGET else None


def job(args):
    label, function, n, seed, bench = args
    global BENCH
    BENCH = bench
    r = run_neurevo(label, function, n, seed)
    p = run_pycma(label, function, n, seed, r["x0"])
    return label, function, n, seed, r["evals"], p


def median(values):
    """Median with unreached runs (None) counted as infinitely slow."""
    v = sorted(float("inf") if x is None else x for x in values)
    m = statistics.median(v)
    return None if m == float("inf") else m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dims", default="10,40")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--bench", default=BENCH, help="the optimizer_bench binary")
    ap.add_argument("--jsonl", help="raw results, one line per run; runs already there are reused")
    args = ap.parse_args()
    dims = [int(d) for d in args.dims.split(",")]
    jobs = [(label, f, n, s, args.bench) for label in args.variants.split(",") for f in FUNCTIONS
            for n in dims for s in range(1, args.seeds + 1)]
    results = []
    if args.jsonl:
        try:
            with open(args.jsonl) as fh:
                results = [tuple(json.loads(line)) for line in fh if line.strip()]
        except FileNotFoundError:
            pass
    done = {r[:4] for r in results}
    todo = [j for j in jobs if j[:4] not in done]
    out = open(args.jsonl, "a") if args.jsonl else None
    with Pool(args.jobs) as pool:
        # Results are written as they arrive, so an interrupted run resumes.
        for r in pool.imap_unordered(job, todo):
            results.append(r)
            if out:
                out.write(json.dumps(r) + "\n")
                out.flush()
    print(f"pycma {cma.__version__}, numpy {np.__version__}, seeds 1..{args.seeds}, target {TARGET}")
    print("| variant | function | n | neurevo median evals (reached) | pycma median evals (reached) | ratio |")
    print("|---|---|---|---|---|---|")
    for label in args.variants.split(","):
        for f in FUNCTIONS:
            for n in dims:
                rows = [r for r in results if r[0] == label and r[1] == f and r[2] == n]
                ne = [r[4] for r in rows]
                py = [r[5] for r in rows]
                mn, mp = median(ne), median(py)
                reached = lambda v: sum(x is not None for x in v)
                ratio = f"{mn / mp:.2f}" if mn and mp else "n/a"
                fmt = lambda m: "not reached" if m is None else f"{m:.0f}"
                print(f"| {label} | {f} | {n} | {fmt(mn)} ({reached(ne)}/{len(ne)}) | "
                      f"{fmt(mp)} ({reached(py)}/{len(py)}) | {ratio} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
