"""Training from Python is the CLI's training: same run directory, same result, same errors."""
import json
import subprocess

import numpy as np
import pytest

import neurevo

SMALL = dict(model__excitatory=4, model__inhibitory=4, budget__generations=3, budget__env_steps=0,
             eval__episodes=2, train__validation_episodes=0)


def test_training_cartpole_from_python_solves_it(tmp_path):
    run = neurevo.train(None, out=tmp_path / "run", run__threads=2)
    assert run.complete
    s = run.summary
    assert s["eval_mean"] >= 475.0, s
    m = run.metrics
    assert len(m) == s["generations"] and m[-1]["generation"] == s["generations"]
    genome = run.best_genome
    assert genome.shape == (run.network().genes,)


def test_python_and_cli_write_the_same_run(tmp_path, cli):
    sets = [f"{k.replace('__', '.')}={v}" for k, v in SMALL.items()] + ["run.seed=7"]
    subprocess.run([cli, "train", "--quiet", "--out", str(tmp_path / "cli"), "--threads", "1"]
                   + sum((["--set", s] for s in sets), []), check=True)
    py = neurevo.train(None, out=tmp_path / "py", overrides=sets + ["run.threads=2"])
    cli_run = neurevo.load_run(tmp_path / "cli")
    assert np.array_equal(py.best_genome, cli_run.best_genome)
    for key in ("eval_mean", "eval_std", "best_training_fitness", "generations", "env_steps"):
        assert py.summary[key] == cli_run.summary[key], key
    strip = lambda ms: [{k: v for k, v in m.items() if "second" not in k and "time" not in k} for m in ms]
    assert strip(py.metrics) == strip(cli_run.metrics)
    assert py.config.replace("threads = 2", "threads = 1") == cli_run.config


def test_config_forms_and_errors(tmp_path):
    toml = "[model]\nkind = \"rnn\"\n[budget]\ngenerations = 2\nenv_steps = 0\n"
    path = tmp_path / "c.toml"
    path.write_text(toml)
    for config in (toml, path, str(path), {"model": {"kind": "rnn"}, "budget": {"generations": 2, "env_steps": 0}}):
        assert "kind = 'rnn'" in neurevo.resolved_config(config)
    with pytest.raises(neurevo.ConfigError, match=r"model\.kind: .*allowed"):
        neurevo.train(None, out=tmp_path / "bad", model__kind="lstm")
    assert not (tmp_path / "bad").exists()
    with pytest.raises(neurevo.ConfigError, match="unknown key"):
        neurevo.resolved_config(None, model__no_such_key=1)
    with pytest.raises(FileNotFoundError):
        neurevo.train("no-such-file.toml")
    d = neurevo.describe(None, model__kind="bnn")
    assert d["genes"] > 0


def test_resume_and_evaluate(tmp_path):
    run = neurevo.train(None, out=tmp_path / "r", **SMALL)
    again = neurevo.resume(run.dir, budget__generations=5)
    assert again.summary["generations"] == 5
    ev = again.evaluate()
    assert ev["mean"] == again.summary["eval_mean"]
    path = again.rollout(tmp_path / "roll.jsonl", episodes=1)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[0]["kind"] == "reset" and rows[-1]["kind"] == "step"
    frame = again.metrics_frame()
    assert len(frame) == 5


def test_load_run_refuses_what_is_not_a_run(tmp_path):
    with pytest.raises(neurevo.ConfigError, match="not a run directory"):
        neurevo.load_run(tmp_path)


def test_ctrl_c_checkpoints_and_resume_finishes(tmp_path):
    """SIGINT during neurevo.train: the run stops after checkpointing, KeyboardInterrupt names the directory,
    and resume continues it."""
    import os
    import signal
    import sys
    import time

    out = tmp_path / "run"
    code = (f"import neurevo\nneurevo.train(None, out={str(out)!r}, budget__env_steps=0, budget__generations=100000, "
            "run__threads=1, checkpoint__interval=1)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    deadline = time.time() + 60
    while time.time() < deadline and not (out / "metrics.jsonl").exists():
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "training interrupted" in err and str(out) in err, err
    done = len(neurevo.load_run(out).metrics)
    assert done >= 1 and not (out / "summary.json").exists()
    run = neurevo.resume(out, budget__generations=done + 2)
    assert run.summary["generations"] == done + 2


def test_paths_that_look_like_toml(tmp_path):
    d = tmp_path / "lr=0.1"
    d.mkdir()
    (d / "c.toml").write_text('[model]\nkind = "mlp"\n')
    assert "kind = 'mlp'" in neurevo.resolved_config(str(d / "c.toml"))
    with pytest.raises(FileNotFoundError):
        neurevo.resolved_config("")


def test_a_network_description_as_a_dict(repo):
    """The description as Python data (e.g. tomllib's reading of a file) builds what the file builds."""
    import tomllib

    path = repo / "configs" / "network" / "cortical_layer.toml"
    data = tomllib.loads(path.read_text())
    from_file, from_dict = neurevo.describe(path), neurevo.describe(data)
    assert from_dict["genes"] == from_file["genes"] and from_dict["genes"] > 0
    assert [p["name"] for p in from_dict["populations"]] == [p["name"] for p in from_file["populations"]]
    data["network"]["populations"][1]["size"] = 7
    with pytest.raises(neurevo.ConfigError):
        data["network"]["populations"][1]["dale"] = "sideways"
        neurevo.describe(data)
