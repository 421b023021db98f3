"""`neurevo render RUN_DIR --out FILE.mp4|FILE.png`: the best agent's held-out episode as a video or a
strip of frames.

The episode is neurevo's own (`Run.rollout`: the first held-out episode, or --seed's), so the picture
is what the evaluation scored. Each frame is drawn by Gymnasium's renderer from the physical state
neurevo recorded at that step (MuJoCo's offscreen renderer for the -v5 tasks; pygame's for classic
control), so no second simulation has to agree with the first: neurevo's tasks replay exactly in
Gymnasium anyway (tests/python/replay_rollout.py).

Offscreen OpenGL for MuJoCo: EGL by default (Mesa's software EGL works without a GPU or a display;
Debian's libegl-mesa0 and libgl1-mesa-dri); MUJOCO_GL=osmesa (libosmesa6) also works. Video: H.264
in MP4 through imageio's FFmpeg plugin (imageio-ffmpeg ships its own ffmpeg build), the well-kept
route from NumPy frames to a file any player opens. A .png output is a strip of evenly spaced frames
(matplotlib), the form meant for classic control, where a video adds little.

    python -m neurevo.render runs/hopper --out hopper.mp4
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import tomllib
from pathlib import Path

# Before anything imports MuJoCo's Python bindings (they read it once, at import).
os.environ.setdefault("MUJOCO_GL", "egl")
if os.environ["MUJOCO_GL"] in ("egl", "osmesa"):
    os.environ.setdefault("PYOPENGL_PLATFORM", os.environ["MUJOCO_GL"])
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # pygame (classic control) without a display
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402

from . import _core  # noqa: E402
from .run import Run  # noqa: E402

# Tasks that Gymnasium draws, and how a recorded state is put into its environment.
CLASSIC = ("CartPole-v1", "Pendulum-v1", "MountainCarContinuous-v0", "Acrobot-v1")
MUJOCO = ("InvertedPendulum-v5", "InvertedDoublePendulum-v5", "Swimmer-v5", "Reacher-v5", "HalfCheetah-v5",
          "Hopper-v5", "Walker2d-v5", "Ant-v5")
MAX_PIXELS = 4096


def renderable() -> list[str]:
    """The tasks neurevo can render (those of Gymnasium that neurevo has)."""
    names = set(_core.task_names())
    return [t for t in CLASSIC + MUJOCO if t in names]


def _restore(env, task: str, state) -> None:
    """Puts Gymnasium's environment in neurevo's recorded physical state (README, "Output files")."""
    u = env.unwrapped
    if task in MUJOCO:
        nq, nv = u.model.nq, u.model.nv
        if len(state) < nq + nv:
            raise ValueError(f"{task}: a recorded state of {len(state)} values, {nq + nv} needed (qpos, qvel)")
        u.set_state(np.array(state[:nq]), np.array(state[nq:nq + nv]))  # runs mj_forward: bodies in place
    else:
        u.state = np.array(state, dtype=np.float64)


def _renderable_task(run: Run) -> str:
    task = tomllib.loads(run.config)["task"]["name"]
    if task not in renderable():
        raise ValueError(f"render: task {task!r} has no picture; rendered are {', '.join(renderable())}")
    return task


def _episode(run: Run, seed: int | None) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = run.rollout(Path(tmp) / "episode.jsonl", episodes=1, seed=seed)
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _make_env(task: str, options: dict, width: int, height: int):
    import gymnasium

    kwargs = dict(options)
    if task in MUJOCO:
        kwargs.update(width=width, height=height)
    try:
        return gymnasium.make(task, render_mode="rgb_array", **kwargs)
    except TypeError as e:  # a task option that Gymnasium's environment does not take
        raise ValueError(f"{task}: Gymnasium's environment does not take the run's task.options ({e})") from e
    except Exception as e:
        if task in MUJOCO:
            raise ValueError(f"{task}: MuJoCo could not open an offscreen OpenGL context with "
                             f"MUJOCO_GL={os.environ['MUJOCO_GL']} ({type(e).__name__}: {e}); install Mesa's EGL "
                             "(Debian: libegl-mesa0 libgl1-mesa-dri) or set MUJOCO_GL=osmesa (libosmesa6)") from e
        raise ValueError(f"{task}: Gymnasium cannot render it ({type(e).__name__}: {e}); classic control "
                         "needs pygame (pip install pygame)") from e


class Episode:
    """The run's held-out episode (neurevo's rollout of it): `rows[i]` is step i's line (0: the reset)."""

    def __init__(self, run_dir, seed: int | None = None, max_steps: int | None = None):
        self.run = Run(run_dir)
        self.task = _renderable_task(self.run)
        self.options = tomllib.loads(self.run.config)["task"].get("options", {})
        self.rows = _episode(self.run, seed)
        if max_steps is not None:
            self.rows = self.rows[:max_steps + 1]
        self.returns = np.cumsum([row.get("reward", 0.0) for row in self.rows])

    def frames(self, indices, width: int = 480, height: int = 480):
        """Yields (step, return so far, RGB frame) for each row index in `indices`."""
        if not (16 <= width <= MAX_PIXELS and 16 <= height <= MAX_PIXELS):
            raise ValueError(f"render: width and height must be within 16 .. {MAX_PIXELS}, got {width} x {height}")
        env = _make_env(self.task, self.options, width, height)
        try:
            env.reset(seed=0)
            for i in indices:
                _restore(env, self.task, self.rows[i]["state"])
                frame = env.render()
                if frame is None or frame.ndim != 3:
                    raise ValueError(f"{self.task}: Gymnasium's renderer returned no frame")
                yield self.rows[i]["step"], float(self.returns[i]), np.ascontiguousarray(frame[..., :3])
        finally:
            env.close()


def _fps(task: str) -> float:
    import gymnasium

    env = gymnasium.make(task)
    try:
        return float(env.metadata.get("render_fps", 30))
    finally:
        env.close()


def render(run_dir, out, *, seed: int | None = None, width: int = 480, height: int = 480,
           every: int | None = None, strip: int = 8, max_steps: int | None = None) -> Path:
    """Writes the held-out episode to `out`: .mp4 a video at the task's own frame rate divided by `every`
    (default: about 30 frames per second), .png a strip of `strip` evenly spaced frames."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".mp4", ".png"):
        raise ValueError(f"render: --out {out}: .mp4 (a video) or .png (a strip of frames)")
    if every is not None and every < 1:
        raise ValueError(f"render: every must be >= 1, got {every}")
    if not 1 <= strip <= 64:
        raise ValueError(f"render: strip must be within 1 .. 64 frames, got {strip}")
    if not (16 <= width <= MAX_PIXELS and 16 <= height <= MAX_PIXELS):
        raise ValueError(f"render: width and height must be within 16 .. {MAX_PIXELS}, got {width} x {height}")
    episode = Episode(run_dir, seed, max_steps)
    n = len(episode.rows)
    if suffix == ".png":
        picks = np.unique(np.linspace(0, n - 1, min(strip, n)).round().astype(int))
        _write_strip(list(episode.frames(picks, width, height)), out, episode.task)
        return out
    task_fps = _fps(episode.task)
    every = every or max(1, round(task_fps / 30))
    indices = list(range(0, n, every)) + ([n - 1] if (n - 1) % every else [])  # and the last step
    import imageio.v2 as imageio

    tmp = out.with_name(out.stem + ".partial" + out.suffix)  # the extension tells FFmpeg the container
    writer = imageio.get_writer(tmp, fps=task_fps / every, codec="libx264", pixelformat="yuv420p",
                                macro_block_size=16, ffmpeg_log_level="error",
                                output_params=["-crf", "28", "-preset", "slow"])
    try:
        for _, _, frame in episode.frames(indices, width, height):
            writer.append_data(frame)
        writer.close()
    except BaseException:
        writer.close()
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return out


def _write_strip(shots, out: Path, task: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    h, w = shots[0][2].shape[:2]
    fig, axes = plt.subplots(1, len(shots), figsize=(2.2 * len(shots) * w / max(h, w), 2.6 * h / max(h, w)),
                             squeeze=False)
    for ax, (step, total, frame) in zip(axes[0], shots):
        ax.imshow(frame)
        ax.set_title(f"step {step}\nreturn {total:.1f}", fontsize=8)
        ax.axis("off")
    fig.suptitle(task, fontsize=9)
    fig.tight_layout()
    tmp = out.with_name(out.stem + ".partial" + out.suffix)
    try:
        fig.savefig(tmp, dpi=100)
    finally:
        plt.close(fig)
    tmp.replace(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description="neurevo render: the best agent's held-out episode as a video "
                                                 "(.mp4) or a strip of frames (.png)")
    parser.add_argument("run_dir")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=None, help="held-out episode seed (default: the run's first)")
    parser.add_argument("--width", type=int, default=480)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--every", type=int, default=None, help="render every K-th step (default: ~30 fps)")
    parser.add_argument("--frames", type=int, default=8, help="frames in a .png strip (default 8)")
    parser.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    args = parser.parse_args(argv)
    try:
        if args.max_steps is not None and args.max_steps < 0:
            raise ValueError(f"render: --max-steps must be >= 0, got {args.max_steps}")
        path = render(args.run_dir, args.out, seed=args.seed, width=args.width, height=args.height,
                      every=args.every, strip=args.frames, max_steps=args.max_steps)
    except (ValueError, OSError) as e:  # ConfigError is a ValueError: one line, as the CLI's errors
        print(f"neurevo: error: {e}", file=sys.stderr)
        sys.exit(2)
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
