#!/usr/bin/env python3
"""Train the seed paper's BNN (10 excitatory + 10 inhibitory LIF neurons) on CartPole-v1 with CMA-ES,
from Python: the same run as `neurevo train`, the same run directory.

    pip install .            # from the repository root
    python examples/python/train_cartpole.py
"""
import argparse
import sys

import neurevo

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", help="run directory (default: runs/<task>-<model>-<optimizer>-seed<S>-<time>)")
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

# None: the built-in default config (CartPole-v1, bnn, cma_es); any key can be overridden
# with `__` for the dot, e.g. optimizer__kind="openai_es", or a .toml path given instead.
run = neurevo.train(None, out=args.out, run__seed=args.seed, progress=True)

summary = run.summary
print(f"run directory: {run.dir}")
print(f"generations: {summary['generations']}, env steps: {summary['env_steps']}")
print(f"evaluation over {summary['eval_episodes']} held-out episodes: mean {summary['eval_mean']:.2f}, "
      f"std {summary['eval_std']:.2f}")
frame = None
try:
    frame = run.metrics_frame()  # pandas, when installed
except ImportError:
    pass
if frame is not None:
    print(frame[["generation", "env_steps", "best_fitness", "mean_fitness"]].tail(3).to_string(index=False))
sys.exit(0 if summary["eval_mean"] >= 475.0 else 1)  # CartPole-v1 counts as solved at 475
