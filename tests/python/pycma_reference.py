#!/usr/bin/env python3
"""Reference evaluation counts from pycma (Hansen's `cma` package, PyPI).

Runs pycma on sphere, ellipsoid (condition 1e6) and Rosenbrock in n = 10 with
the settings of neurevo's CMA-ES tests (src/optim/cma_es_test.cc): lambda =
10 (= 4 + floor(3 ln 10)), mu = 5, sigma0 = 0.5, x0 ~ U[0,1]^n, target
f < 1e-8, and prints the median number of evaluations over 10 seeds. Both
pycma's default (active CMA, negative weights) and the positive-weights
setting neurevo implements (CMA_active=False) are reported.

Not part of the test suite (numbers are for citation only):
    python3 -m venv .venv && .venv/bin/pip install cma numpy
    .venv/bin/python tests/python/pycma_reference.py
"""
import statistics
import warnings

import cma
import numpy as np


def sphere(x):
    return float(np.sum(np.asarray(x) ** 2))


def ellipsoid(x):
    x = np.asarray(x)
    n = len(x)
    return float(np.sum(1e6 ** (np.arange(n) / (n - 1)) * x ** 2))


def rosenbrock(x):
    x = np.asarray(x)
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))


def run(f, n, seed, active):
    x0 = np.random.RandomState(seed).rand(n)
    opts = {
        "popsize": 10, "CMA_mu": 5, "ftarget": 1e-8, "seed": seed + 1,
        "verbose": -9, "maxfevals": 100000, "CMA_active": active,
        "tolfun": 0, "tolx": 0, "tolfunhist": 0, "tolstagnation": 10**9,
    }
    es = cma.CMAEvolutionStrategy(x0, 0.5, opts)
    while not es.stop():
        xs = es.ask()
        es.tell(xs, [f(x) for x in xs])
    return es.countevals if es.best.f < 1e-8 else None


def main():
    warnings.simplefilter("ignore")
    print(f"pycma {cma.__version__}, n = 10, lambda = 10, mu = 5, sigma0 = 0.5, target 1e-8")
    for name, f in [("sphere", sphere), ("ellipsoid", ellipsoid), ("rosenbrock", rosenbrock)]:
        for active in (False, True):
            evals = [run(f, 10, seed, active) for seed in range(10)]
            ok = [e for e in evals if e is not None]
            med = statistics.median(ok) if ok else float("nan")
            print(f"{name:10s} CMA_active={active!s:5s}: median evals {med:8.0f} "
                  f"(min {min(ok) if ok else -1}, max {max(ok) if ok else -1}, "
                  f"{len(evals) - len(ok)}/10 not reaching 1e-8)")


if __name__ == "__main__":
    main()
