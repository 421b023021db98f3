"""`neurevo report`: one self-contained page (no script, nothing fetched) with the plots of each run."""
import re
import subprocess

import pytest

from conftest import train_tiny

pytest.importorskip("matplotlib")


def test_report_of_two_runs(cli, tmp_path):
    snn = train_tiny(cli, tmp_path / "snn", "model.kind=snn", "run.record_diversity=true")
    bnn = train_tiny(cli, tmp_path / "bnn", "model.kind=bnn", "run.seed=2")
    out = tmp_path / "report.html"
    done = subprocess.run([cli, "report", str(snn), str(bnn), "--out", str(out), "--episodes", "2"],
                          capture_output=True, text=True, env={**__import__("os").environ,
                                                               "NEUREVO_PYTHON": __import__("sys").executable})
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    # Learning curves, then per run: connectivity, weights, one episode.
    assert page.count("<svg") == 1 + 1 + 2 * 3  # and the diversity of the run that recorded it
    assert "Population diversity" in page
    for title in ("Learning curves", "Connectivity before and after evolution", "One held-out episode", "Config"):
        assert title in page
    assert "spike raster" in page and "graded activity" in page  # the snn spikes, the bnn does not
    assert "<script" not in page
    # Self-contained: nothing to fetch (SVG namespace names are identifiers, not fetched).
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert (snn / "analysis" / "structure.npz").exists()


def test_report_refuses_what_is_not_a_run(cli, tmp_path):
    done = subprocess.run([cli, "report", str(tmp_path), "--out", str(tmp_path / "r.html")], capture_output=True,
                          text=True, env={**__import__("os").environ, "NEUREVO_PYTHON": __import__("sys").executable})
    assert done.returncode != 0 and "not a run directory" in done.stderr
    assert not (tmp_path / "r.html").exists()


def test_bands_join_only_seeds_and_a_bad_run_is_said_not_fatal(cli, tmp_path):
    import os
    import sys

    a = train_tiny(cli, tmp_path / "a", "run.seed=1")
    b = train_tiny(cli, tmp_path / "b", "run.seed=2")
    c = train_tiny(cli, tmp_path / "c", "run.seed=3", "model.tau_m_ms=10")  # another config: its own curve
    (c / "initial_genome.json").unlink()  # as a run from before that file existed
    out = tmp_path / "r.html"
    done = subprocess.run([cli, "report", str(a), str(b), str(c), "--out", str(out)], capture_output=True,
                          text=True, env={**os.environ, "NEUREVO_PYTHON": sys.executable})
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "(2 runs)" in page  # a and b, one band
    assert "Not drawn for this run" in page and "initial_genome.json" in page  # c, said on the page
    assert page.count("<svg") == 1 + 2 * 3  # learning curves; a and b drawn, c not


def test_record_diversity_is_within_each_island(cli, tmp_path):
    import json

    one = train_tiny(cli, tmp_path / "one", "run.record_diversity=true")
    two = train_tiny(cli, tmp_path / "two", "run.record_diversity=true", "islands.count=2")
    first = lambda run: json.loads((run / "metrics.jsonl").read_text().splitlines()[0])["diversity"]["gene_std"]
    assert abs(first(two) - first(one)) < 0.02  # not the spread between islands (about twice as large)
