#!/usr/bin/env python3
"""Replays `neurevo rollout` files in Gymnasium itself.

For each task below, trains a small run with the neurevo binary, records two
held-out episodes with `neurevo rollout --out FILE`, and replays every
episode in `gymnasium.make(task)`: reset, put the environment in the episode's
recorded initial state (the "reset" line's `state`), check the observation,
then step it with the recorded actions and check every observation, reward,
terminated and truncated flag against the file. Everything must agree exactly
(the MuJoCo tasks run PyPI's MuJoCo 2.3.7 against Debian's 2.2.2 in neurevo;
on these tasks and episode lengths the two agree bit for bit).

The `state` layouts (README, "Output files"): CartPole [x, x_dot, theta,
theta_dot]; Pendulum [theta, theta_dot]; MountainCarContinuous [position,
velocity]; Acrobot [theta1, theta2, dtheta1, dtheta2]; MuJoCo tasks
[qpos, qvel, qacc_warmstart].

Usage: replay_rollout.py NEUREVO_BIN WORKDIR        (exit status 0: all agree)
"""
import json
import os
import shutil
import subprocess
import sys

import gymnasium as gym
import numpy as np

SMALL = ["model.kind=mlp", "model.mlp_hidden=[4]", "train.validation_episodes=1", "eval.episodes=1"]
CASES = [
    ("CartPole-v1", ["budget.generations=3"]),
    ("Pendulum-v1", ["budget.generations=1"]),
    ("MountainCarContinuous-v0", ["budget.generations=1"]),
    ("Acrobot-v1", ["budget.generations=1"]),
    ("Hopper-v5", ["budget.generations=2"]),
    ("InvertedDoublePendulum-v5", ["budget.generations=2"]),
    # Ant without contact forces in the observation (27 values; task.options).
    ("Ant-v5", ["budget.generations=1", "task.options.include_cfrc_ext_in_observation=false"]),
]
# Gymnasium keywords of the task options above.
MAKE_KWARGS = {"Ant-v5": {"include_cfrc_ext_in_observation": False}}


def record(binary, work, task, sets):
    run = os.path.join(work, task)
    shutil.rmtree(run, ignore_errors=True)
    command = [binary, "train", "--quiet", "--threads", "1", "--out", run, "--set", f"task.name={task}"]
    for s in SMALL + sets:
        command += ["--set", s]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(work, task + ".jsonl")
    subprocess.run([binary, "rollout", run, "--episodes", "2", "--out", out], check=True)
    with open(out) as f:
        return [json.loads(line) for line in f]


def restore(env, task, state):
    """Puts the environment in `state`; returns its observation."""
    u = env.unwrapped
    if task.endswith("-v5"):
        nq, nv = u.model.nq, u.model.nv
        u.set_state(np.array(state[:nq]), np.array(state[nq:nq + nv]))
        u.data.qacc_warmstart[:] = state[nq + nv:]
        return u._get_obs()
    u.state = np.array(state, dtype=np.float64)
    if task == "Pendulum-v1":
        return u._get_obs()
    if task == "Acrobot-v1":
        return u._get_ob()
    return np.array(u.state, dtype=np.float32)


def as_list(x):
    return [float(v) for v in np.asarray(x, dtype=np.float64).ravel()]


def replay(task, rows):
    env = gym.make(task, **MAKE_KWARGS.get(task, {}))
    discrete = isinstance(env.action_space, gym.spaces.Discrete)
    problems, steps, episodes = [], 0, 0
    checked_info = set()
    for row in rows:
        where = f"{task} episode {row['episode']} step {row['step']}"
        if row["kind"] == "reset":
            episodes += 1
            env.reset(seed=0)
            obs = restore(env, task, row["state"])
            if as_list(obs) != row["observation"]:
                problems.append(f"{where}: initial observation differs")
            continue
        action = row["action"]
        if any(float(np.float32(a)) != a for a in action):
            problems.append(f"{where}: action {action} is not float32")
        obs, reward, terminated, truncated, info = env.step(
            int(action[0]) if discrete else np.array(action, dtype=np.float32))
        steps += 1
        if as_list(obs) != row["next_observation"]:
            diff = max(abs(a - b) for a, b in zip(as_list(obs), row["next_observation"]))
            problems.append(f"{where}: observation differs by up to {diff:.3g}")
        if float(reward) != row["reward"]:
            problems.append(f"{where}: reward {float(reward)!r} != {row['reward']!r}")
        if bool(terminated) != row["terminated"] or bool(truncated) != row["truncated"]:
            problems.append(f"{where}: flags differ")
        # The task's info terms (reward components): each must be Gymnasium's.
        for name, value in row.get("info", {}).items():
            if name not in info:
                problems.append(f"{where}: info {name!r} is not in Gymnasium's info")
            elif float(info[name]) != value:
                problems.append(f"{where}: info {name} {float(info[name])!r} != {value!r}")
        checked_info.update(row.get("info", {}).keys())
        if problems:
            break
    if task.endswith("-v5") and not checked_info:
        problems.append(f"{task}: the rollout recorded no info terms")
    return problems, steps, episodes


def main():
    binary, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    failed = False
    for task, sets in CASES:
        problems, steps, episodes = replay(task, record(binary, work, task, sets))
        if episodes != 2 or steps == 0:
            problems.append(f"{task}: expected 2 episodes with steps, got {episodes} and {steps} steps")
        print(f"{task}: {episodes} episodes, {steps} steps replayed: "
              f"{'exact' if not problems else problems[0]}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
