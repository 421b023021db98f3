"""Networks from Python: decode genomes, step them on observations, record their neurons.

A `Networks` object holds P decoded genomes of one model and steps them together
(observations (P, obs) -> actions (P, act)), in parallel on `threads` threads with
the GIL released. `Network` is one of them with 1-D observations and actions.
"""
from __future__ import annotations

import numpy as np

from . import _core
from ._config import config_source, overrides_from_kwargs


def _space_tuple(space):
    """A Gymnasium space (Box or Discrete) as the core's ("box", low, high) / ("discrete", n)."""
    import gymnasium

    if isinstance(space, gymnasium.spaces.Discrete):
        if int(space.start) != 0:
            raise ValueError("Discrete spaces must start at 0")
        return ("discrete", int(space.n))
    if isinstance(space, gymnasium.spaces.Box):
        return ("box", [float(v) for v in np.ravel(space.low)], [float(v) for v in np.ravel(space.high)])
    raise ValueError(f"unsupported space {space!r}: Box or Discrete")


def _spaces_of(env):
    if env is None:
        return None
    obs_space, act_space = (env.observation_space, env.action_space) if hasattr(env, "observation_space") else env
    return (_space_tuple(obs_space), _space_tuple(act_space))


def genome_size(config=None, *, env=None, overrides=(), **kwargs) -> int:
    """Genes of the config's model on its task, or on `env`'s spaces (a Gymnasium env or (obs, act) spaces)."""
    path, text, base = config_source(config)
    return _core.genome_size(path, text, base + list(overrides) + overrides_from_kwargs(kwargs), _spaces_of(env))


def noise_keys(seeds) -> np.ndarray:
    """Integers in [0, 2^64) (an int or a sequence of them) as uint64, exactly (no float round trip)."""
    values = np.asarray(seeds, dtype=object).ravel()
    out = np.empty(values.size, dtype=np.uint64)
    for i, v in enumerate(values):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)) or not 0 <= int(v) < 2**64:
            raise _core.ConfigError(f"noise keys must be integers in [0, 2^64), got {v!r}")
        out[i] = int(v)
    return out if np.ndim(seeds) else out.reshape(())


class Networks:
    """P networks of one config's model, one per row of `genomes`.

    config: as for neurevo.train (None, a .toml path, TOML text or a dict); its task gives the
    observation and action spaces unless `env` (a Gymnasium env or its spaces as a pair) does.
    Observations are used as given (no normaliser), except for networks of a run (Run.network()),
    which normalise as the run did.
    """

    def __init__(self, config=None, genomes=None, *, env=None, threads: int = 1, overrides=(), **kwargs):
        if genomes is None:
            raise ValueError("give genomes, a (P, genes) array")
        path, text, base = config_source(config)
        spaces = _spaces_of(env)
        g = np.ascontiguousarray(np.atleast_2d(genomes), dtype=np.float64)
        self._core = _core.Networks(path, text, base + list(overrides) + overrides_from_kwargs(kwargs), spaces, g,
                                    int(threads))
        self._init()

    @classmethod
    def _from_core(cls, core):
        self = cls.__new__(cls)
        self._core = core
        self._init()
        return self

    def _init(self):
        (self._obs_kind, *obs), (self._act_kind, *act) = self._core.spaces
        self.observation_size = len(obs[0])
        self.discrete = self._act_kind == "discrete"
        self.action_size = 1 if self.discrete else len(act[0])
        self._recording = False

    def __len__(self):
        return self._core.count

    @property
    def genes(self) -> int:
        return self._core.genes

    @property
    def substeps(self) -> int:
        return self._core.substeps

    def reset(self, seeds=0) -> None:
        """Resets every network; seeds (an int, or one per network) key their noise streams."""
        self._core.reset(np.ascontiguousarray(np.broadcast_to(noise_keys(seeds), (len(self),))))

    def step(self, observations) -> np.ndarray:
        """One environment step: observations (P, obs) -> actions (P, act) (discrete: the index)."""
        obs = np.ascontiguousarray(observations, dtype=np.float64)
        if obs.shape != (len(self), self.observation_size):
            raise _core.ConfigError(f"step: observations of shape {obs.shape}, expected "
                                    f"({len(self)}, {self.observation_size})")
        return self._core.step(obs)

    def outputs(self) -> np.ndarray:
        """The last step's policy outputs before decoding to actions (P, outputs)."""
        return self._core.outputs()

    @property
    def healthy(self) -> np.ndarray:
        return np.asarray(self._core.healthy(), dtype=bool)

    def record(self, on: bool = True) -> None:
        """Recording on/off (LIF networks): probes() and spikes() then describe the last step."""
        self._core.set_recording(bool(on))
        self._recording = bool(on)

    def probes(self) -> dict:
        """The last step's recorded values: {"v", "g_exc", "g_inh", "activity"} -> (P, neurons) float32."""
        return self._core.probes()

    def spikes(self, index: int = 0) -> np.ndarray:
        """The last step's spikes of network `index`: (k, 2) int32 rows of (substep, neuron)."""
        return self._core.spikes(int(index))


class Network(Networks):
    """One network: step(obs) takes and returns 1-D arrays (a discrete action as an int)."""

    def __init__(self, config=None, genome=None, **kwargs):
        if genome is None:
            raise ValueError("give a genome")
        genome = np.asarray(genome, dtype=np.float64)
        if genome.ndim != 1:
            raise ValueError("Network takes one genome (1-D); use Networks for many")
        super().__init__(config, genome[None, :], **kwargs)

    def reset(self, seed: int = 0) -> None:
        super().reset(seed)

    def step(self, observation):
        obs = np.asarray(observation, dtype=np.float64)
        if obs.shape != (self.observation_size,):
            raise _core.ConfigError(f"step: an observation of shape {obs.shape}, expected ({self.observation_size},)")
        action = super().step(obs[None, :])[0]
        return int(action[0]) if self.discrete else action

    def spikes(self) -> np.ndarray:
        return super().spikes(0)

    def run(self, observations, seed: int = 0) -> dict:
        """Runs the network on a sequence of observations (T, obs) from a reset, recording every step:
        returns {"actions": (T, act), "v"/"g_exc"/"g_inh"/"activity": (T, neurons), "spikes": (k, 2) of
        (absolute substep, neuron)}."""
        observations = np.asarray(observations, dtype=np.float64)
        self.reset(seed)
        was = self._recording
        self.record(True)
        actions, probes, spikes = [], {}, []
        for t, obs in enumerate(observations):
            actions.append(np.atleast_1d(self.step(obs)))
            for name, values in self.probes().items():
                probes.setdefault(name, []).append(values[0])
            s = self.spikes().copy()
            s[:, 0] += t * self.substeps
            spikes.append(s)
        self.record(was)
        out = {"actions": np.asarray(actions)}
        out.update({name: np.asarray(v) for name, v in probes.items()})
        out["spikes"] = np.concatenate(spikes) if spikes else np.empty((0, 2), np.int32)
        return out


def evaluate_population(config, genomes, *, episodes: int = 1, seed: int = 1, generation: int = 0,
                        threads: int = 0, overrides=(), **kwargs) -> np.ndarray:
    """Fitness (mean return) of each genome on the config's neurevo task, evaluated in C++ as the
    trainer evaluates generation `generation` (same episode seeds and noise keys; no normaliser)."""
    path, text, base = config_source(config)
    g = np.ascontiguousarray(np.atleast_2d(genomes), dtype=np.float64)
    if not (isinstance(seed, (int, np.integer)) and 0 <= int(seed) < 2**64):
        raise _core.ConfigError(f"seed {seed!r}: an integer in [0, 2^64) is needed")
    if not (isinstance(generation, (int, np.integer)) and 0 <= int(generation) < 2**62):
        raise _core.ConfigError(f"generation {generation!r}: a non-negative integer is needed")
    fitness, _steps = _core.evaluate_population(path, text, base + list(overrides) + overrides_from_kwargs(kwargs), g,
                                                int(episodes), int(seed), int(generation), int(threads))
    return fitness
