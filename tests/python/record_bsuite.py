#!/usr/bin/env python3
"""Records reference episodes of bsuite's memory_len environment.

For each memory length and a few episodes this builds bsuite's own
environment (bsuite.experiments.memory_len.memory_len.load, i.e. MemoryChain
with one bit), resets it, reads the bit it drew (env._context[0]) and the
query (env._query), and steps it with a seeded random action sequence until
the episode ends. Per step it writes the action, observation, reward and
whether the step was the last.

Output: OUT/MemoryLength.json:
  {"bsuite_version": ..., "numpy_version": ...,
   "episodes": [{"memory_length": N, "context": 0 | 1, "query": 0,
                 "initial_observation": [...],
                 "steps": [{"action": a, "observation": [...], "reward": r,
                            "last": bool}]}]}

The C++ side (tests/bsuite_parity_test.cc) puts MemoryLength-N in the same
state (SetPhysicalState) and replays the actions.

Usage: record_bsuite.py --out DIR
"""

import argparse
import json
import os

import bsuite
import numpy as np
from bsuite.experiments.memory_len import memory_len

LENGTHS = [1, 2, 3, 5, 10, 25, 100]
EPISODES_PER_LENGTH = 6


def to_list(x):
    return [float(v) for v in np.asarray(x, dtype=np.float64).ravel()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261206)
    episodes = []
    for n in LENGTHS:
        env = memory_len.load(memory_length=n, seed=n)
        for e in range(EPISODES_PER_LENGTH):
            first = env.reset()
            episode = {"memory_length": n, "context": int(env._context[0]), "query": int(env._query),
                       "initial_observation": to_list(first.observation), "steps": []}
            # Episodes 0 and 1 answer right and wrong at the end; the rest at random.
            while True:
                action = int(rng.integers(0, 2))
                if e < 2 and len(episode["steps"]) == n:
                    action = episode["context"] if e == 0 else 1 - episode["context"]
                ts = env.step(action)
                episode["steps"].append({"action": action, "observation": to_list(ts.observation),
                                         "reward": float(ts.reward), "last": bool(ts.last())})
                if ts.last():
                    break
            episodes.append(episode)
    out = {"bsuite_version": bsuite.__version__, "numpy_version": np.__version__, "episodes": episodes}
    with open(os.path.join(args.out, "MemoryLength.json"), "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
