#!/usr/bin/env python3
"""CMA-ES's linear algebra at large n against pycma (issue 26, item 2): the time of one
generation (ask + tell on the sphere, without an eigendecomposition) and of one
eigendecomposition, at n = 1000, 5000, 10000, both on one thread.

neurevo: build/bench/cma_linalg N (LAPACK dsyevd from the serial OpenBLAS, the candidates as
one matrix product). pycma 4.5: CMAEvolutionStrategy with the same population (4 + floor(3 ln n)),
sigma0 0.1 from 0.5^n; its generation time is the median over the generations, and its
eigendecomposition is numpy.linalg.eigh (what pycma's lazy update calls, LAPACK's syevd in numpy's
bundled OpenBLAS) on a random SPD matrix M M^T / n + I, as cma_linalg times its own. pycma runs with
OPENBLAS_NUM_THREADS=1 (and --pycma-threads to also time it with more).

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -r bench/requirements.txt
    cmake --build build --target cma_linalg
    .venv-bench/bin/python bench/cma_linalg.py [--sizes 1000,5000,10000] [--generations 7]
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PYCMA = r"""
import json, math, statistics, sys, time
import numpy as np
import cma
n, generations = int(sys.argv[1]), int(sys.argv[2])
lam = 4 + int(math.floor(3 * math.log(n)))
es = cma.CMAEvolutionStrategy(n * [0.5], 0.1, {"popsize": lam, "seed": 1, "verbose": -9, "CMA_active": False,
                                               "tolfun": 0, "tolx": 0, "tolfunhist": 0})
times = []
for g in range(generations):
    t = time.perf_counter()
    X = es.ask()
    es.tell(X, [float(np.sum((np.asarray(x) - 0.5) ** 2)) for x in X])
    times.append(time.perf_counter() - t)
rng = np.random.default_rng(7)
m = rng.standard_normal((n, n))
c = m @ m.T / n + np.eye(n)
t = time.perf_counter()
w, v = np.linalg.eigh(c)
eigen = time.perf_counter() - t
print(json.dumps({"n": n, "lambda": lam, "generation_s": statistics.median(times), "generations": generations,
                  "eigen_s": eigen, "eigen_updates": int(es.sm.count_eigen) if hasattr(es.sm, "count_eigen") else None}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--generations", type=int, default=7)
    parser.add_argument("--pycma-threads", type=int, default=1, help="OPENBLAS_NUM_THREADS for pycma")
    parser.add_argument("--eigen-too", default="1000,5000",
                        help="sizes at which to also time Eigen's solver (the one dsyevd replaced)")
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "bench", "cma_linalg"))
    args = parser.parse_args()
    rows = []
    eigen_too = {int(s) for s in args.eigen_too.split(",") if s.strip()}
    for n in [int(s) for s in args.sizes.split(",")]:
        command = [args.binary, str(n), str(args.generations)] + (["--eigen-too"] if n in eigen_too else [])
        ours = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.pycma_threads), OMP_NUM_THREADS=str(args.pycma_threads))
        theirs = json.loads(subprocess.run([sys.executable, "-c", PYCMA, str(n), str(args.generations)], check=True,
                                           capture_output=True, text=True, env=env).stdout)
        rows.append((n, ours, theirs))
        print(json.dumps({"n": n, "neurevo": ours, "pycma": theirs}), file=sys.stderr)
    print(f"| n | λ | neurevo per generation | pycma per generation ({args.pycma_threads} thread) | ratio | "
          f"neurevo eigendecomposition | pycma (numpy eigh) | ratio | Eigen's solver (before) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, ours, theirs in rows:
        print(f"| {n} | {ours['lambda']} | {ours['generation_s'] * 1e3:.1f} ms | {theirs['generation_s'] * 1e3:.1f} ms | "
              f"{ours['generation_s'] / theirs['generation_s']:.2f} | {ours['eigen_s']:.2f} s | {theirs['eigen_s']:.2f} s | "
              f"{ours['eigen_s'] / theirs['eigen_s']:.2f} | "
              + (f"{ours['eigen_solver_s']:.2f} s |" if ours.get("eigen_solver_s") is not None else "– |"))


if __name__ == "__main__":
    main()
