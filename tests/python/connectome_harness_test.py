"""bench/connectome end to end on its cheap cells: the untrained connectome on
the pentagon and the circle (one generation of 64 copies: the reference code's
5 and 1 items), recorded one line per run, skipped when run again, and the
weight-change reading of a genome file against known genes.

  python3 connectome_harness_test.py CONNECTOME_SCRIPT NEUREVO_BINARY WORK_DIR
"""
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys

script, neurevo, work = sys.argv[1:4]
loader = importlib.machinery.SourceFileLoader("connectome", script)
spec = importlib.util.spec_from_loader("connectome", loader)
c = importlib.util.module_from_spec(spec)
loader.exec_module(c)

# Genes fold into [0, 1] as GenomeLayout::Fold does; a change is (fold(u) - 0.5) x 8 synapses.
assert c.fold(0.25) == 0.25 and c.fold(1.25) == 0.75 and c.fold(-0.25) == 0.25 and c.fold(float("nan")) == 0.5
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "run"))
with open(os.path.join(work, "run", "best_genome.json"), "w") as f:
    json.dump({"genome": {"families": [{"name": "ampa_weights", "genes": [0.5, 0.625, 0.0]},
                                       {"name": "tau_m_ms", "genes": [0.9]}]}}, f)
assert c.weight_changes(os.path.join(work, "run")) == [1.0, -4.0], c.weight_changes(os.path.join(work, "run"))

results = os.path.join(work, "results.jsonl")
command = [sys.executable, script, "--patterns", "circle,pentagon", "--methods", "untrained", "--seeds", "1",
           "--results", results, "--runs", os.path.join(work, "runs"), "--neurevo", neurevo]
first = subprocess.run(command, capture_output=True, text=True)
assert first.returncode == 0, first.stderr
assert "2 runs to do" in first.stderr, first.stderr
assert "| untrained | 1.0 | 5.0 |" in first.stdout, first.stdout  # circle, pentagon: the reference's counts
with open(results) as f:
    records = [json.loads(line) for line in f]
assert sorted(r["key"] for r in records) == ["untrained/circle/seed1", "untrained/pentagon/seed1"], records
again = subprocess.run(command, capture_output=True, text=True)
assert again.returncode == 0 and "0 runs to do" in again.stderr, again.stderr
bad = subprocess.run(command[:2] + ["--patterns", "decagon"], capture_output=True, text=True)
assert bad.returncode != 0 and "unknown 'decagon'" in bad.stderr, bad.stderr
print("connectome harness: ok")
