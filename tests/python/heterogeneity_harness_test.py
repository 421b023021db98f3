"""bench/heterogeneity: its statistics against samples with known answers (the
lognormal and gamma maximum-likelihood fits, the gamma CDF, the
Kolmogorov-Smirnov distance), then end to end in --quick mode on the ablation
and digits tables: it trains every cell, records one line per run, skips
recorded runs when run again, and reports the tables.

  python3 heterogeneity_harness_test.py HETEROGENEITY_SCRIPT NEUREVO_BINARY WORK_DIR
"""
import importlib.machinery
import importlib.util
import json
import math
import os
import random
import shutil
import subprocess
import sys

script, neurevo, work = sys.argv[1:4]
loader = importlib.machinery.SourceFileLoader("heterogeneity", script)
spec = importlib.util.spec_from_loader("heterogeneity", loader)
h = importlib.util.module_from_spec(spec)
loader.exec_module(h)

# Gamma CDF: shape 1 is the exponential; shape 2 is 1 - (1 + x) e^-x; both
# branches (series below shape + 1, continued fraction above) are reached.
for x in (0.1, 0.5, 1.0, 2.0, 5.0, 20.0):
    assert abs(h.gamma_cdf(x, 1.0, 1.0) - (1 - math.exp(-x))) < 1e-12, x
    assert abs(h.gamma_cdf(3 * x, 2.0, 3.0) - (1 - (1 + x) * math.exp(-x))) < 1e-12, x
assert h.gamma_cdf(0.0, 2.0, 1.0) == 0.0

rng = random.Random(7)
logn = [rng.lognormvariate(3.0, 0.8) for _ in range(20000)]
gam = [rng.gammavariate(2.5, 12.0) for _ in range(20000)]
fit = h.lognormal_fit(logn)
assert abs(fit["mu"] - 3.0) < 0.03 and abs(fit["sigma"] - 0.8) < 0.02, fit
fit_g = h.gamma_fit(gam)
assert abs(fit_g["shape"] - 2.5) < 0.1 and abs(fit_g["scale"] - 12.0) < 0.6, fit_g
# Each family fits its own samples better (likelihood and KS) than the other's.
assert h.lognormal_fit(logn)["loglik"] > h.gamma_fit(logn)["loglik"]
assert h.gamma_fit(gam)["loglik"] > h.lognormal_fit(gam)["loglik"]
assert h.lognormal_fit(logn)["ks"] < 0.015 and h.gamma_fit(logn)["ks"] > 0.03
assert h.gamma_fit(gam)["ks"] < 0.015
# KS distance of a sample against its own exact CDF is small; against a shifted one, large.
uniform = [rng.random() for _ in range(5000)]
assert h.ks_distance(uniform, lambda v: v) < 0.03
assert h.ks_distance(uniform, lambda v: min(1.0, v * 2)) > 0.4

# End to end, --quick.
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
results = os.path.join(work, "results.jsonl")
base = [sys.executable, script, "--quick", "--tables", "ablation,digits", "--neurevo", neurevo,
        "--results", results, "--runs", os.path.join(work, "runs")]
first = subprocess.run(base, capture_output=True, text=True)
assert first.returncode == 0, first.stderr
records = [json.loads(line) for line in open(results)]
assert len(records) == 7, [r["key"] for r in records]  # 5 ablations + 2 digits variants, seed 1
genes = {r["variant"]: r["summary"]["genome_size"] for r in records if r["table"] == "ablation"}
assert genes == {"tau_m_ms": 66, "v_threshold_mV": 66, "v_rest_mV": 66, "resistance_GOhm": 66, "all": 264}, genes
for r in records:
    assert r["summary"]["generations"] == 2, r["summary"]
    assert "tau_m_ms" in r or r["variant"] in ("v_threshold_mV", "v_rest_mV", "resistance_GOhm", "weights"), r["key"]
assert "### Ablation (MemoryLength-50" in first.stdout and "### Digits" in first.stdout, first.stdout
again = subprocess.run(base, capture_output=True, text=True)
assert again.returncode == 0 and "0 runs to do" in again.stderr, again.stderr
print("heterogeneity harness: ok")
