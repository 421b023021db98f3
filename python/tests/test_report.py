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
