#!/usr/bin/env python3
"""Where full CMA-ES ends on Rosenbrock without restarts: neurevo against pycma.

For seeds 1..N, both run from the same x0 (neurevo's uniform initial mean for
the seed), sigma0 = 0.5, default population, no restarts, pycma's own
termination switched off (bench/pycma_compare.py's protocol), until f <= 1e-8
or the evaluation cap. Each run's end is classified as
    target  f <= 1e-8 (the global minimum, x = 1)
    local   Rosenbrock's second minimum, near x = (-1, 1, ..., 1), which
            exists for n >= 4 (f about 3.9866; the exact value depends on n):
            f < 4.5 with x_1 < -0.9
    other   anything else
and the counts are printed with Wilson 95 % intervals, so that a 9/10 against
a 10/10 can be told from chance. Usage (a few minutes per 100 seeds):
    .venv-bench/bin/python bench/rosenbrock_minima.py --seeds 100 --dims 10,40 [--jobs 2]
"""
import argparse
import json
import math
import sys
import warnings
from multiprocessing import Pool

import cma

import pycma_compare as pc

def classify(end):
    f, x1 = end
    if f <= pc.TARGET:
        return "target"
    return "local" if f < 4.5 and x1 < -0.9 else "other"


def pycma_end(n, seed, x0, active):
    opts = {"ftarget": pc.TARGET, "seed": seed, "verbose": -9, "maxfevals": pc.max_evals("cma_es", "rosenbrock", n),
            "tolfun": 0, "tolx": 0, "tolfunhist": 0, "tolflatfitness": 10**9, "tolstagnation": 10**9,
            "tolconditioncov": 1e20, "CMA_active": active}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        es = cma.CMAEvolutionStrategy(list(x0), 0.5, opts)
        while not es.stop():
            xs = es.ask()
            es.tell(xs, [pc.rosenbrock(x) for x in xs])
    return es.best.f, float(es.best.x[0])


def job(args):
    label, n, seed, bench = args
    pc.BENCH = bench
    r = pc.run_neurevo(label, "rosenbrock", n, seed)
    return label, n, seed, (r["best"], r["best_x"][0]), pycma_end(n, seed, r["x0"], label.endswith("active"))


def wilson(k, n, z=1.96):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--dims", default="10,40")
    ap.add_argument("--variants", default="cma_es,cma_es active")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--bench", default=pc.BENCH)
    ap.add_argument("--jsonl", help="raw results, one line per run")
    args = ap.parse_args()
    jobs = [(label, int(n), s, args.bench) for label in args.variants.split(",") for n in args.dims.split(",")
            for s in range(1, args.seeds + 1)]
    with Pool(args.jobs) as pool:
        results = pool.map(job, jobs)
    if args.jsonl:
        with open(args.jsonl, "w") as out:
            for r in results:
                out.write(json.dumps(r) + "\n")
    print(f"pycma {cma.__version__}, seeds 1..{args.seeds}, Rosenbrock, no restarts")
    print("| variant | n | side | target | local minimum (95 % interval) | other |")
    print("|---|---|---|---|---|---|")
    for label in args.variants.split(","):
        for n in (int(d) for d in args.dims.split(",")):
            rows = [r for r in results if r[0] == label and r[1] == n]
            for side, column in (("neurevo", 3), ("pycma", 4)):
                ends = [classify(r[column]) for r in rows]
                k = ends.count("local")
                lo, hi = wilson(k, len(ends))
                print(f"| {label} | {n} | {side} | {ends.count('target')} | {k} ({lo:.0%} – {hi:.0%}) | "
                      f"{ends.count('other')} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
