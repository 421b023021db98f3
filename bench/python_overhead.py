#!/usr/bin/env python3
"""What Python costs: the same training run through neurevo.train and through the CLI, and a
population evaluated on a Python-stepped Gymnasium environment against neurevo's C++ evaluator.

    PYTHONPATH=build/python .venv/bin/python bench/python_overhead.py --repeats 5 --out bench/python_results.jsonl

Runs alternate (CLI, Python, CLI, ...) so that machine noise hits both alike; each line of --out is
one measurement. The training run is the built-in default (CartPole-v1, bnn, cma_es, 5e5 env
steps budget) on `--threads` threads.
"""
import argparse
import json
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import neurevo
from neurevo.gym import NeurevoEnv, evaluate_on_env

parser = argparse.ArgumentParser()
parser.add_argument("--cli", default="build/neurevo")
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--population", type=int, default=128)
parser.add_argument("--episodes", type=int, default=5)
parser.add_argument("--out")
args = parser.parse_args()

records = []


def record(**r):
    r.update(machine=platform.processor() or platform.machine(), cpus=len(__import__("os").sched_getaffinity(0)))
    records.append(r)
    print(json.dumps(r))


with tempfile.TemporaryDirectory() as tmp:
    for k in range(args.repeats):
        for how in ("cli", "python"):
            out = Path(tmp) / f"{how}{k}"
            t = time.perf_counter()
            if how == "cli":
                subprocess.run([args.cli, "train", "--quiet", "--out", str(out), "--threads", str(args.threads)],
                               check=True, stdout=subprocess.DEVNULL)
            else:
                neurevo.train(None, out=out, run__threads=args.threads)
            wall = time.perf_counter() - t
            s = json.loads((out / "summary.json").read_text())
            record(kind="train", how=how, repeat=k, wall_s=wall, env_steps=s["env_steps"], eval_mean=s["eval_mean"])

# A population of random BNN genomes on CartPole-v1, --episodes each, three ways.
import gymnasium  # noqa: E402

p = args.population
genomes = np.random.default_rng(0).uniform(0, 1, (p, neurevo.genome_size(None)))


class Synced(gymnasium.Wrapper):
    def reset(self, *, seed=None, options=None):
        ref = gymnasium.make("CartPole-v1").unwrapped
        ref.reset(seed=seed)
        return self.env.reset(options={"state": ref.state})


for k in range(args.repeats):
    t = time.perf_counter()
    r_gym = evaluate_on_env(None, genomes, "CartPole-v1", episodes=args.episodes, seed=k, threads=args.threads)
    t_gym = time.perf_counter() - t
    t = time.perf_counter()
    r_ours = evaluate_on_env(None, genomes, lambda: Synced(NeurevoEnv("CartPole-v1")), episodes=args.episodes, seed=k,
                             threads=args.threads)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    f_cpp = neurevo.evaluate_population(None, genomes, episodes=args.episodes, seed=k, threads=args.threads)
    t_cpp = time.perf_counter() - t
    steps = float(r_gym.sum())  # CartPole: reward 1 per step
    record(kind="population", repeat=k, population=p, episodes=args.episodes, env_steps_python=steps, same_returns=bool(np.array_equal(r_gym, r_ours)),
           gymnasium_env_s=t_gym, neurevo_env_python_loop_s=t_ours, cpp_evaluator_s=t_cpp,
           cpp_env_steps=float(f_cpp.sum() * args.episodes))

train = [r for r in records if r["kind"] == "train"]
cli = [r["wall_s"] for r in train if r["how"] == "cli"]
py = [r["wall_s"] for r in train if r["how"] == "python"]
print(f"train: CLI median {statistics.median(cli):.2f} s, Python median {statistics.median(py):.2f} s, "
      f"Python / CLI = {statistics.median(py) / statistics.median(cli):.3f}")
pop = [r for r in records if r["kind"] == "population"]
for key in ("gymnasium_env_s", "neurevo_env_python_loop_s", "cpp_evaluator_s"):
    print(f"population: {key} median {statistics.median(r[key] for r in pop):.3f} s")
print("per env step: gymnasium loop {:.1f} us, C++ evaluator {:.1f} us".format(
    1e6 * statistics.median(r["gymnasium_env_s"] / r["env_steps_python"] for r in pop),
    1e6 * statistics.median(r["cpp_evaluator_s"] / r["cpp_env_steps"] for r in pop)))
if args.out:
    with open(args.out, "a") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
