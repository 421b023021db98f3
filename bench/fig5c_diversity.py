#!/usr/bin/env python3
"""The seed paper's Fig. 5C on CartPole: gene diversity within CMA-ES and NES populations over
generations (the paper: CMA-ES keeps or grows diversity, NES converges).

Trains the default BNN on CartPole-v1 with cma_es, openai_es and snes (two NES: fixed and adapted sigma), the
same population (10), sigma0 (0.1) and budget (100 generations), seeds 1-3, recording each
generation's diversity (run.record_diversity: gene_std and kl_uniform, README "Analysis"), and
plots both against the generation, mean over seeds with the range as a band.

    PYTHONPATH=build/python .venv/bin/python bench/fig5c_diversity.py --out docs/fig5c_diversity.svg
"""
import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

import neurevo

parser = argparse.ArgumentParser()
parser.add_argument("--out", default="docs/fig5c_diversity.svg")
parser.add_argument("--generations", type=int, default=100)
parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
parser.add_argument("--results", default="bench/fig5c_results.jsonl")
args = parser.parse_args()

curves = {}
with tempfile.TemporaryDirectory() as tmp, open(args.results, "w") as results:
    for kind in ("cma_es", "openai_es", "snes"):
        for seed in args.seeds:
            run = neurevo.train(None, out=Path(tmp) / f"{kind}-{seed}", optimizer__kind=kind, run__seed=seed,
                                run__record_diversity=True, budget__generations=args.generations,
                                budget__env_steps=0, eval__episodes=10, run__threads=1)
            m = run.metrics
            row = {"optimizer": kind, "seed": seed, "eval_mean": run.summary["eval_mean"],
                   "gene_std": [r["diversity"]["gene_std"] for r in m],
                   "kl_uniform": [r["diversity"]["kl_uniform"] for r in m],
                   "best_so_far": [r["best_so_far"] for r in m]}
            results.write(json.dumps(row) + "\n")
            curves.setdefault(kind, []).append(row)

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
names = {"cma_es": "CMA-ES", "openai_es": "NES (OpenAI-ES)", "snes": "NES (SNES)"}
for kind, rows in curves.items():
    for ax, key in zip(axes, ("kl_uniform", "gene_std", "best_so_far")):
        n = min(len(r[key]) for r in rows)
        y = np.array([r[key][:n] for r in rows])
        x = np.arange(1, n + 1)
        line, = ax.plot(x, y.mean(axis=0), label=names[kind])
        ax.fill_between(x, y.min(axis=0), y.max(axis=0), alpha=0.2, color=line.get_color())
axes[0].set_ylabel("KL(genes || uniform), nats (lower: more diverse)")
axes[1].set_ylabel("gene std within the population")
axes[2].set_ylabel("best validated fitness so far")
for ax in axes:
    ax.set_xlabel("generation")
    ax.legend(fontsize=8)
fig.suptitle(f"BNN on CartPole-v1, population 10, sigma0 0.1, seeds {args.seeds} (mean, band: range)", fontsize=9)
fig.tight_layout()
fig.savefig(args.out)
for kind, rows in curves.items():
    for key in ("kl_uniform", "gene_std"):
        first = np.mean([r[key][0] for r in rows])
        mid = np.mean([r[key][min(49, len(r[key]) - 1)] for r in rows])
        last = np.mean([r[key][-1] for r in rows])
        print(f"{names[kind]:16s} {key:10s} generation 1: {first:.4f}  50: {mid:.4f}  last: {last:.4f}")
    print(f"{names[kind]:16s} held-out means: {[r['eval_mean'] for r in rows]}")
