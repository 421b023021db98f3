#!/usr/bin/env python3
"""Evolve neurevo's LIF network on a Gymnasium environment that neurevo does not ship (Reacher-v5,
from gymnasium[mujoco]): Python steps the environments, C++ steps the networks, and neurevo's
CMA-ES is driven by ask/tell.

    pip install . "gymnasium[mujoco]"
    python examples/python/evolve_on_gymnasium.py --generations 40
"""
import argparse

import gymnasium
import numpy as np

import neurevo
from neurevo.gym import evaluate_on_env

parser = argparse.ArgumentParser()
parser.add_argument("--env", default="Reacher-v5")
parser.add_argument("--generations", type=int, default=40)
parser.add_argument("--model", default="bnn", help="bnn | snn | rnn | mlp")
parser.add_argument("--episodes", type=int, default=2)
args = parser.parse_args()

env = gymnasium.make(args.env)
model = dict(model__kind=args.model)
n = neurevo.genome_size(None, env=env, **model)  # from the model and the environment's spaces
es = neurevo.optim.CMAES(np.full(n, 0.5), 0.1, popsize=16, seed=1, minimize=False)
print(f"{args.env}: {args.model} with {n} genes, CMA-ES with population {es.popsize}")
for generation in range(1, args.generations + 1):
    genomes = es.ask()
    # Every genome on the same episodes (seeds), each on its own copy of the environment.
    returns = evaluate_on_env(None, genomes, args.env, episodes=args.episodes, seed=1000 * generation,
                              noise_seed=generation, **model)
    es.tell(returns.mean(axis=1))
    if generation % 5 == 0 or generation == 1:
        print(f"generation {generation:3d}: mean return {returns.mean():8.2f}, best {returns.mean(axis=1).max():8.2f}")

held_out = evaluate_on_env(None, es.best_x, args.env, episodes=20, seed=10**6, **model)
print(f"best genome on 20 held-out episodes: mean return {held_out.mean():.2f}")
