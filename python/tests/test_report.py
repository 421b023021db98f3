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


def _report(cli, runs, out, *extra):
    import os
    import sys

    done = subprocess.run([cli, "report", *map(str, runs), "--out", str(out), *extra], capture_output=True, text=True,
                          env={**os.environ, "NEUREVO_PYTHON": sys.executable})
    assert done.returncode == 0, done.stderr
    return out


chromium = pytest.importorskip("chromium")


def _plots_drawn(png, svgs):
    """Each plot's problems: no data element with a box (an empty or all-NaN curve has none), or its data
    boxes white in the screenshot."""
    problems = []
    for k, svg in enumerate(svgs):
        if not svg["data"]:
            problems.append(f"plot {k}: no data drawn")
        elif max(chromium.drawn_fraction(png, b, margin=2)[0] for b in svg["data"]) < 0.01:
            problems.append(f"plot {k}: its data is white on the page")
        if chromium.drawn_fraction(png, svg["box"])[1] < 20:
            problems.append(f"plot {k}: fewer than 20 colours (not a drawn figure)")
    return problems


@pytest.mark.skipif(chromium.CHROMIUM is None, reason="no chromium (./dev installs Debian's)")
def test_report_opens_in_headless_chromium_without_console_errors_and_with_its_plots(cli, tmp_path):
    pytest.importorskip("PIL")
    snn = train_tiny(cli, tmp_path / "snn", "model.kind=snn", "run.record_diversity=true")
    page = _report(cli, [snn], tmp_path / "report.html", "--episodes", "2")
    problems, png, svgs = chromium.open_page(page.resolve().as_uri())
    assert problems == []
    # Learning curves, diversity, connectivity, weights, the episode: five plots, each with its data
    # drawn in the screenshot.
    assert len(svgs) == 5 and all(s["box"][2] > 200 and s["box"][3] > 100 for s in svgs), svgs
    assert _plots_drawn(png, svgs) == []
    (tmp_path / "report.png").write_bytes(png)


@pytest.mark.skipif(chromium.CHROMIUM is None, reason="no chromium (./dev installs Debian's)")
def test_the_chromium_check_sees_console_errors_failed_loads_and_empty_plots(tmp_path):
    pytest.importorskip("PIL")
    import numpy as np

    from neurevo import report

    fig, axes = report._figure(1, 1)  # a plot as the report draws one, but of NaNs only
    axes[0][0].plot([0, 1, 2], [np.nan] * 3, label="nothing")
    axes[0][0].legend()
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>console.error('boom');</script><img src='missing.png'>"
                   "<script>notDefined();</script>" + report._svg(fig) + "</body></html>")
    problems, png, svgs = chromium.open_page(bad.as_uri())
    text = "\n".join(problems)
    assert "boom" in text and "notDefined" in text and "missing.png" in text, problems
    assert len(svgs) == 1 and _plots_drawn(png, svgs) == ["plot 0: no data drawn"]
    problems, _, _ = chromium.open_page((tmp_path / "no-such-page.html").as_uri())
    assert any("navigation" in p or "ERR_FILE_NOT_FOUND" in p for p in problems), problems


def test_report_writes_tensorboard_event_files_that_tensorboard_reads(cli, tmp_path):
    import json

    pytest.importorskip("tensorboardX")
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    run = train_tiny(cli, tmp_path / "run", "run.record_diversity=true")
    logdir = tmp_path / "tb"
    for _ in range(2):  # twice: the second replaces the first's events (no duplicate points)
        _report(cli, [run], tmp_path / "r.html", "--tensorboard", str(logdir))
    files = list((logdir / "run").glob("events.out.tfevents.*"))
    assert len(files) == 1
    acc = event_accumulator.EventAccumulator(str(logdir / "run"))  # TensorBoard's own reader
    acc.Reload()
    metrics = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    tags = acc.Tags()["scalars"]
    for tag in ("best_fitness", "mean_fitness", "best_so_far", "diversity/kl_uniform", "summary/eval_mean"):
        assert tag in tags, tags
    best = acc.Scalars("best_fitness")
    assert [e.step for e in best] == [m["env_steps"] for m in metrics]
    assert [e.value for e in best] == pytest.approx([m["best_fitness"] for m in metrics], rel=1e-6)
    kl = acc.Scalars("diversity/kl_uniform")
    assert [e.value for e in kl] == pytest.approx([m["diversity"]["kl_uniform"] for m in metrics], rel=1e-6)
    assert "config" in "".join(acc.Tags().get("tensors", []))  # the config as text
    import os
    import sys

    done = subprocess.run([cli, "report", str(run), "--out", str(tmp_path / "e.html"), "--tensorboard", ""],
                          capture_output=True, text=True, env={**os.environ, "NEUREVO_PYTHON": sys.executable})
    assert done.returncode == 2 and "an empty path" in done.stderr and not (tmp_path / "e.html").exists()


def test_tensorboard_gives_every_run_its_own_directory_and_skips_a_torn_last_line(cli, tmp_path):
    pytest.importorskip("tensorboardX")
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    from neurevo import tensorboard

    a = train_tiny(cli, tmp_path / "a" / "run", "run.seed=1")
    b = train_tiny(cli, tmp_path / "b" / "run", "run.seed=2", "budget.generations=2")
    c = train_tiny(cli, tmp_path / "c" / "run-2", "run.seed=3", "budget.generations=4")
    with open(c / "metrics.jsonl", "a") as f:
        f.write('{"generation": 5, "env_steps": 99')  # a line being written (or torn by a kill)
    dirs = tensorboard.write([a, b, c], tmp_path / "tb")
    assert [d.name for d in dirs] == ["run", "run-2", "run-2-2"]
    counts = []
    for d in dirs:
        acc = event_accumulator.EventAccumulator(str(d))
        acc.Reload()
        counts.append(len(acc.Scalars("best_fitness")))
        assert not list(d.glob(".partial-*"))
    assert counts == [3, 2, 4]  # each run's own generations; c's torn line is not one
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="not a directory"):
        tensorboard.write([a], tmp_path / "file")


@pytest.mark.parametrize("file, content, says", [
    ("metrics.jsonl", "[" * 100000 + "]" * 100000 + "\n", "metrics.jsonl:1: not JSON"),
    ("metrics.jsonl", "[1, 2]\n", "metrics.jsonl:1: not a JSON object"),
    ("metrics.jsonl", '{"generation": 1, "env_steps": 1e400}\n', "metrics.jsonl:1: env_steps: inf is not a count"),
    ("metrics.jsonl", '{"generation": 1, "env_steps": -5}\n', "metrics.jsonl:1: env_steps: -5 is not a count"),
    ("metrics.jsonl", '{"generation": 9223372036854775808}\n', "metrics.jsonl:1: generation: 9223372036854775808"),
    ("metrics.jsonl", b"\xff\xfe\n", "metrics.jsonl: not UTF-8"),
    ("metrics.jsonl", "fifo", "metrics.jsonl: not a regular file"),
    ("summary.json", "{" * 100000, "summary.json: not JSON"),
    ("summary.json", "[1]", "summary.json: not a JSON object"),
    ("summary.json", '{"env_steps": -1, "eval_mean": 1.0}', "summary.json: env_steps: -1 is not a count"),
    ("config.toml", "x = " + "[" * 100000 + "]" * 100000 + "\n", "config.toml: not TOML"),
], ids=["metrics-nested", "metrics-list", "metrics-inf-steps", "metrics-negative-steps", "metrics-2^63",
        "metrics-not-utf8", "metrics-fifo", "summary-nested", "summary-list", "summary-negative-steps",
        "config-nested"])
def test_run_files_that_are_absurd_are_one_line_errors_naming_the_file(cli, tmp_path, file, content, says):
    """The readers behind report and --tensorboard (neurevo.Run): a clear error, no traceback, no hang."""
    import os
    import sys

    pytest.importorskip("tensorboardX")
    run = train_tiny(cli, tmp_path / "run")
    path = run / file
    if file == "config.toml":
        path.write_text(path.read_text() + content)
    elif content == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    for module, extra in (("neurevo.tensorboard", ["--logdir", str(tmp_path / "tb")]),
                          ("neurevo.report", ["--out", str(tmp_path / "r.html")])):
        done = subprocess.run([sys.executable, "-m", module, str(run), *extra], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "NEUREVO_PYTHON": sys.executable})
        if (module == "neurevo.report" and file == "summary.json" and "env_steps" in says) or \
                (module == "neurevo.tensorboard" and file == "config.toml"):
            continue  # the page does not read summary's counters; the event files hold the config as text
        assert done.returncode == 2, (module, done.stderr[-500:])
        assert says in done.stderr and str(run) in done.stderr, (module, done.stderr[-500:])
        assert "Traceback" not in done.stderr
