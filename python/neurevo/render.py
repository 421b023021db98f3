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
import signal
import sys
import tempfile
from pathlib import Path

# Before anything imports MuJoCo's Python bindings (they read it once, at import).
os.environ.setdefault("MUJOCO_GL", "egl")
if os.environ["MUJOCO_GL"] in ("egl", "osmesa"):
    os.environ.setdefault("PYOPENGL_PLATFORM", os.environ["MUJOCO_GL"])
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # pygame (classic control) without a display
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402

from . import _core  # noqa: E402
from ._files import replacing  # noqa: E402
from .run import Run  # noqa: E402

# Tasks that Gymnasium draws, and how a recorded state is put into its environment.
CLASSIC = ("CartPole-v1", "Pendulum-v1", "MountainCarContinuous-v0", "Acrobot-v1")
MUJOCO = ("InvertedPendulum-v5", "InvertedDoublePendulum-v5", "Swimmer-v5", "HalfCheetah-v5", "Hopper-v5",
          "Walker2d-v5", "Ant-v5")
MAX_PIXELS = 4096


def renderable() -> list[str]:
    """The tasks neurevo can render (those of Gymnasium that neurevo has)."""
    names = set(_core.task_names())
    return [t for t in CLASSIC + MUJOCO if t in names]


def _restore(env, task: str, row: dict) -> None:
    """Puts Gymnasium's environment in neurevo's recorded physical state (README, "Output files")."""
    u = env.unwrapped
    state = row["state"]
    if task in MUJOCO:
        nq, nv = u.model.nq, u.model.nv
        if len(state) < nq + nv:
            raise ValueError(f"{task}: a recorded state of {len(state)} values, {nq + nv} needed (qpos, qvel)")
        u.set_state(np.array(state[:nq]), np.array(state[nq:nq + nv]))  # runs mj_forward: bodies in place
    else:
        u.state = np.array(state, dtype=np.float64)
        if task == "Pendulum-v1":  # its picture draws the torque just applied
            u.last_u = row["action"][0] if "action" in row else None


def _renderable_task(task: str) -> str:
    if task not in renderable():
        raise ValueError(f"render: task {task!r} has no picture; rendered are {', '.join(renderable())}")
    return task


def _episode(run: Run, seed: int | None) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = run.rollout(Path(tmp) / "episode.jsonl", episodes=1, seed=seed)
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _render_failed(task: str, e: BaseException) -> ValueError:
    if task in MUJOCO:
        return ValueError(f"{task}: MuJoCo could not render offscreen with MUJOCO_GL={os.environ['MUJOCO_GL']} "
                          f"({type(e).__name__}: {e}); install Mesa's EGL (Debian: libegl-mesa0 libgl1-mesa-dri) "
                          "and use MUJOCO_GL=egl, or MUJOCO_GL=osmesa with libosmesa6")
    return ValueError(f"{task}: Gymnasium cannot render it ({type(e).__name__}: {e}); classic control needs "
                      "pygame (pip install pygame)")


def _make_env(task: str, options: dict, width: int, height: int):
    """Gymnasium's environment, with its renderer opened (Gymnasium opens it at the first render)."""
    try:
        import gymnasium
    except ImportError as e:
        raise ValueError("render needs Gymnasium: pip install \"gymnasium[mujoco,classic-control]\"") from e
    kwargs = dict(options)
    if task in MUJOCO:
        # The model's own "track" camera (trackcom: it follows the body) where it has one (Hopper,
        # Walker2d, HalfCheetah, Swimmer, Ant); Gymnasium 1.4's default free camera stays where the
        # episode began. Without one (the pendulums, which stay in place) the default view.
        kwargs.update(width=width, height=height, camera_name="track")
    try:
        env = gymnasium.make(task, render_mode="rgb_array", **kwargs)
    except TypeError as e:  # a task option that Gymnasium's environment does not take
        raise ValueError(f"{task}: Gymnasium's environment does not take the run's task.options ({e})") from e
    except Exception as e:
        raise _render_failed(task, e) from e
    try:
        env.reset(seed=0)
        frame = env.render()
        if not isinstance(frame, np.ndarray) or frame.ndim != 3:
            raise ValueError("no RGB frame came back")
    except Exception as e:
        env.close()
        raise _render_failed(task, e) from e
    return env


class Episode:
    """The run's held-out episode (neurevo's rollout of it): `rows[i]` is step i's line (0: the reset)."""

    def __init__(self, run_dir, seed: int | None = None, max_steps: int | None = None):
        self.run = Run(run_dir)
        task = self.run.config_dict()["task"]
        self.task = _renderable_task(task["name"])
        self.options = task.get("options", {})
        self.rows = _episode(self.run, seed)
        if max_steps is not None:
            self.rows = self.rows[:max_steps + 1]
        self.returns = np.cumsum([row.get("reward", 0.0) for row in self.rows])

    def frames(self, indices, width: int = 480, height: int = 480):
        """Yields (step, return so far, RGB frame) for each row index in `indices` (--width and --height
        apply to MuJoCo's tasks; classic control draws at Gymnasium's own size)."""
        env = _make_env(self.task, self.options, width, height)
        try:
            for i in indices:
                _restore(env, self.task, self.rows[i])
                try:
                    frame = env.render()
                except Exception as e:
                    raise _render_failed(self.task, e) from e
                yield self.rows[i]["step"], float(self.returns[i]), np.ascontiguousarray(frame[..., :3])
        finally:
            env.close()


def _step_seconds(task: str, options: dict) -> float:
    """The task's time per step (neurevo's own, the same as Gymnasium's): the video plays in real time."""
    from .gym import NeurevoEnv

    dt = float(NeurevoEnv(task, **options).dt)
    return dt if dt > 0 else 1 / 30  # MountainCarContinuous has no time unit: Gymnasium's 30 frames per second


def _check_out(out: Path) -> None:
    if out.is_dir():
        raise ValueError(f"render: --out {out} is a directory")
    if not out.parent.is_dir():
        raise ValueError(f"render: --out {out}: no directory {out.parent}")


def render(run_dir, out, *, seed: int | None = None, width: int = 480, height: int = 480,
           every: int | None = None, strip: int = 8, max_steps: int | None = None) -> Path:
    """Writes the held-out episode to `out`: .mp4 a video in real time divided by `every` (default:
    the `every` that gives about 30 frames per second), .png a strip of `strip` evenly spaced frames."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".mp4", ".png"):
        raise ValueError(f"render: --out {out}: .mp4 (a video) or .png (a strip of frames)")
    _check_out(out)
    if every is not None and every < 1:
        raise ValueError(f"render: every must be >= 1, got {every}")
    if not 1 <= strip <= 64:
        raise ValueError(f"render: strip must be within 1 .. 64 frames, got {strip}")
    if not (16 <= width <= MAX_PIXELS and 16 <= height <= MAX_PIXELS) or width % 2 or height % 2:
        raise ValueError(f"render: width and height must be even and within 16 .. {MAX_PIXELS} (H.264's 4:2:0 "
                         f"needs even sizes), got {width} x {height}")
    if suffix == ".png" and strip * width * height * 3 > (1 << 30):
        raise ValueError(f"render: {strip} frames of {width} x {height} exceed 1 GiB; fewer or smaller frames")
    episode = Episode(run_dir, seed, max_steps)
    n = len(episode.rows)
    if suffix == ".png":
        picks = np.unique(np.linspace(0, n - 1, min(strip, n)).round().astype(int))
        _write_strip(list(episode.frames(picks, width, height)), out, episode.task)
        return out
    step_seconds = _step_seconds(episode.task, episode.options)
    every = min(every or max(1, round(1 / (30 * step_seconds))), max(1, n - 1))
    indices = list(range(0, n, every)) + ([n - 1] if (n - 1) % every else [])  # and the last step
    try:
        import imageio.v2 as imageio
        import imageio_ffmpeg
    except ImportError as e:
        raise ValueError("render to .mp4 needs imageio and imageio-ffmpeg: pip install imageio imageio-ffmpeg") from e

    with replacing(out) as tmp:  # the extension tells FFmpeg the container
        # macro_block_size 2: the even sizes yuv420p needs, never a rescaled frame.
        writer = imageio.get_writer(tmp, fps=1 / (step_seconds * every), codec="libx264", pixelformat="yuv420p",
                                    macro_block_size=2, ffmpeg_log_level="error",
                                    output_params=["-crf", "28", "-preset", "slow"])
        try:
            for _, _, frame in episode.frames(indices, width, height):
                if frame.shape[0] % 2 or frame.shape[1] % 2:  # a classic-control picture of odd size
                    frame = frame[: frame.shape[0] // 2 * 2, : frame.shape[1] // 2 * 2]
                writer.append_data(frame)
        finally:
            writer.close()
        # imageio does not check FFmpeg's exit status: count what the file holds.
        try:
            written = imageio_ffmpeg.count_frames_and_secs(str(tmp))[0]
        except Exception as e:
            raise ValueError(f"render: FFmpeg did not finish {out} ({e})") from e
        if written != len(indices):
            raise ValueError(f"render: FFmpeg wrote {written} of {len(indices)} frames to {out}")
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
    try:
        with replacing(out) as tmp:
            # About as many pixels per frame as were drawn (at most 1000 dots per inch).
            fig.savefig(tmp, dpi=min(1000, max(100, w / 2.2)))
    finally:
        plt.close(fig)


def _interrupt(*_):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(prog="neurevo render", description="The best agent's held-out episode as a video "
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
    # SIGTERM as Ctrl-C: the partial file is removed on the way out.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.max_steps is not None and args.max_steps < 0:
            raise ValueError(f"render: --max-steps must be >= 0, got {args.max_steps}")
        path = render(args.run_dir, args.out, seed=args.seed, width=args.width, height=args.height,
                      every=args.every, strip=args.frames, max_steps=args.max_steps)
    except (ValueError, OSError) as e:  # ConfigError is a ValueError: one line, as the CLI's errors
        print(f"neurevo: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("neurevo: render interrupted; nothing written", file=sys.stderr)
        sys.exit(130)
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
