"""Gymnasium both ways: neurevo's tasks equal Gymnasium's own; networks run on any Gymnasium env."""
import sys
from pathlib import Path

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import neurevo
from neurevo.gym import NeurevoEnv, evaluate_on_env

# Gymnasium's environment put in neurevo's physical state: the rollout-replay test's rule.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "python"))
from replay_rollout import restore  # noqa: E402


@pytest.mark.parametrize("task", ["CartPole-v1", "Acrobot-v1", "Pendulum-v1", "Hopper-v5", "HalfCheetah-v5"])
def test_neurevo_env_equals_gymnasiums_own(task):
    ours = gymnasium.make(f"neurevo/{task}")
    ref = gymnasium.make(task)
    rng = np.random.default_rng(0)
    for episode in range(2):
        obs, _ = ours.reset(seed=episode)
        ref.reset(seed=0)
        ref_obs = restore(ref, task, ours.unwrapped.state())
        assert np.array_equal(np.asarray(ref_obs, dtype=np.float64), obs)
        for step in range(1000):  # whole episodes: terminations and the time limit's truncation too
            space = ours.action_space
            action = int(rng.integers(space.n)) if isinstance(space, gymnasium.spaces.Discrete) \
                else rng.uniform(space.low, space.high).astype(np.float32)
            o1, r1, t1, u1, _ = ours.step(action)
            o2, r2, t2, u2, _ = ref.step(action)
            assert np.array_equal(np.asarray(o2, dtype=np.float64), o1), (task, episode, step)
            assert float(r2) == r1 and (t1, u1) == (bool(t2), bool(u2))
            if t1 or u1:
                break


def test_neurevo_env_passes_gymnasiums_checker():
    check_env(NeurevoEnv("CartPole-v1"), skip_render_check=True)
    check_env(NeurevoEnv("Hopper-v5"), skip_render_check=True)


def test_env_refuses_bad_input():
    env = NeurevoEnv("CartPole-v1")
    env.reset(seed=1)
    with pytest.raises(neurevo.ConfigError, match="discrete action 2 outside 0 .. 1"):
        env.step(2)
    with pytest.raises(neurevo.ConfigError, match="set_state: 3 values"):
        env.reset(options={"state": [0.0, 0.0, 0.0]})
    with pytest.raises(neurevo.ConfigError, match="task.name"):
        NeurevoEnv("NoSuchTask-v0")
    with pytest.raises(neurevo.ConfigError, match="task.options.no_option"):
        NeurevoEnv("Hopper-v5", no_option=True)


class SyncedToGymnasium(gymnasium.Wrapper):
    """neurevo's CartPole started where Gymnasium's CartPole starts for the same seed."""

    def reset(self, *, seed=None, options=None):
        ref = gymnasium.make("CartPole-v1").unwrapped
        ref.reset(seed=seed)
        return self.env.reset(options={"state": ref.state})


def test_a_population_gets_the_same_returns_on_gymnasiums_cartpole_and_neurevos():
    genomes = np.random.default_rng(3).uniform(0, 1, (8, 288))
    kw = dict(model__excitatory=4, model__inhibitory=4)
    theirs = evaluate_on_env(None, genomes, "CartPole-v1", episodes=3, seed=5, **kw)
    ours = evaluate_on_env(None, genomes, lambda: SyncedToGymnasium(NeurevoEnv("CartPole-v1")), episodes=3, seed=5,
                           **kw)
    assert np.array_equal(theirs, ours)
    assert theirs.std() > 0  # different genomes do differently: the comparison has something to compare


def test_networks_run_on_an_environment_neurevo_does_not_ship():
    env = gymnasium.make("MountainCar-v0")  # 2 observations, 3 actions
    nets = neurevo.Networks(None, np.zeros((1, 2 * 8 + 8 + 8 * 3 + 3)), env=env, model__kind="mlp",
                            model__mlp_hidden=[8])
    assert (nets.observation_size, nets.action_size, nets.discrete) == (2, 1, True)
    g = np.random.default_rng(0).uniform(0, 1, (4, nets.genes))
    returns = evaluate_on_env(None, g, "MountainCar-v0", episodes=1, model__kind="mlp", model__mlp_hidden=[8])
    assert returns.shape == (4, 1) and np.all(returns <= -1) and np.all(returns >= -200)


def test_specs_and_refusals():
    env = gymnasium.make("neurevo/CartPole-v1")
    assert env.spec.max_episode_steps == 500 and env.spec.reward_threshold == 475.0
    assert NeurevoEnv("Hopper-v5").spec.max_episode_steps == 1000
    with pytest.raises(ValueError, match="render_mode"):
        NeurevoEnv("CartPole-v1", render_mode="human")
    for task in ("NBack-2", "CartPole-v1", "WormForaging-circle"):
        with pytest.raises(neurevo.ConfigError, match="step before reset"):
            NeurevoEnv(task).step(0 if task != "WormForaging-circle" else np.zeros(2))


def test_absurd_states_do_not_hang():
    env = NeurevoEnv("Acrobot-v1")
    env.reset(seed=1)
    state = env.state()
    state[0] = 2.0**53  # subtracting 2 pi leaves it unchanged
    env.reset(options={"state": state})
    obs, *_ = env.step(0)
    assert np.isfinite(obs).all()
