"""`neurevo render`: the held-out episode drawn by Gymnasium's renderers, as an MP4 or a strip of frames."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import train_tiny

imageio = pytest.importorskip("imageio.v2")
pytest.importorskip("imageio_ffmpeg")


def _render(cli, run, out, *extra):
    return subprocess.run([cli, "render", str(run), "--out", str(out), *extra], capture_output=True, text=True,
                          env={**os.environ, "NEUREVO_PYTHON": sys.executable})


def test_hopper_video_shows_the_held_out_episode(cli, tmp_path):
    run = train_tiny(cli, tmp_path / "hopper", "task.name=Hopper-v5", "budget.generations=1")
    out = tmp_path / "hopper.mp4"
    done = _render(cli, run, out, "--width", "160", "--height", "128", "--every", "2")
    assert done.returncode == 0, done.stderr
    with imageio.get_reader(out) as reader:  # FFmpeg decodes it
        frames = np.stack([f for f in reader.iter_data()])
    # One frame per second step of the episode (and its last), as neurevo's own rollout of it has.
    subprocess.run([cli, "rollout", str(run), "--out", str(tmp_path / "ep.jsonl")], check=True)
    rows = [json.loads(line) for line in (tmp_path / "ep.jsonl").read_text().splitlines()]
    expected = len(range(0, len(rows), 2)) + (1 if (len(rows) - 1) % 2 else 0)
    assert frames.shape == (expected, 128, 160, 3)
    # The hopper moves: frames differ, and each is a picture (not one colour).
    assert all(f.std() > 5 for f in frames)
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 1
    assert not list(tmp_path.glob("*.partial*"))


def test_cartpole_strip_and_refusals(cli, tmp_path):
    run = train_tiny(cli, tmp_path / "cartpole")
    out = tmp_path / "strip.png"
    done = _render(cli, run, out, "--frames", "4")
    assert done.returncode == 0, done.stderr
    strip = imageio.imread(out)
    assert strip.ndim == 3 and strip.shape[1] > 2 * strip.shape[0]  # four frames side by side
    # Not a picture format; a task without a picture; not a run: one line each, nothing written.
    bad = _render(cli, run, tmp_path / "x.gif")
    assert bad.returncode == 2 and ".mp4 (a video) or .png" in bad.stderr
    maze = train_tiny(cli, tmp_path / "maze", "task.name=MemoryLength-3")
    bad = _render(cli, maze, tmp_path / "m.mp4")
    assert bad.returncode == 2 and "has no picture" in bad.stderr
    bad = _render(cli, tmp_path, tmp_path / "n.mp4")
    assert bad.returncode == 2 and "not a run directory" in bad.stderr
    (tmp_path / "dir.mp4").mkdir()
    bad = _render(cli, run, tmp_path / "dir.mp4")
    assert bad.returncode == 2 and "is a directory" in bad.stderr
    bad = _render(cli, run, tmp_path / "missing" / "x.mp4")
    assert bad.returncode == 2 and "no directory" in bad.stderr
    bad = _render(cli, run, tmp_path / "odd.mp4", "--width", "161")
    assert bad.returncode == 2 and "must be even" in bad.stderr
    assert not (tmp_path / "x.gif").exists() and not (tmp_path / "m.mp4").exists()
