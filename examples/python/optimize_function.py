#!/usr/bin/env python3
"""Drive neurevo's optimizers with your own fitness function (ask/tell, as with pycma).

Minimises the 20-dimensional Rosenbrock function with CMA-ES and separable NES, pickles the
CMA-ES mid-run and shows that the restored copy continues identically.
"""
import pickle

import numpy as np

from neurevo import optim


def rosenbrock(X):
    X = np.atleast_2d(X)
    return (100.0 * (X[:, 1:] - X[:, :-1] ** 2) ** 2 + (1.0 - X[:, :-1]) ** 2).sum(axis=1)


n = 20
es = optim.CMAES(np.zeros(n), 0.3, seed=4)  # popsize: CMA-ES's default 4 + 3 ln n unless given
while es.generation < 3000 and es.best_f > 1e-10:
    X = es.ask()
    es.tell(rosenbrock(X))
    if es.generation == 100:
        snapshot = pickle.dumps(es)
print(f"CMA-ES: {es.generation} generations, best f = {es.best_f:.3g}, |x - 1|_max = "
      f"{np.abs(es.best_x - 1).max():.2g}")

copy = pickle.loads(snapshot)  # continue from generation 100 and compare with the original's first steps
original = pickle.loads(snapshot)
for _ in range(50):
    a, b = copy.ask(), original.ask()
    assert np.array_equal(a, b)
    copy.tell(rosenbrock(a))
    original.tell(rosenbrock(b))
print("a pickled CMA-ES continues exactly as the original did")

snes = optim.SNES(np.zeros(n), 0.3, popsize=40, seed=4)
for _ in range(2000):
    X = snes.ask()
    snes.tell(rosenbrock(X))
print(f"SNES: {snes.generation} generations, best f = {snes.best_f:.3g}")
