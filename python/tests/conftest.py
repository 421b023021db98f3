import os
import shutil
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
