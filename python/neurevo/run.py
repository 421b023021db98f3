"""Training runs from Python: the CLI's `neurevo train`, with the same run directory."""
from __future__ import annotations

import json
import os
from pathlib import Path

from . import _core
from ._config import config_source, overrides_from_kwargs


def _check_seed(seed) -> None:
    if seed is not None and not (isinstance(seed, (int,)) or hasattr(seed, "__index__")) or \
            (seed is not None and not 0 <= int(seed) < 2**64):
        raise _core.ConfigError(f"seed {seed!r}: an integer in [0, 2^64) is needed")


# The largest run file read here (metrics.jsonl of a very long run is tens of MB).
MAX_RUN_FILE_BYTES = 1 << 30


def _read_run_file(path: Path) -> str:
    """A run file's text; a ConfigError naming it for what is not a regular UTF-8 file of at most
    MAX_RUN_FILE_BYTES (a FIFO or a device would block or never end)."""
    if not path.is_file():
        raise _core.ConfigError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > MAX_RUN_FILE_BYTES:
        raise _core.ConfigError(f"{path}: {size} bytes, more than the {MAX_RUN_FILE_BYTES} a run file may have")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise _core.ConfigError(f"{path}: not UTF-8 text ({e})") from e


def _parse_json(text: str, where: str):
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:  # RecursionError: nested deeper than Python parses
        raise _core.ConfigError(f"{where}: not JSON ({type(e).__name__}: {e})") from e


def check_counter(value, where: str) -> int:
    """A count the trainer writes (generation, env_steps): an integer in [0, 2^63)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise _core.ConfigError(f"{where}: {value!r} is not a count (an integer in [0, 2^63))")
    return value


class Run:
    """A run directory (neurevo/train.h lists its files), read when asked for."""

    def __init__(self, directory):
        self.dir = Path(directory)
        if not (self.dir / "config.toml").is_file():
            raise _core.ConfigError(f"{self.dir}: not a run directory (no config.toml)")

    def __repr__(self):
        return f"neurevo.Run({str(self.dir)!r})"

    @property
    def config(self) -> str:
        """The resolved config (every key), as TOML text."""
        return _read_run_file(self.dir / "config.toml")

    def config_dict(self) -> dict:
        """The resolved config, parsed (a ConfigError naming config.toml where it is not TOML)."""
        import tomllib

        path = self.dir / "config.toml"
        try:
            return tomllib.loads(self.config)
        except (tomllib.TOMLDecodeError, RecursionError) as e:
            raise _core.ConfigError(f"{path}: not TOML ({type(e).__name__}: {e})") from e

    @property
    def complete(self) -> bool:
        return (self.dir / "summary.json").is_file()

    @property
    def summary(self) -> dict:
        """summary.json: the run's result (written once the run is complete)."""
        path = self.dir / "summary.json"
        if not path.is_file():
            raise _core.ConfigError(f"{path}: the run is not complete (resume it with neurevo.resume)")
        summary = _parse_json(_read_run_file(path), str(path))
        if not isinstance(summary, dict):
            raise _core.ConfigError(f"{path}: not a JSON object")
        return summary

    @property
    def metrics(self) -> list[dict]:
        """metrics.jsonl: one dict per generation."""
        path = self.dir / "metrics.jsonl"
        if not path.exists():
            return []
        lines = _read_run_file(path).split("\n")
        # A last line without its newline is one being written (or torn by a kill; resume truncates it):
        # not yet a generation.
        lines = lines[:-1]
        rows = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            row = _parse_json(line, f"{path}:{number}")
            if not isinstance(row, dict):
                raise _core.ConfigError(f"{path}:{number}: not a JSON object")
            for counter in ("generation", "env_steps"):
                if counter in row:
                    check_counter(row[counter], f"{path}:{number}: {counter}")
            rows.append(row)
        return rows

    def metrics_frame(self):
        """The metrics as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.json_normalize(self.metrics)

    @property
    def best_genome(self) -> np.ndarray:
        """The best genome's genes (best_genome.json), checked against the run's model."""
        return _core.run_genome(str(self.dir))

    def network(self, threads: int = 1):
        """The best genome as a running Network, with the run's observation normaliser."""
        from .network import Network

        return Network._from_core(_core.Networks(str(self.dir), threads))

    def evaluate(self, episodes: int | None = None, seed: int | None = None, threads: int = 0) -> dict:
        """Held-out evaluation of the best genome (`neurevo eval`); the defaults reproduce summary.json."""
        if episodes is not None and not 1 <= int(episodes) <= 100_000_000:
            raise _core.ConfigError(f"evaluate: episodes {episodes} outside 1 .. 100000000")
        _check_seed(seed)
        return json.loads(_core.evaluate_run(str(self.dir), episodes, seed, threads))

    def rollout(self, path, episodes: int = 1, seed: int | None = None) -> Path:
        """JSON lines of held-out episodes of the best genome (`neurevo rollout`), written to `path`."""
        if not 1 <= int(episodes) <= 1_000_000:
            raise _core.ConfigError(f"rollout: episodes {episodes} outside 1 .. 1000000")
        _check_seed(seed)
        _core.rollout_run(str(self.dir), episodes, seed, os.fspath(path))
        return Path(path)


def _run(call, directory) -> Run:
    """Runs training; Ctrl-C (or another signal handler's exception) stops it as in the CLI, after the
    last complete generation is checkpointed, and is raised then, naming the directory."""
    try:
        call()
    except KeyboardInterrupt as e:
        raise KeyboardInterrupt(f"training interrupted; the last complete generation is checkpointed in {directory} "
                                f"(neurevo.resume({str(directory)!r}) continues it)") from e
    return Run(directory)


def train(config=None, *, out=None, overrides=(), progress: bool = False, **kwargs) -> Run:
    """Trains as `neurevo train` does and returns the Run.

    config: None (the built-in default), a .toml path, TOML text, or a dict of sections.
    Overrides as keywords with `__` for the dot (`optimizer__kind="snes"`) or as "key=value"
    strings in `overrides`. out: the run directory (default runs/<task>-<model>-...).
    Ctrl-C stops after checkpointing and raises KeyboardInterrupt.
    """
    path, text, base = config_source(config)
    sets = base + list(overrides) + overrides_from_kwargs(kwargs)
    directory = os.fspath(out) if out else _core.default_run_dir(path, text, sets)
    return _run(lambda: _core.train(path, text, sets, directory, progress), directory)


def resume(run_dir, *, overrides=(), progress: bool = False, **kwargs) -> Run:
    """Continues a stopped or killed run (`neurevo train --resume`); only budget.* and run.threads may change."""
    sets = list(overrides) + overrides_from_kwargs(kwargs)
    return _run(lambda: _core.resume(os.fspath(run_dir), sets, progress), os.fspath(run_dir))


def load_run(directory) -> Run:
    return Run(directory)


def resolved_config(config=None, *, overrides=(), **kwargs) -> str:
    """The config as training would resolve it (every key, validated), as TOML text."""
    path, text, base = config_source(config)
    return _core.config_toml(path, text, base + list(overrides) + overrides_from_kwargs(kwargs))


def describe(config=None, *, overrides=(), **kwargs) -> dict:
    """What a config builds (`neurevo describe`): sizes, populations, gene families, memory."""
    path, text, base = config_source(config)
    return json.loads(_core.describe(path, text, base + list(overrides) + overrides_from_kwargs(kwargs)))
