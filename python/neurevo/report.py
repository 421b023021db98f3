"""`neurevo report RUN_DIR [RUN_DIR ...] --out report.html`: one self-contained page per set of runs.

Learning curves (best, generation mean and validated fitness against env steps; runs whose configs
differ only in run.seed drawn as a band), and per run its summary and config,
structural and functional connectivity before and after evolution with the weight histograms
(`neurevo analyze`'s files, computed when missing), and a spike raster and membrane traces of one
held-out episode. Plots are matplotlib's, inlined as SVG: the page needs no network access and no
script. Why matplotlib: the plotting library of the scientific Python stack, already what the
project's figures use, and its SVG output keeps the page one file.

    python -m neurevo.report runs/a runs/b --out report.html
"""
from __future__ import annotations

import argparse
import html
import io
import json
import sys
from pathlib import Path

import numpy as np

from . import _core
from ._files import replacing
from .run import Run


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    # The data (curves, maps, bars, points) marked in the SVG, so that a test can find it on the
    # rendered page (colour bars are not data).
    k = 0
    for ax in fig.axes:
        if getattr(ax, "_colorbar", None) is not None:
            continue
        for artist in [*ax.lines, *ax.collections, *ax.images, *ax.patches]:
            artist.set_gid(f"neurevo-data-{k}")
            k += 1
    buf = io.StringIO()
    fig.tight_layout()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # inline: without the XML prologue


def _figure(*size):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(*size[:2], figsize=size[2] if len(size) > 2 else (6.4, 3.6), squeeze=False)


def _label(run: Run) -> str:
    config = run.config_dict()
    return f"{config['task']['name']} {config['model']['kind']} {config['optimizer']['kind']}"


def _config_without_seed(run: Run) -> str:
    """The resolved config less run.seed and run.threads (which never change results): runs equal in
    this differ only in their seed."""
    config = run.config_dict()
    config.get("run", {}).pop("seed", None)
    config.get("run", {}).pop("threads", None)
    return json.dumps(config, sort_keys=True, default=str)


def learning_curves(runs: list[Run]) -> str:
    """Best, mean and validated fitness against env steps; runs with one label form a band (min..max)
    around their mean, interpolated onto common env steps."""
    fig, axes = _figure(1, 1)
    ax = axes[0][0]
    groups: dict[str, list[Run]] = {}
    for run in runs:
        groups.setdefault(_config_without_seed(run), []).append(run)
    labels = [_label(members[0]) for members in groups.values()]
    for members, label in zip(groups.values(), labels):
        if labels.count(label) > 1:  # configs that differ in more than task, model and optimizer
            label += f" [{members[0].dir.name}]"
        curves = []
        for run in members:
            m = run.metrics
            if m:
                curves.append((np.array([r["env_steps"] for r in m], dtype=float),
                               np.array([r["best_fitness"] for r in m], dtype=float),
                               np.array([r["mean_fitness"] for r in m], dtype=float),
                               np.array([r.get("best_so_far", np.nan) for r in m], dtype=float)))
        if not curves:
            continue
        grid = np.linspace(0, min(c[0][-1] for c in curves), 200)
        for k, (name, style) in enumerate([("best", "-"), ("generation mean", ":"), ("best validated", "--")], start=1):
            ys = np.array([np.interp(grid, c[0], c[k]) for c in curves])
            line, = ax.plot(grid, np.nanmean(ys, axis=0), style, label=f"{label}: {name}" +
                            (f" ({len(curves)} runs)" if len(curves) > 1 else ""))
            if len(curves) > 1:
                ax.fill_between(grid, np.nanmin(ys, axis=0), np.nanmax(ys, axis=0), alpha=0.2,
                                color=line.get_color())
    ax.set_xlabel("training env steps")
    ax.set_ylabel("fitness (episode return)")
    ax.set_title("Learning curves")
    ax.legend(fontsize=7)
    return _svg(fig)


def diversity(runs: list[Run]) -> str | None:
    """kl_uniform per generation (runs trained with run.record_diversity = true)."""
    recorded = [(run, [m["diversity"]["kl_uniform"] for m in run.metrics if "diversity" in m]) for run in runs]
    recorded = [(run, kl) for run, kl in recorded if kl]
    if not recorded:
        return None
    fig, axes = _figure(1, 1)
    ax = axes[0][0]
    for run, kl in recorded:
        ax.plot(np.arange(1, len(kl) + 1), kl, label=f"{_label(run)} ({run.dir.name})")
    ax.set_xlabel("generation")
    ax.set_ylabel("KL(genes || uniform), nats")
    ax.set_title("Population diversity (lower: more diverse)")
    ax.legend(fontsize=7)
    return _svg(fig)


def connectivity(analysis: Path) -> str:
    s = np.load(analysis / "structure.npz")
    f = np.load(analysis / "functional.npz")
    fig, axes = _figure(2, 2, (9, 8))
    for col, when in enumerate(("initial", "best")):
        sc = s[f"sc_{when}"]
        lim = np.abs(sc).max() or 1.0
        im = axes[0][col].imshow(sc, cmap="RdBu_r", vmin=-lim, vmax=lim)
        axes[0][col].set_title(f"structural connectivity, {when} (nS, post x pre)", fontsize=9)
        fig.colorbar(im, ax=axes[0][col], shrink=0.8)
        im = axes[1][col].imshow(f[f"fc_{when}"], cmap="RdBu_r", vmin=-1, vmax=1)
        axes[1][col].set_title(f"functional connectivity, {when} (correlation)", fontsize=9)
        fig.colorbar(im, ax=axes[1][col], shrink=0.8)
    return _svg(fig)


def weights(analysis: Path) -> str:
    s = np.load(analysis / "structure.npz")
    fig, axes = _figure(1, 2, (9, 3.2))
    sign = np.where(s["synapse_receptor"] == 0, 1.0, -1.0)
    for col, when in enumerate(("initial", "best")):
        axes[0][col].hist(sign * s[f"weight_{when}"], bins=40)
        axes[0][col].set_title(f"signed synaptic weights, {when} (nS; GABA negative)", fontsize=9)
    return _svg(fig)


def raster(run: Run, steps: int = 100) -> str | None:
    """One held-out episode of the best genome: spikes (or graded activity) and membrane potentials."""
    from .gym import NeurevoEnv

    config = run.config_dict()
    if config["model"]["kind"] not in ("bnn", "snn", "network"):
        return None
    net = run.network()
    env = NeurevoEnv(config["task"]["name"], **config["task"].get("options", {}))
    env_seed, noise_key = _core.held_out_seeds(config["run"]["seed"], 0)
    obs, _ = env.reset(seed=env_seed)
    net.reset(noise_key)
    net.record(True)
    spikes, v, activity = [], [], []
    for t in range(steps):
        action = net.step(obs)
        p = net.probes()
        v.append(p["v"][0])
        activity.append(p["activity"][0])
        s = net.spikes().copy()
        s[:, 0] += t * net.substeps
        spikes.append(s)
        obs, _, term, trunc, _ = env.step(action)
        if term or trunc:
            break
    spikes = np.concatenate(spikes)
    v, activity = np.array(v), np.array(activity)
    fig, axes = _figure(2, 1, (9, 6))
    if len(spikes):
        axes[0][0].scatter(spikes[:, 0] * config["model"]["dt_ms"], spikes[:, 1], s=2, marker="|")
        axes[0][0].set_title("spike raster of one held-out episode", fontsize=9)
        axes[0][0].set_xlabel("time (ms)")
    else:
        im = axes[0][0].imshow(activity.T, aspect="auto", cmap="viridis", vmin=0, vmax=1)
        fig.colorbar(im, ax=axes[0][0])
        axes[0][0].set_title("graded activity of one held-out episode (no spikes: graded transmission)", fontsize=9)
        axes[0][0].set_xlabel("environment step")
    axes[0][0].set_ylabel("neuron")
    step_ms = config["model"]["dt_ms"] * net.substeps
    for j in range(min(6, v.shape[1])):
        axes[1][0].plot(np.arange(len(v)) * step_ms, v[:, -1 - j], lw=0.8, label=f"neuron {v.shape[1] - 1 - j}")
    axes[1][0].set_title("membrane potentials at the end of each step (the last six neurons)", fontsize=9)
    axes[1][0].set_xlabel("time (ms)")
    axes[1][0].set_ylabel("mV")
    axes[1][0].legend(fontsize=6)
    return _svg(fig)


def _table(rows: list[list[str]], head: list[str]) -> str:
    out = "<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
    for r in rows:
        out += "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
    return out + "</table>"


def _analysis(run: Run, episodes: int) -> Path:
    """The run's analysis files, computed again when missing, incomplete or older than its best genome
    (a resumed run's)."""
    analysis = run.dir / "analysis"
    files = [analysis / name for name in ("structure.npz", "functional.npz", "parameters.json", "summary.json")]
    best = (run.dir / "best_genome.json").stat().st_mtime
    if not all(f.exists() for f in files) or min(f.stat().st_mtime for f in files) < best:
        _core.analyze_run(str(run.dir), str(analysis), episodes, None)
    return analysis


def report(run_dirs: list[str], out: str, episodes: int = 3) -> Path:
    runs = [Run(d) for d in run_dirs]
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>neurevo report</title><style>"
             "body{font-family:sans-serif;max-width:1000px;margin:auto} table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px} pre{font-size:11px;background:#f6f6f6;"
             "max-height:300px;overflow:auto} svg{max-width:100%;height:auto}</style></head><body>",
             "<h1>neurevo report</h1>"]
    rows = []
    for run in runs:
        s = run.summary if run.complete else {}
        rows.append([str(run.dir), _label(run), s.get("generations", ""), s.get("env_steps", ""),
                     s.get("best_validated_mean", ""), s.get("eval_mean", ""), s.get("eval_std", "")])
    parts.append("<h2>Runs</h2>" + _table(rows, ["run", "task model optimizer", "generations", "env steps",
                                                  "best validated", "held-out mean", "held-out std"]))
    parts.append("<h2>Learning curves</h2>" + learning_curves(runs))
    svg = diversity(runs)
    if svg:
        parts.append("<h2>Population diversity</h2>" + svg)
    for run in runs:
        parts.append(f"<h2>{html.escape(str(run.dir))}</h2>")
        if run.complete:
            parts.append(_table([[k, json.dumps(v)] for k, v in sorted(run.summary.items())], ["summary", "value"]))
        kind = run.config_dict()["model"]["kind"]
        if kind in ("bnn", "snn", "network"):
            # One run's trouble (an old run without initial_genome.json, a read-only directory, ...) is
            # said on the page; the others are still drawn.
            try:
                analysis = _analysis(run, episodes)
                parts.append("<h3>Connectivity before and after evolution</h3>" + connectivity(analysis))
                parts.append("<h3>Weights</h3>" + weights(analysis))
                svg = raster(run)
                if svg:
                    parts.append("<h3>One held-out episode</h3>" + svg)
            except (ValueError, OSError) as e:
                parts.append(f"<p><b>Not drawn for this run:</b> {html.escape(str(e))}</p>")
        parts.append(f"<h3>Config</h3><pre>{html.escape(run.config)}</pre>")
    parts.append("</body></html>")
    path = Path(out)
    with replacing(path) as tmp:
        tmp.write_text("\n".join(parts), encoding="utf-8")
    return path


def _nonempty(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("an empty path")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(prog="neurevo report", description="One self-contained HTML page for runs")
    parser.add_argument("run_dirs", nargs="+")
    parser.add_argument("--out", default="report.html")
    parser.add_argument("--episodes", type=int, default=3, help="rollouts for the functional connectivity")
    parser.add_argument("--tensorboard", metavar="LOGDIR", default=None, type=_nonempty,
                        help="also write each run's metrics as TensorBoard event files under LOGDIR")
    args = parser.parse_args(argv)
    try:
        path = report(args.run_dirs, args.out, args.episodes)
        if args.tensorboard:
            from . import tensorboard

            for run_dir, d in zip(args.run_dirs, tensorboard.write(args.run_dirs, args.tensorboard)):
                print(f"wrote TensorBoard events of {run_dir} to {d}")
    except (ValueError, OSError) as e:  # ConfigError is a ValueError: one line, as the CLI's errors
        print(f"neurevo: error: {e}", file=sys.stderr)
        sys.exit(2)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
