#!/usr/bin/env python3
"""The seed paper's Fig. 4: training curves of BNN-CMA and BNN-NES over 5x10^5 env steps on the
MuJoCo tasks.

Trains each task's Table 2 config (configs/table2/<task>_bnn_<cma|nes>.toml, the BNN rows' own
per-task settings) with its budget cut to --env-steps (default 5e5; a config's generation cap
still applies), seeds 1-3, one run at a time per --jobs, and records each run's curve (per
generation: env steps, the generation's best and mean training return, the best validated mean so
far) and summary as one JSON line in the results file (default bench/fig4_results.jsonl, committed).
Runs already recorded under the same config digest are skipped; a killed run resumes from its
checkpoint (bench/run_records.py). Then plots every task's curves, mean over seeds with the range
as a band, the paper's Table 2 end points as dashed lines (they are at its full budget).

    bench/fig4_curves.py                       # train what is missing (hours), then plot
    bench/fig4_curves.py --plot-only           # only the figure, from the results file
Needs the neurevo binary (--neurevo, $NEUREVO_BIN, else build/neurevo) and matplotlib for the plot.
"""
import argparse
import concurrent.futures
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_records import (ROOT, append_result, config_digest, display_path, load_results,  # noqa: E402
                         train_or_resume)

TASKS = [("InvertedPendulum-v5", "inverted_pendulum"), ("InvertedDoublePendulum-v5", "inverted_double_pendulum"),
         ("Swimmer-v5", "swimmer"), ("HalfCheetah-v5", "half_cheetah"), ("Hopper-v5", "hopper"),
         ("Walker2d-v5", "walker2d"), ("Ant-v5", "ant")]
OPTIMIZERS = {"cma_es": ("cma", "BNN-CMA"), "openai_es": ("nes", "BNN-NES")}
# The paper's Table 2 (bench/table2): BNN-NES and BNN-CMA evaluation means at its full budget.
PAPER_END = {"InvertedPendulum-v5": (863.7, 1000), "InvertedDoublePendulum-v5": (203.5, 348.3),
             "Swimmer-v5": (107.4, 156.7), "Ant-v5": (973.3, 954.8), "HalfCheetah-v5": (3187.4, 2039.7),
             "Hopper-v5": (2054.6, 808.0), "Walker2d-v5": (2261, 1135.2)}
CURVE_FIELDS = ("env_steps", "best_fitness", "mean_fitness", "best_so_far")


def spec(job, env_steps):
    """A run's key, config file, command-line settings and their digest."""
    task, stem, optimizer, seed = job
    key = f"{task}/bnn/{optimizer}/seed{seed}/steps{env_steps}"
    config = os.path.join(ROOT, "configs", "table2", f"{stem}_bnn_{OPTIMIZERS[optimizer][0]}.toml")
    settings = [f"budget.env_steps={env_steps}"]
    return key, config, settings, config_digest(config, settings)


def train_one(job, args):
    task, _, optimizer, seed = job
    key, config, settings, d = spec(job, args.env_steps)
    run_dir = os.path.join(args.runs, key.replace("/", "_"))
    start = time.time()
    summary = train_or_resume(key, run_dir, config, seed, settings, d, args.neurevo, 1, "fig4")
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    curve = {name: [r.get(name) for r in rows] for name in CURVE_FIELDS}
    return {"key": key, "task": task, "optimizer": optimizer, "seed": seed, "env_steps_budget": args.env_steps,
            "config": display_path(config), "config_sha256": d, "settings": settings, "run_dir": display_path(run_dir),
            "script_wall_seconds": time.time() - start, "curve": curve,
            "summary": {k: summary.get(k) for k in ("eval_mean", "eval_std", "env_steps", "generations", "train_seconds",
                                                     "best_validated_mean", "stop_reason")}}


def plot(results, out, env_steps):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(2, 4, figsize=(15, 7))
    lines = []
    for ax, (task, _) in zip(axes.flat, TASKS):
        seeds = []
        for k, (optimizer, (_, label)) in enumerate(OPTIMIZERS.items()):
            runs = [r for r in results.values() if r["task"] == task and r["optimizer"] == optimizer
                    and r["env_steps_budget"] == env_steps]
            color = f"C{k}"
            seeds.append(str(len(runs)))
            if runs:
                grid = np.linspace(0, min(r["curve"]["env_steps"][-1] for r in runs), 200)
                ys = np.array([np.interp(grid, r["curve"]["env_steps"], r["curve"]["best_so_far"]) for r in runs])
                ax.plot(grid, ys.mean(axis=0), color=color, label=f"{label}, ours")
                if len(runs) > 1:
                    ax.fill_between(grid, ys.min(axis=0), ys.max(axis=0), color=color, alpha=0.2)
            ax.axhline(PAPER_END[task][1 - k], color=color, ls="--", lw=0.8, label=f"{label}, paper Table 2")
        ax.set_title(f"{task} (seeds: {' CMA, '.join(seeds)} NES)", fontsize=10)
        ax.set_xlabel("env steps", fontsize=8)
        ax.tick_params(labelsize=7)
        lines = ax.get_legend_handles_labels()
    axes.flat[-1].axis("off")
    axes.flat[-1].legend(*lines, loc="center", fontsize=9)
    axes[0][0].set_ylabel("best validated return so far")
    axes[1][0].set_ylabel("best validated return so far")
    fig.suptitle(f"BNN-CMA and BNN-NES over {env_steps:.0e} env steps (mean over seeds, band: range)")
    fig.tight_layout()
    fig.savefig(out)
    print(f"wrote {out}")


def table(results, env_steps):
    """Markdown: per task, each optimizer's held-out mean over seeds at the end of the budget, who leads,
    and the paper's Table 2 end points and leader."""
    import statistics

    lines = ["| task | BNN-CMA (ours) | BNN-NES (ours) | ahead (ours) | paper BNN-CMA | paper BNN-NES | ahead (paper) |",
             "|---|---|---|---|---|---|---|"]
    for task, _ in TASKS:
        cells, means = [], []
        for optimizer in OPTIMIZERS:
            evals = [r["summary"]["eval_mean"] for r in results.values()
                     if r["task"] == task and r["optimizer"] == optimizer and r["env_steps_budget"] == env_steps]
            if evals:
                sd = statistics.stdev(evals) if len(evals) > 1 else 0.0
                cells.append(f"{statistics.mean(evals):.1f} ± {sd:.1f} ({len(evals)})")
                means.append(statistics.mean(evals))
            else:
                cells.append("—")
                means.append(None)
        ours = "—" if None in means else ("tie" if means[0] == means[1] else "CMA" if means[0] > means[1] else "NES")
        nes, cma = PAPER_END[task]
        paper = "CMA" if cma > nes else "NES"
        lines.append(f"| {task} | {cells[0]} | {cells[1]} | {ours} | {cma} | {nes} | {paper} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-steps", type=int, default=500_000)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--tasks", default=",".join(t for t, _ in TASKS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--results", default=os.path.join(ROOT, "bench", "fig4_results.jsonl"))
    parser.add_argument("--runs", default=os.path.join(ROOT, "runs", "fig4"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "fig4_curves.svg"))
    parser.add_argument("--neurevo", default=os.environ.get("NEUREVO_BIN", os.path.join(ROOT, "build", "neurevo")))
    parser.add_argument("--plot-only", action="store_true")
    args = parser.parse_args()
    wanted = args.tasks.split(",")
    unknown = [t for t in wanted if t not in dict(TASKS)]
    if unknown:
        parser.error(f"--tasks: unknown {unknown}; known: {', '.join(t for t, _ in TASKS)}")
    results = load_results(args.results, "fig4")
    if not args.plot_only:
        os.makedirs(args.runs, exist_ok=True)
        # Seed-major: an interrupted sweep still has every task's first seeds.
        jobs = [(t, s, o, seed) for seed in range(1, args.seeds + 1) for t, s in TASKS if t in wanted
                for o in OPTIMIZERS]
        todo = []
        for job in jobs:
            key, _, _, d = spec(job, args.env_steps)
            record = results.get(key)
            if record is None or record["config_sha256"] != d:
                todo.append(job)
        print(f"fig4: {len(todo)} runs to train, {len(jobs) - len(todo)} recorded", file=sys.stderr)
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for record in pool.map(lambda j: train_one(j, args), todo):
                append_result(args.results, record)
                results[record["key"]] = record
                print(f"fig4: {record['key']}: eval {record['summary']['eval_mean']:.1f} in "
                      f"{record['script_wall_seconds']:.0f} s", file=sys.stderr)
    print(table(results, args.env_steps))
    plot(results, args.out, args.env_steps)


if __name__ == "__main__":
    main()
