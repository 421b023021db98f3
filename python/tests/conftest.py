import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli():
    """The neurevo CLI built beside the extension (ctest passes it), or the one on PATH."""
    path = os.environ.get("NEUREVO_CLI") or shutil.which("neurevo")
    if not path:
        pytest.skip("no neurevo CLI (set NEUREVO_CLI)")
    return path


@pytest.fixture(scope="session")
def repo():
    return REPO


# A small, quick run: 4 E and 4 I neurons, a few generations, one held-out episode.
TINY = ["model.excitatory=4", "model.inhibitory=4", "budget.generations=3", "budget.env_steps=0",
        "eval.episodes=1", "train.validation_episodes=0"]


def train_tiny(cli, out, *sets):
    """Trains a tiny run with the CLI (TINY plus `sets`) into `out`; returns `out`."""
    subprocess.run([cli, "train", "--quiet", "--out", str(out)] + sum((["--set", s] for s in TINY + list(sets)), []),
                   check=True, stdout=subprocess.DEVNULL)
    return out
