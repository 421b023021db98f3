"""Files written whole or not at all."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(out: Path):
    """Yields a temporary path beside `out` (same directory, same extension: writers that choose the
    format by it still work) to write to; renamed to `out` when the block ends without an exception,
    and removed in every case: an interrupted or failed write never leaves `out` half written."""
    tmp = out.with_name(out.stem + ".partial" + out.suffix)
    try:
        yield tmp
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
