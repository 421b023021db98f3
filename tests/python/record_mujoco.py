#!/usr/bin/env python3
"""Records reference trajectories of Gymnasium's MuJoCo v5 tasks.

For each task and a few seeded episodes this resets `gymnasium.make(id)` and
steps it with a seeded random float32 action sequence (one episode within the
action space, one reaching 1.5x beyond it, which MuJoCo clamps but the control
cost counts), for at most MAX_STEPS steps or until it terminates. It records
the simulator snapshot after the reset and after every step, plus each step's
action, observation, reward, terminated and truncated, and the reward's
survival term (info["reward_survive"], absent where the task has none).

A snapshot holds what the C++ test needs to re-sync to the reference's state
(qpos, qvel, qacc_warmstart) and the derived quantities the observation and
reward read from the last forward pass (the torso's xpos, the sites' xpos,
qfrc_constraint, and for Ant cfrc_ext after mj_rnePostConstraint).

Output: one file per task, OUT/<TaskId>.json:
  {"gymnasium_version", "mujoco_version", "numpy_version", "task",
   "episodes": [{"seed", "policy", "initial": SNAPSHOT,
                 "initial_observation": [...],
                 "steps": [{"action": [...], "observation": [...],
                            "reward", "terminated", "truncated", ["survival"],
                            "after": SNAPSHOT}]}]}
  SNAPSHOT = {"qpos", "qvel", "qacc_warmstart", "xpos_torso", "site_xpos",
              "qfrc_constraint", ["cfrc_ext"]}

Floats are written with Python's repr (shortest round-trip), so float64 and
float32 values survive exactly. The C++ side is tests/mujoco_parity_test.cc.

Usage: record_mujoco.py --out DIR [--episodes N] [--max-steps M]
"""

import argparse
import json
import os
import sys

import gymnasium as gym
import mujoco
import numpy as np

MAX_STEPS = {
    "InvertedPendulum-v5": 60,
    "InvertedDoublePendulum-v5": 60,
    "Swimmer-v5": 60,
    "Hopper-v5": 60,
    "HalfCheetah-v5": 50,
    "Walker2d-v5": 60,
    "Ant-v5": 30,
}
EPISODES = [(0, "uniform", 1.0), (1, "uniform_1.5x", 1.5), (2, "uniform_0.2x", 0.2)]


def to_list(x):
    return [float(v) for v in np.asarray(x, dtype=np.float64).ravel()]


def snapshot(env, task_id):
    d = env.unwrapped.data
    s = {
        "qpos": to_list(d.qpos),
        "qvel": to_list(d.qvel),
        "qacc_warmstart": to_list(d.qacc_warmstart),
        "xpos_torso": to_list(d.xpos[1]),
        "site_xpos": to_list(d.site_xpos),
        "qfrc_constraint": to_list(d.qfrc_constraint),
    }
    if task_id == "Ant-v5":
        s["cfrc_ext"] = to_list(d.cfrc_ext)
    return s


def record_episode(task_id, seed, policy_name, scale):
    env = gym.make(task_id)
    obs, _ = env.reset(seed=seed)
    rng = np.random.default_rng(1000 + seed)
    low = env.action_space.low.astype(np.float64)
    high = env.action_space.high.astype(np.float64)
    episode = {
        "seed": seed,
        "policy": policy_name,
        "initial": snapshot(env, task_id),
        "initial_observation": to_list(obs),
        "steps": [],
    }
    for _ in range(MAX_STEPS[task_id]):
        action = rng.uniform(low * scale, high * scale).astype(np.float32)
        obs, reward, terminated, truncated, info = env.step(action)
        step = {
            "action": to_list(action),
            "observation": to_list(obs),
            "reward": float(reward),
            "terminated": bool(terminated),
            "truncated": bool(truncated),
            "after": snapshot(env, task_id),
        }
        if "reward_survive" in info:
            step["survival"] = float(info["reward_survive"])
        episode["steps"].append(step)
        if terminated or truncated:
            break
    env.close()
    return episode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--episodes", type=int, default=len(EPISODES),
                        help="episodes per task (more than 3 cycles the policies "
                             "with further seeds; for measuring tolerances)")
    parser.add_argument("--max-steps", type=int, default=0,
                        help="steps per episode at most (0: the defaults above)")
    args = parser.parse_args()
    if args.max_steps:
        for task_id in MAX_STEPS:
            MAX_STEPS[task_id] = args.max_steps
    episodes = [(seed, EPISODES[seed % len(EPISODES)][1], EPISODES[seed % len(EPISODES)][2])
                for seed in range(args.episodes)]
    os.makedirs(args.out, exist_ok=True)
    for task_id in MAX_STEPS:
        data = {
            "gymnasium_version": gym.__version__,
            "mujoco_version": mujoco.__version__,
            "numpy_version": np.__version__,
            "task": task_id,
            "episodes": [record_episode(task_id, s, n, k) for s, n, k in episodes],
        }
        path = os.path.join(args.out, task_id + ".json")
        with open(path, "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        summary = ", ".join(
            "%d steps%s" % (len(e["steps"]),
                            " (terminated)" if e["steps"][-1]["terminated"] else "")
            for e in data["episodes"])
        print("%s: %s" % (path, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
