#!/usr/bin/env python3
"""Records reference trajectories of Gymnasium's classic-control tasks.

For each task and a few seeded episodes this resets `gymnasium.make(id)` (so
truncation comes from the real TimeLimit wrapper), reads the internal state
(env.unwrapped.state) and replays a recorded action sequence until the episode
terminates or is truncated. Per step it writes the action, observation,
reward, terminated, truncated and the internal state after the step.

Output: one file per task, OUT/<TaskId>.json:
  {"gymnasium_version": ..., "numpy_version": ..., "task": ...,
   "episodes": [{"seed": ..., "policy": ..., "initial_state": [...],
                 "initial_observation": [...],
                 "steps": [{"action": ..., "observation": [...], "reward": ...,
                            "terminated": ..., "truncated": ...,
                            "state": [...]}]}]}

Floats are written with Python's repr (shortest round-trip), so float64 and
float32 values survive exactly. Continuous actions are float32 arrays, as
action_space.sample() gives them, and are recorded as their exact values.

The C++ side (tests/classic_parity_test.cc) replays these files.

Usage: record_classic.py --out DIR
"""

import argparse
import json
import math
import os
import sys

import gymnasium as gym
import numpy as np


def to_list(x):
    return [float(v) for v in np.asarray(x, dtype=np.float64).ravel()]


# --- policies: f(rng, obs, state, t) -> action --------------------------------

def cartpole_random(rng, obs, state, t):
    return int(rng.integers(0, 2))


def cartpole_linear(rng, obs, state, t):
    x, x_dot, theta, theta_dot = state
    u = 0.05 * x + 0.2 * x_dot + 5.0 * theta + 1.0 * theta_dot
    return 1 if u > 0 else 0


def cartpole_linear_noisy(rng, obs, state, t):
    # Balances for a while, but every 10th action is random.
    if rng.random() < 0.1:
        return int(rng.integers(0, 2))
    x, x_dot, theta, theta_dot = state
    return 1 if (2.0 * theta + 0.5 * theta_dot) > 0 else 0


def box_random(low, high):
    def policy(rng, obs, state, t):
        return np.array([rng.uniform(low, high)], dtype=np.float32)
    return policy


def pendulum_pump(rng, obs, state, t):
    # Energy pumping with a too-large torque (exercises clipping).
    th, thdot = state
    return np.array([3.0 if thdot >= 0 else -3.0], dtype=np.float32)


def mountain_car_pump(rng, obs, state, t):
    # Push along the velocity; |a| > 1 sometimes (clipped by the env, but the
    # reward uses the raw action), exactly +-1 sometimes.
    position, velocity = state
    sign = 1.0 if velocity >= 0 else -1.0
    mag = [1.0, 1.3, 0.8][t % 3]
    return np.array([sign * mag], dtype=np.float32)


def mountain_car_mixed(rng, obs, state, t):
    position, velocity = state
    if rng.random() < 0.3:
        return np.array([rng.uniform(-1.5, 1.5)], dtype=np.float32)
    return np.array([1.0 if velocity >= 0 else -1.0], dtype=np.float32)


def acrobot_random(rng, obs, state, t):
    return int(rng.integers(0, 3))


def acrobot_pump(rng, obs, state, t):
    # Torque along the second joint's velocity: swings up and terminates.
    dtheta2 = state[3]
    return 2 if dtheta2 > 0 else 0


TASKS = {
    "CartPole-v1": [
        (0, "random", cartpole_random),
        (1, "linear", cartpole_linear),     # survives 500 steps: truncation
        (2, "linear_noisy", cartpole_linear_noisy),
    ],
    "Pendulum-v1": [
        (0, "random", box_random(-2.5, 2.5)),
        (1, "pump", pendulum_pump),
        (2, "random", box_random(-2.0, 2.0)),
    ],
    "MountainCarContinuous-v0": [
        (0, "random", box_random(-1.2, 1.2)),   # truncation at 999
        (1, "pump", mountain_car_pump),         # reaches the goal
        (2, "mixed", mountain_car_mixed),
    ],
    "Acrobot-v1": [
        (0, "random", acrobot_random),          # truncation at 500
        (1, "pump", acrobot_pump),              # terminates
        (2, "random", acrobot_random),
    ],
}


def record_episode(task_id, seed, policy_name, policy):
    env = gym.make(task_id)
    obs, _ = env.reset(seed=seed)
    rng = np.random.default_rng(1000 + seed)
    episode = {
        "seed": seed,
        "policy": policy_name,
        "initial_state": to_list(env.unwrapped.state),
        "initial_observation": to_list(obs),
        "steps": [],
    }
    t = 0
    while True:
        state = np.array(env.unwrapped.state, dtype=np.float64)
        action = policy(rng, obs, state, t)
        obs, reward, terminated, truncated, _ = env.step(action)
        if isinstance(action, np.ndarray):
            recorded_action = float(action[0])
        else:
            recorded_action = int(action)
        episode["steps"].append({
            "action": recorded_action,
            "observation": to_list(obs),
            "reward": float(reward),
            "terminated": bool(terminated),
            "truncated": bool(truncated),
            "state": to_list(env.unwrapped.state),
        })
        t += 1
        if terminated or truncated:
            break
    env.close()
    return episode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for task_id, episodes in TASKS.items():
        data = {
            "gymnasium_version": gym.__version__,
            "numpy_version": np.__version__,
            "task": task_id,
            "episodes": [record_episode(task_id, s, n, p) for s, n, p in episodes],
        }
        path = os.path.join(args.out, task_id + ".json")
        with open(path, "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        summary = ", ".join(
            "%d steps%s" % (len(e["steps"]),
                            " (terminated)" if e["steps"][-1]["terminated"]
                            else " (truncated)" if e["steps"][-1]["truncated"]
                            else "")
            for e in data["episodes"])
        print("%s: %s" % (path, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
