#!/usr/bin/env python3
"""The seed paper's Fig. 5 on CartPole: structural and functional connectivity of a BNN and an RNN
of 20 neurons before and after 100 generations of the same EA (the paper: BNN weights move towards
+-1 and correlations away from 0; the RNN's do not).

For bnn and rnn (10 E + 10 I neurons; 20 tanh units), CMA-ES with the default settings, 100
generations, seeds 1-3. Weights: every evolved synaptic weight as a fraction of its range, signed
(bnn: AMPA +, GABA -; rnn: its signed weights / the range's bound), in [-1, 1], for the initial
mean (initial_genome.json) and the best genome. Correlations: Pearson correlations between the
hidden units' step activity (bnn: E and I neurons' mean graded signal; rnn: tanh states) over three
held-out episodes of each network. Tests: two-sample Kolmogorov-Smirnov and Mann-Whitney U on
|w| and |r| before against after, pooled over seeds.

    PYTHONPATH=build/python .venv/bin/python bench/fig5_connectivity.py --out docs/fig5_connectivity.svg
"""
import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from scipy import stats

import neurevo
from neurevo import _core
from neurevo.gym import NeurevoEnv

parser = argparse.ArgumentParser()
parser.add_argument("--out", default="docs/fig5_connectivity.svg")
parser.add_argument("--generations", type=int, default=100)
parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
parser.add_argument("--results", default="bench/fig5_results.json")
parser.add_argument("--sigma0", type=float, default=0.1, help="CMA-ES's initial step (the paper's: 0.5)")
args = parser.parse_args()


def signed_weights(genome_file):
    """Every synaptic weight in [-1, 1] (a fraction of its range, signed)."""
    families = {f["name"]: f for f in json.loads(Path(genome_file).read_text())["genome"]["families"]}
    if "hidden_weights" in families:  # rnn: signed weights in [-bound, bound]
        f = families["hidden_weights"]
        return np.asarray(f["values"]) / f["high"]
    return np.concatenate([np.asarray(families["ampa_weights"]["values"]) / families["ampa_weights"]["high"],
                           -np.asarray(families["gaba_weights"]["values"]) / families["gaba_weights"]["high"]])


def correlations(run, genes, kind, normalised):
    """|r| between the hidden units' step activity over three held-out episodes (off-diagonal)."""
    net = run.network() if normalised else neurevo.Network(run.config, genes)
    env = NeurevoEnv("CartPole-v1")
    rows = []
    for e in range(3):
        env_seed, noise_key = _core.held_out_seeds(1, e)
        obs, _ = env.reset(seed=env_seed)
        net.reset(noise_key)
        net.record(True)
        done = False
        while not done:
            obs, _, term, trunc, _ = env.step(net.step(obs))
            rows.append(net.probes()["activity"][0])
            done = term or trunc
    act = np.array(rows)
    if kind == "bnn":  # the E and I neurons (after the 4 inputs; before the 2 outputs)
        act = act[:, 4:24]
    live = act.std(axis=0) > 0
    r = np.corrcoef(act[:, live], rowvar=False)
    return np.abs(r[np.triu_indices_from(r, k=1)]), int((~live).sum())


results = {}
with tempfile.TemporaryDirectory() as tmp:
    for kind in ("bnn", "rnn"):
        for seed in args.seeds:
            run = neurevo.train(None, out=Path(tmp) / f"{kind}-{seed}", model__kind=kind, run__seed=seed,
                                optimizer__sigma0=args.sigma0, budget__generations=args.generations, budget__env_steps=0, eval__episodes=10,
                                run__threads=1)
            initial = json.loads((run.dir / "initial_genome.json").read_text())["genome"]["genes"]
            r_before, silent_before = correlations(run, initial, kind, normalised=False)
            r_after, silent_after = correlations(run, None, kind, normalised=True)
            results.setdefault(kind, []).append({
                "seed": seed, "eval_mean": run.summary["eval_mean"],
                "w_before": signed_weights(run.dir / "initial_genome.json").tolist(),
                "w_after": signed_weights(run.dir / "best_genome.json").tolist(),
                "r_before": r_before.tolist(), "r_after": r_after.tolist(),
                "silent_before": silent_before, "silent_after": silent_after})
Path(args.results).write_text(json.dumps(results))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

fig, axes = plt.subplots(2, 2, figsize=(10, 6.5))
lines = []
for row, kind in enumerate(("bnn", "rnn")):
    runs = results[kind]
    for col, (key, label, bins) in enumerate((("w", "signed weight / range", np.linspace(-1, 1, 41)),
                                               ("r", "|correlation| between hidden units", np.linspace(0, 1, 41)))):
        before = np.concatenate([r[f"{key}_before"] for r in runs])
        after = np.concatenate([r[f"{key}_after"] for r in runs])
        ax = axes[row][col]
        ax.hist(before, bins=bins, alpha=0.5, density=True, label="before (initial mean)")
        ax.hist(after, bins=bins, alpha=0.5, density=True, label="after (best genome)")
        ax.set_title(f"{kind.upper()}: {label}", fontsize=9)
        ax.legend(fontsize=7)
        a, b = np.abs(before), np.abs(after)
        ks = stats.ks_2samp(a, b)
        mw = stats.mannwhitneyu(b, a, alternative="greater")
        lines.append(f"{kind} {key}: mean |{key}| before {a.mean():.3f}, after {b.mean():.3f}; KS D = {ks.statistic:.3f} "
                     f"(p = {ks.pvalue:.2g}); Mann-Whitney U (after > before) p = {mw.pvalue:.2g}; n = {len(a)}, {len(b)}")
fig.suptitle(f"CartPole-v1, CMA-ES (sigma0 {args.sigma0}), {args.generations} generations, seeds {args.seeds} (pooled)", fontsize=9)
fig.tight_layout()
fig.savefig(args.out)
for kind in ("bnn", "rnn"):
    lines.append(f"{kind} held-out means: {[r['eval_mean'] for r in results[kind]]}; silent hidden units before/after: "
                 f"{[(r['silent_before'], r['silent_after']) for r in results[kind]]}")
print("\n".join(lines))
