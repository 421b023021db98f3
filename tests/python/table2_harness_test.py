"""bench/table2 end to end on two tasks in --quick mode: it trains every
cell, records one line per run, skips recorded runs when run again, survives
a torn results line, reports our cells beside the paper's, and trains a cell
again when its config changes or its run directory's config is unknown; island
setups and named variants get their own keys and rows, and the report says
which columns are one config and which are tuned per task.

  python3 table2_harness_test.py TABLE2_SCRIPT NEUREVO_BINARY WORK_DIR
"""
import json
import re
import os
import shutil
import statistics
import subprocess
import sys

script, neurevo, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
results = os.path.join(work, "results.jsonl")
configs = os.path.join(work, "configs")
root = os.path.dirname(os.path.dirname(os.path.abspath(script)))
shutil.copytree(os.path.join(root, "configs", "table2"), configs)
base = [sys.executable, script, "--quick", "--tasks", "Hopper-v5,CartPole-v1", "--models", "bnn",
        "--seeds", "2", "--neurevo", neurevo, "--results", results, "--runs", os.path.join(work, "runs"),
        "--configs", configs]


def run(extra=()):
    done = subprocess.run(base + list(extra), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


first = run()
records = [json.loads(line) for line in open(results)]
keys = sorted(r["key"] for r in records)
expected = sorted(f"{t}/bnn/{o}/seed{s}/quick" for t in ("CartPole-v1", "Hopper-v5")
                  for o in ("cma_es", "openai_es") for s in (1, 2))
assert keys == expected, keys
for r in records:
    s = r["summary"]
    assert s["task"] == r["task"] and s["seed"] == r["seed"], r
    assert s["generations"] == 2 and s["eval_episodes"] == 2, s
    # Relative to the repository when inside it, else absolute.
    assert os.path.samefile(os.path.join(root, r["config"]), os.path.join(configs, os.path.basename(r["config"]))), r
# Runs go task by task in the order given: both Hopper cells before CartPole.
assert "table2: 8 runs to do" in first.stderr, first.stderr
log_keys = [line.split(": ")[1] for line in first.stderr.splitlines() if ": eval " in line]
assert all(k.startswith("Hopper") for k in log_keys[:4]), log_keys

table = first.stdout
row = next(line for line in table.splitlines() if line.startswith("| CartPole-v1 |"))
cells = [c.strip() for c in row.strip("|").split("|")]
mean = sum(r["summary"]["eval_mean"] for r in records
           if r["task"] == "CartPole-v1" and r["optimizer"] == "cma_es") / 2
assert cells[1].startswith(f"{mean:.1f} ± "), (cells, mean)
assert "500 ± 0" in cells, cells  # the paper's BNN-CMA entry
assert cells[-1] in ("yes",) or cells[-1].startswith("no ("), cells
# Each of our columns counted against the paper's same column, over the two tasks.
wins = {o: sum(statistics.fmean(r["summary"]["eval_mean"] for r in records if (r["task"], r["optimizer"]) == (t, o))
               >= paper for t, paper in (("CartPole-v1", p_cart), ("Hopper-v5", p_hop)))
        for o, p_cart, p_hop in (("cma_es", 500, 808), ("openai_es", 485.1, 2054.6))}
assert (f"Ours equal or beat the paper's same column (tasks with every seed finished): "
        f"BNN-CMA {wins['cma_es']} of 2, BNN-NES {wins['openai_es']} of 2.") in table, table

# Recorded runs are not trained again; a torn last line is skipped with a message.
with open(results, "a") as f:
    f.write('{"key": "CartPole-v1/bnn/cma_es/se')
second = run()
assert "table2: 0 runs to do" in second.stderr, second.stderr
assert "unreadable line skipped" in second.stderr, second.stderr
assert second.stdout == first.stdout

# A comment changes nothing; a changed setting makes the cell's records stale:
# they leave the table and are trained again, and the finished run directories
# of the old config are not reused.
hopper_cma = os.path.join(configs, "hopper_bnn_cma.toml")
with open(hopper_cma, "a") as f:
    f.write("# a comment\n")
assert "table2: 0 runs to do" in run().stderr
with open(hopper_cma) as f:
    text = f.read()
assert "excitatory = 10" in text, text
with open(hopper_cma, "w") as f:
    f.write(text.replace("excitatory = 10", "excitatory = 9"))
third = run()
assert "2 recorded runs are stale" in third.stderr and "Hopper-v5/bnn/cma_es/seed1/quick" in third.stderr, third.stderr
assert "table2: 2 runs to do" in third.stderr, third.stderr
assert third.stderr.count("was started under another config") == 2, third.stderr
latest = {}
lines = open(results).read().splitlines()
assert lines[-3].endswith("/se"), lines[-3][-40:]  # the torn line stays alone on its line
for line in lines[:-3] + lines[-2:]:
    r = json.loads(line)
    latest[r["key"]] = r
for seed in (1, 2):
    old = next(r for r in records if r["key"] == f"Hopper-v5/bnn/cma_es/seed{seed}/quick")
    new = latest[f"Hopper-v5/bnn/cma_es/seed{seed}/quick"]
    assert new["config_sha256"] != old["config_sha256"], new
    # 9 excitatory neurons: a smaller genome, so not the old run's summary.
    assert new["summary"]["genome_size"] < old["summary"]["genome_size"], (new["summary"], old["summary"])
assert "table2: 0 runs to do" in run().stderr

# A finished run directory with no digest beside it (left by an older harness)
# cannot show which config made it: it is trained again, not recorded as is.
with open(hopper_cma, "w") as f:
    f.write(text.replace("excitatory = 10", "excitatory = 8"))
for seed in (1, 2):
    os.remove(os.path.join(work, "runs", f"Hopper-v5_bnn_cma_es_seed{seed}_quick.config.sha256"))
fourth = run()
assert "table2: 2 runs to do" in fourth.stderr, fourth.stderr
assert fourth.stderr.count("was started under no recorded config digest") == 2, fourth.stderr
newest = [json.loads(line) for line in open(results).read().splitlines()[-2:]]
for r in newest:
    nine = latest[r["key"]]
    assert r["summary"]["genome_size"] < nine["summary"]["genome_size"], (r["summary"], nine["summary"])

# The changed setting shows in the report: BNN-CMA's two tasks now differ in model.excitatory.
assert "BNN-CMA (ours, tuned)" in fourth.stdout, fourth.stdout
configs_line = next(line for line in fourth.stdout.splitlines() if line.startswith("Configs over the 2 tasks"))
assert "model.excitatory" in configs_line.split("BNN-NES")[0], configs_line
assert "model.excitatory" not in configs_line.split("BNN-NES")[1], configs_line

# The island setup: its own key, settings and row; each island gets the cell's budget.
islands = run(["--islands", "2", "--migration-interval", "1", "--tasks", "CartPole-v1", "--optimizers", "cma_es",
               "--seeds", "1"])
assert "table2: 1 runs to do" in islands.stderr, islands.stderr
island = json.loads(open(results).read().splitlines()[-1])
assert island["key"] == "CartPole-v1/bnn/cma_es/seed1/islands2/quick", island["key"]
assert island["islands"] == 2 and island["summary"]["islands"] == 2, island
with open(os.path.join(configs, "cartpole_bnn_cma.toml"), "rb") as f:
    import tomllib
    budget = tomllib.load(f)["budget"]["env_steps"]
assert f"budget.env_steps={2 * budget}" in island["settings"], island["settings"]
assert "islands.migration_interval=1" in island["settings"], island["settings"]
rows = [line for line in islands.stdout.splitlines() if line.startswith("| CartPole-v1")]
assert rows[0].startswith("| CartPole-v1 |") and rows[1].startswith("| CartPole-v1, 2 islands |"), rows
assert f"{island['summary']['eval_mean']:.1f} ± 0.0" in rows[1], rows[1]
assert "every 1 generations" in islands.stdout, islands.stdout
assert "(tasks with every seed finished, 2 islands): BNN-CMA " in islands.stdout, islands.stdout
# The single-island run of the same cell is still recorded and not trained again.
assert "table2: 0 runs to do" in run(["--tasks", "CartPole-v1", "--optimizers", "cma_es", "--seeds", "1"]).stderr
assert "table2: 0 runs to do" in run(["--islands", "2", "--migration-interval", "1", "--tasks", "CartPole-v1",
                                      "--optimizers", "cma_es", "--seeds", "1"]).stderr

# A variant: the same settings on every task, its own key and rows; settings it fixes no longer
# make a column "tuned" (BNN-NES's two configs differ only in the input encoding and gain).
variant = ["--variant", "current4", "--set", "model.input_encoding=current", "--set", "model.input_gain_pA=4",
           "--optimizers", "openai_es", "--seeds", "1"]
before = configs_line.split("BNN-NES")[1]
assert "tuned per task (model.input_encoding, model.input_gain_pA differ)" in before, configs_line
varied = run(variant)
assert "table2: 2 runs to do" in varied.stderr, varied.stderr
new = [json.loads(line) for line in open(results).read().splitlines()[-2:]]
assert sorted(r["key"] for r in new) == ["CartPole-v1/bnn/openai_es/seed1/current4/quick",
                                         "Hopper-v5/bnn/openai_es/seed1/current4/quick"], new
for r in new:
    assert r["variant"] == "current4" and "model.input_encoding=current" in r["settings"], r
    with open(os.path.join(work, "runs", r["key"].replace("/", "_"), "config.toml")) as f:
        written = f.read()
    assert re.search(r"input_encoding = ['\"]current['\"]", written), written
rows = [line for line in varied.stdout.splitlines() if line.startswith("| CartPole-v1, current4 |")]
assert len(rows) == 1, varied.stdout
variant_line = next(line for line in varied.stdout.splitlines() if line.startswith("Variant current4:"))
assert "model.input_encoding=current, model.input_gain_pA=4 on every task" in variant_line, variant_line
assert "BNN-NES one config" in variant_line, variant_line
assert "table2: 0 runs to do" in run(variant).stderr
# A recorded variant name or island setup stands for its settings: asking it with others is refused.
clash = subprocess.run(base + ["--variant", "current4", "--set", "model.input_encoding=current", "--set",
                               "model.input_gain_pA=5", "--optimizers", "openai_es", "--seeds", "1"],
                       capture_output=True, text=True)
assert clash.returncode != 0 and "recorded with other settings" in clash.stderr, clash.stderr
clash = subprocess.run(base + ["--islands", "2", "--migration-interval", "7", "--tasks", "CartPole-v1",
                               "--optimizers", "cma_es", "--seeds", "1"], capture_output=True, text=True)
assert clash.returncode != 0 and "recorded with other settings" in clash.stderr, clash.stderr
# The settings' order does not matter.
swapped = variant[:2] + variant[4:6] + variant[2:4] + variant[6:]
assert "table2: 0 runs to do" in run(swapped).stderr
# An island budget written as TOML writes it (underscores; 0 is no cap, and stays 0).
islands0 = run(["--islands", "2", "--variant", "nocap", "--set", "budget.env_steps=0", "--tasks", "CartPole-v1",
                "--optimizers", "cma_es", "--seeds", "1"])
assert "budget.env_steps=0" in json.loads(open(results).read().splitlines()[-1])["settings"]
big = run(["--islands", "2", "--variant", "big", "--set", "budget.env_steps=1_000_000", "--tasks", "CartPole-v1",
           "--optimizers", "cma_es", "--seeds", "1"])
assert "budget.env_steps=2000000" in json.loads(open(results).read().splitlines()[-1])["settings"]
for argv, message in (
        (["--variant", "a_b", "--set", "model.substeps=0"], "--variant"),
        (["--variant", "x", "--set", "model.substeps=0", "--set", "model.substeps=1"], "given twice"),
        (["--variant", "x", "--set", "run.seed=3"], "not variant settings"),
        (["--variant", "x", "--set", "islands.topology=all_to_all"], "not variant settings"),
        (["--islands", "2", "--variant", "neg", "--set", "budget.env_steps=-5"], "budget.env_steps")):
    bad = subprocess.run(base + argv, capture_output=True, text=True)
    assert bad.returncode != 0 and message in bad.stderr and "Traceback" not in bad.stderr, (argv, bad.stderr)
bad = subprocess.run(base + ["--variant", "x"], capture_output=True, text=True)
assert bad.returncode != 0 and "--variant NAME and --set" in bad.stderr, bad.stderr
bad = subprocess.run(base + ["--variant", "x", "--set", "task.name=Ant-v5"], capture_output=True, text=True)
assert bad.returncode != 0 and "not variant settings" in bad.stderr, bad.stderr

# A default written out is not tuning (the file that leaves the key out runs with the same value);
# another value is.
cartpole_nes = os.path.join(configs, "cartpole_bnn_nes.toml")
original = open(cartpole_nes).read()
for substeps, tuned in ((100, False), (99, True)):
    with open(cartpole_nes, "w") as f:
        f.write(original.replace("[model]\n", f"[model]\nsubsteps = {substeps}\n", 1))
    listed = run(["--report"]).stdout
    line = next(x for x in listed.splitlines() if x.startswith("Configs over"))
    assert ("model.substeps" in line.split("BNN-NES")[1]) == tuned, (substeps, line)
with open(cartpole_nes, "w") as f:
    f.write(original)

# Bad arguments name the option and what is allowed.
bad = subprocess.run(base + ["--models", "lstm"], capture_output=True, text=True)
assert bad.returncode != 0 and "--models" in bad.stderr and "bnn" in bad.stderr, bad.stderr
bad = subprocess.run(base + ["--islands", "0"], capture_output=True, text=True)
assert bad.returncode != 0 and "--islands" in bad.stderr, bad.stderr
print("table2 harness: 1 passed, 0 failed")
