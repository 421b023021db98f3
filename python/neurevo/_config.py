"""How Python values become the CLI's config inputs (a file, TOML text, key=value overrides)."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path


def toml_value(value) -> str:
    """A Python value as a TOML literal (for `key=value` overrides)."""
    if hasattr(value, "item") and hasattr(value, "dtype") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # numpy scalars (np.float64 is a float whose repr is "np.float64(...)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string: JSON's escapes are TOML's
    if hasattr(value, "tolist"):  # numpy arrays
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def overrides_from_kwargs(kwargs: dict) -> list[str]:
    """Keyword overrides: `optimizer__kind="cma_es"` or {"optimizer.kind": "cma_es"} -> key=value strings."""
    return [f"{key.replace('__', '.')}={toml_value(value)}" for key, value in kwargs.items()]


def config_source(config) -> tuple[str, str, list[str]]:
    """(path, toml_text, overrides) for a config given as None (the built-in default), a path to a
    .toml file, TOML text, or a dict of sections (as the TOML file would nest them)."""
    if config is None:
        return "", "", []
    if isinstance(config, dict):
        # Each section as an inline table (`model = {kind = "network"}`): the same TOML document as
        # [model] tables and [[network.populations]] arrays of tables, so the CLI's reader checks it.
        return "", "\n".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in config.items()) + "\n", []
    if isinstance(config, os.PathLike):
        return os.fspath(config), "", []
    if isinstance(config, str):
        if config and "\n" not in config and Path(config).is_file():
            return config, "", []
        if "\n" in config or "=" in config:
            return "", config, []
        raise FileNotFoundError(f"config file {config!r} does not exist (TOML text needs a key = value)")
    raise TypeError(f"config must be None, a path, TOML text or a dict, not {type(config).__name__}")
