"""Gymnasium both ways.

- neurevo's own tasks as Gymnasium environments: `import neurevo` registers every task as
  `neurevo/<id>` (gymnasium.make("neurevo/Hopper-v5")); task families (MemoryLength-N, ...)
  through NeurevoEnv("MemoryLength-10") directly. Each step runs neurevo's C++ task, which
  reproduces Gymnasium's own environment (tests/python and python/tests check it).
- neurevo's networks on ANY Gymnasium environment: evaluate_on_env steps the environments in
  Python and the networks in C++.
"""
from __future__ import annotations

import numpy as np

import gymnasium
from gymnasium import spaces
from gymnasium.envs.registration import EnvSpec

from . import _core
from ._config import toml_value
from .network import Networks


def _space(t, dtype=np.float64):
    if t[0] == "discrete":
        return spaces.Discrete(t[1])
    return spaces.Box(np.asarray(t[1], dtype=dtype), np.asarray(t[2], dtype=dtype), dtype=dtype)


class NeurevoEnv(gymnasium.Env):
    """A neurevo task as a Gymnasium environment (observations float64, as neurevo computes them;
    the time limit is the task's own, reported as truncated).

    reset(seed=s) starts from the state neurevo's task draws for seed s (not Gymnasium's draw for s);
    reset(options={"state": x}) starts from physical state x (Task.PhysicalState's layout), so that an
    episode can start where a Gymnasium environment is.
    info: the task's info values by name, "survival_reward" and "simulation_warning".
    """

    metadata = {"render_modes": []}

    def __init__(self, task: str = "CartPole-v1", render_mode=None, **options):
        if render_mode is not None:
            raise ValueError(f"render_mode {render_mode!r}: neurevo's environments do not render")
        self.render_mode = None
        sets = [f"task.name={toml_value(task)}"] + [f"task.options.{k}={toml_value(v)}" for k, v in options.items()]
        self._task = _core.Task(sets)
        self.observation_space = _space(self._task.observation_space)
        self.action_space = _space(self._task.action_space)
        self._info_names = list(self._task.info_names)
        # A spec also when made directly (gymnasium.make replaces it with the registered one).
        self.spec = EnvSpec(id=f"neurevo/{self._task.name}", entry_point="neurevo.gym:NeurevoEnv",
                            max_episode_steps=self._task.max_episode_steps,
                            reward_threshold=self._task.reward_threshold, kwargs={"task": task, **options})
        self._next_seed = None
        self.spec_max_episode_steps = self._task.max_episode_steps
        self.dt = self._task.dt

    @property
    def task_name(self) -> str:
        return self._task.name

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        if options and "state" in options:
            obs = self._task.set_state(np.ascontiguousarray(options["state"], dtype=np.float64))
        else:
            # Without a seed, the next one from the env's np_random (seeded by the last reset's seed).
            s = seed if seed is not None else int(self.np_random.integers(0, 2**63))
            obs = self._task.reset(int(s))
        return obs, {}

    def step(self, action):
        a = np.atleast_1d(np.asarray(action, dtype=np.float64)).ravel()
        obs, reward, terminated, truncated, info, survival, warning = self._task.step(np.ascontiguousarray(a))
        out = dict(zip(self._info_names, info.tolist()))
        out["survival_reward"] = survival
        out["simulation_warning"] = warning
        return obs, float(reward), bool(terminated), bool(truncated), out

    def state(self) -> np.ndarray:
        """The physical state (for replays and parity checks)."""
        return self._task.state()


def register_envs() -> None:
    """Registers every neurevo task id as neurevo/<id> (idempotent)."""
    for name in _core.task_names():
        env_id = f"neurevo/{name}"
        if env_id not in gymnasium.registry:
            try:
                task = _core.Task([f"task.name={toml_value(name)}"])
                limit, threshold = task.max_episode_steps, task.reward_threshold
            except _core.ConfigError:  # a task that needs options (ImageClassification's data)
                limit, threshold = None, None
            # The task truncates at its own limit; the spec says so (TimeLimit then agrees with it).
            gymnasium.register(id=env_id, entry_point="neurevo.gym:NeurevoEnv", kwargs={"task": name},
                               max_episode_steps=limit, reward_threshold=threshold)


def evaluate_on_env(config, genomes, env, *, episodes: int = 1, seed: int = 0, noise_seed: int = 0,
                    threads: int = 1, max_steps: int | None = None, overrides=(), **kwargs) -> np.ndarray:
    """Returns (P, episodes) episode returns of each genome's network on a Gymnasium environment.

    env: an environment id (gymnasium.make), a callable returning an environment, or an
    environment instance (used for one network at a time). Episode e of every genome starts
    from env.reset(seed=seed + e) with the network's noise keyed by noise_seed + e. All P
    networks step together (one C++ call per environment step), each on its own environment.
    """
    g = np.atleast_2d(np.asarray(genomes, dtype=np.float64))
    p = g.shape[0]
    owned = not isinstance(env, gymnasium.Env)
    if isinstance(env, str):
        envs = [gymnasium.make(env) for _ in range(p)]
    elif callable(env) and owned:
        envs = [env() for _ in range(p)]
    else:
        envs = [env] if p == 1 else None
        if envs is None:
            raise ValueError("one environment instance serves one genome: pass an id or a callable for P > 1")
    try:
        return _evaluate(config, g, envs, episodes, seed, noise_seed, threads, max_steps, overrides, kwargs)
    finally:
        if owned:
            for e in envs:
                e.close()


def _evaluate(config, g, envs, episodes, seed, noise_seed, threads, max_steps, overrides, kwargs):
    p = g.shape[0]
    spec = getattr(envs[0], "spec", None)
    if max_steps is None and (spec is None or spec.max_episode_steps is None):
        raise ValueError("the environment has no time limit (spec.max_episode_steps): give max_steps")
    nets = Networks(config, g, env=envs[0], threads=threads, overrides=overrides, **kwargs)
    returns = np.zeros((p, episodes))
    for e in range(episodes):
        obs = np.stack([np.asarray(en.reset(seed=seed + e)[0], dtype=np.float64).ravel() for en in envs])
        nets.reset(noise_seed + e)
        done = np.zeros(p, dtype=bool)
        t = 0
        while not done.all() and (max_steps is None or t < max_steps):
            actions = nets.step(obs)
            for i in np.flatnonzero(~done):
                a = int(actions[i, 0]) if nets.discrete else actions[i]
                o, r, term, trunc, _ = envs[i].step(a)
                returns[i, e] += r
                obs[i] = np.asarray(o, dtype=np.float64).ravel()
                done[i] = term or trunc
            t += 1
    return returns
