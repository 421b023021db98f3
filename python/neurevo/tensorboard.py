"""Runs' metrics as TensorBoard event files (`neurevo report ... --tensorboard LOGDIR`, or
`python -m neurevo.tensorboard RUN_DIR ... --logdir LOGDIR`).

One subdirectory of LOGDIR per run (its directory's name), one scalar per numeric metrics.jsonl
field per generation (nested fields as `info/reward_forward`, `diversity/kl_uniform`, ...), at the
generation's env steps as TensorBoard's step, so its curves line up with the report's; the config as
text. Written again from the whole metrics.jsonl each time (the run's earlier event files in that
subdirectory are replaced), so running it during training and again later gives no duplicate points.
Written with tensorboardX (PyPI; the event-file writer without TensorFlow or PyTorch).
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .run import Run, check_counter

# Fields that are not a quantity over training.
_SKIP = {"generation", "env_steps"}


def _scalars(row: dict, prefix: str = ""):
    for key, value in row.items():
        name = prefix + key
        if key in _SKIP and not prefix:
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            if math.isfinite(value):
                yield name, float(value)
        elif isinstance(value, dict):
            yield from _scalars(value, name + "/")
        elif isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
            for i, v in enumerate(value):  # island_best: one curve per island
                if not isinstance(v, bool) and math.isfinite(v):
                    yield f"{name}/{i}", float(v)


def _seconds(row: dict, start: float) -> float:
    """A row's wall time (seconds since the run began) as TensorBoard's: `start` where it is missing or
    not a finite number."""
    w = row.get("wall_seconds")
    ok = isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) and w >= 0
    return start + (float(w) if ok else 0.0)


def write_run(run: Run, directory: Path) -> int:
    """Writes `run`'s metrics into `directory` (its old event files replaced); returns the scalars written."""
    try:
        from tensorboardX import SummaryWriter
    except ImportError as e:
        raise ValueError("--tensorboard needs tensorboardX (pip install tensorboardX)") from e
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"tensorboard: {directory} is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    start = (run.dir / "config.toml").stat().st_mtime  # the run's start, for TensorBoard's wall-time axis
    metrics = run.metrics
    count = 0
    # Written aside, in LOGDIR itself (one file system: the new file replaces the old by a rename),
    # then moved in: a failure leaves the earlier files as they were.
    tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=directory))
    try:
        writer = SummaryWriter(logdir=str(tmp), flush_secs=3600)
        try:
            writer.add_text("config", "```toml\n" + run.config + "\n```", global_step=0, walltime=start)
            for row in metrics:
                step = row.get("env_steps", row.get("generation", 0))  # counts, checked by Run.metrics
                wall = _seconds(row, start)
                for name, value in _scalars(row):
                    writer.add_scalar(name, value, global_step=step, walltime=wall)
                    count += 1
            if run.complete:
                summary = run.summary
                for name in ("eval_mean", "eval_std", "best_validated_mean"):
                    if isinstance(summary.get(name), (int, float)) and math.isfinite(summary[name]):
                        writer.add_scalar(f"summary/{name}", float(summary[name]),
                                          global_step=check_counter(summary.get("env_steps"),
                                                                    f"{run.dir / 'summary.json'}: env_steps"),
                                          walltime=_seconds(summary, start))
                        count += 1
        finally:
            writer.close()
        new = list(tmp.glob("events.out.tfevents.*"))
        if len(new) != 1:
            raise ValueError(f"tensorboard: tensorboardX wrote {len(new)} event files, one expected")
        target = directory / new[0].name
        os.replace(new[0], target)
        for f in directory.glob("events.out.tfevents.*"):
            if f != target:
                f.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return count


def write(run_dirs, logdir) -> list[Path]:
    """Each run into LOGDIR/<its directory's name> (-2, -3, ... added where a name is taken)."""
    runs = [r if isinstance(r, Run) else Run(r) for r in run_dirs]
    logdir = Path(logdir)
    if not str(logdir):
        raise ValueError("tensorboard: an empty LOGDIR")
    if logdir.exists() and not logdir.is_dir():
        raise ValueError(f"tensorboard: {logdir} is not a directory")
    used: set[str] = set()
    written = []
    for run in runs:
        base = run.dir.resolve().name
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}-{k}"
        used.add(name)
        write_run(run, logdir / name)
        written.append(logdir / name)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description="Runs' metrics as TensorBoard event files")
    parser.add_argument("run_dirs", nargs="+")
    parser.add_argument("--logdir", required=True)
    args = parser.parse_args(argv)
    try:
        t = time.time()
        dirs = write(args.run_dirs, args.logdir)
    except (ValueError, OSError) as e:
        print(f"neurevo: error: {e}", file=sys.stderr)
        sys.exit(2)
    for run_dir, d in zip(args.run_dirs, dirs):
        print(f"{run_dir} -> {d}")
    print(f"wrote {len(dirs)} runs' event files under {args.logdir} in {time.time() - t:.1f} s "
          f"(tensorboard --logdir {args.logdir})")


if __name__ == "__main__":
    main()
