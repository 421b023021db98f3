#!/usr/bin/env python3
"""The seed paper's PPO baseline, measured here: Stable-Baselines3 PPO (its MlpPolicy, 64x64 tanh,
SB3's default hyperparameters, which are tuned for MuJoCo) trained on neurevo's own tasks as
Gymnasium environments (neurevo/<task>) for the paper's 5e5 env steps, then evaluated with the
deterministic policy on 100 held-out episodes.

    python3 -m venv .venv-ppo && .venv-ppo/bin/pip install -r bench/requirements-ppo.txt
    PYTHONPATH=build/python .venv-ppo/bin/python bench/ppo_baseline.py --jobs 2 --out bench/ppo_results.jsonl
    PYTHONPATH=build/python .venv-ppo/bin/python bench/ppo_baseline.py --report bench/ppo_results.jsonl

One JSON line per (task, seed) run, appended as each finishes (a killed sweep keeps what finished;
a rerun skips the (task, seed) pairs already in --out).
"""
import argparse
import json
import os
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

# The seed paper's MLP-PPO column (Table 2): mean, std.
PAPER_PPO = {"CartPole-v1": (500, 0), "HalfCheetah-v5": (3818.6, 120.3), "Hopper-v5": (780.3, 174.7),
             "InvertedPendulum-v5": (217.8, 99.6), "InvertedDoublePendulum-v5": (4117.1, 739.1),
             "Swimmer-v5": (322.1, 2.1), "Ant-v5": (838.0, 68.5), "Walker2d-v5": (1900.1, 69.9)}


def train_one(task, seed, steps, eval_episodes):
    import gymnasium
    import numpy as np
    import torch
    from stable_baselines3 import PPO

    import neurevo  # noqa: F401  (registers neurevo/<task>)

    torch.set_num_threads(1)  # one core per run; --jobs runs several
    env = gymnasium.make(f"neurevo/{task}")
    start = time.perf_counter()
    model = PPO("MlpPolicy", env, seed=seed, device="cpu", verbose=0)
    model.learn(total_timesteps=steps)
    train_s = time.perf_counter() - start
    eval_env = gymnasium.make(f"neurevo/{task}")
    returns = []
    for e in range(eval_episodes):
        obs, _ = eval_env.reset(seed=10**9 + e)  # held-out: seeds training never drew
        total, done = 0.0, False
        while not done:
            action, _ = model.predict(obs, deterministic=True)
            obs, reward, terminated, truncated, _ = eval_env.step(action)
            total += reward
            done = terminated or truncated
        returns.append(total)
    return {"task": task, "seed": seed, "env_steps": steps, "eval_episodes": eval_episodes,
            "eval_mean": float(np.mean(returns)), "eval_std": float(np.std(returns)), "train_wall_s": train_s,
            "steps_per_s": steps / train_s, "sb3": __import__("stable_baselines3").__version__,
            "torch": torch.__version__, "machine": platform.processor() or platform.machine()}


def report(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    print("| task | PPO (ours, measured): mean ± std over seeds | seeds | per-seed means | MLP-PPO (paper) | "
          "train wall per run |")
    print("|---|---|---|---|---|---|")
    for task in PAPER_PPO:
        mine = [r for r in rows if r["task"] == task]
        if not mine:
            continue
        means = [r["eval_mean"] for r in sorted(mine, key=lambda r: r["seed"])]
        std = statistics.pstdev(means) if len(means) > 1 else 0.0
        paper = PAPER_PPO[task]
        wall = statistics.mean(r["train_wall_s"] for r in mine) / 60
        print(f"| {task} | {statistics.mean(means):.1f} ± {std:.1f} | {len(means)} | "
              f"{', '.join(f'{m:.1f}' for m in means)} | {paper[0]:g} ± {paper[1]:g} | {wall:.1f} min |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", nargs="+", default=["CartPole-v1", "Hopper-v5", "HalfCheetah-v5"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--steps", type=int, default=500_000)
    parser.add_argument("--eval-episodes", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", default="bench/ppo_results.jsonl")
    parser.add_argument("--report", metavar="JSONL")
    args = parser.parse_args()
    if args.report:
        report(args.report)
        return
    done = set()
    if os.path.exists(args.out):
        done = {(r["task"], r["seed"], r["env_steps"]) for r in map(json.loads, open(args.out)) if r}
    todo = [(t, s) for t in args.tasks for s in args.seeds if (t, s, args.steps) not in done]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(train_one, t, s, args.steps, args.eval_episodes) for t, s in todo]
        for f in as_completed(futures):
            r = f.result()
            with open(args.out, "a") as out:
                out.write(json.dumps(r) + "\n")
            print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
