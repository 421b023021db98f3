"""`neurevo rollout --record`: the episodes and what the neurons did, as an .npz that numpy reads, equal
to what the Python API records for the same episode."""
import subprocess

import numpy as np
import pytest

import neurevo

from conftest import train_tiny as train


@pytest.fixture(scope="module")
def snn(cli, tmp_path_factory):
    return train(cli, tmp_path_factory.mktemp("rec") / "run", "model.kind=snn")


def test_recording_is_what_the_network_did(cli, snn, tmp_path):
    out = tmp_path / "rec.npz"
    subprocess.run([cli, "rollout", str(snn), "--record", "spikes,v,g,activity", "--out", str(out), "--episodes", "2",
                    "--seed", "5"], check=True)
    z = np.load(out)  # no pickles: allow_pickle stays False
    t = len(z["reward"])
    # The snn's default input encoding: a pair of input neurons per observation.
    assert z["observation"].shape == (t, 4) and z["v"].shape == (t, 18) and z["g_exc"].shape == (t, 18)
    assert sorted(set(z["episode"].tolist())) == [0, 1] and z["step"][0] == 1
    assert list(z["population_names"]) == ["in", "E", "I", "out"]
    assert np.bincount(z["neuron_population"]).tolist() == [8, 4, 4, 2]
    assert int(z["substeps"]) == 100 and float(z["dt_ms"]) == 0.1
    assert len(z["spike_row"]) > 0 and z["spike_substep"].max() < 100
    # Episode 0 replayed through the Python API (the run's normaliser, the same noise key).
    first = z["episode"] == 0
    rec = neurevo.load_run(snn).network().run(z["observation"][first], seed=neurevo._core.held_out_seeds(5, 0)[1])
    assert np.array_equal(rec["v"], z["v"][first]) and np.array_equal(rec["g_inh"], z["g_inh"][first])
    rows = z["spike_row"] < first.sum()
    ours = np.stack([z["spike_row"][rows] * 100 + z["spike_substep"][rows], z["spike_neuron"][rows]], axis=1)
    assert np.array_equal(rec["spikes"], ours)
    assert np.array_equal(rec["actions"][:, 0], z["action"][first][:, 0])


def test_recording_refusals_leave_nothing(cli, snn, tmp_path):
    def rollout(*args):
        return subprocess.run([cli, "rollout", *map(str, args)], capture_output=True, text=True)

    out = tmp_path / "r.npz"
    done = rollout(snn, "--record", "v,volts", "--out", out)
    assert done.returncode == 2 and "volts is not a field" in done.stderr
    done = rollout(snn, "--record", "v", "--out", out, "--max-bytes", 1000)
    assert done.returncode == 2 and "would pass --max-bytes 1000" in done.stderr
    done = rollout(snn, "--record", "v")
    assert done.returncode == 2 and "--record needs --out" in done.stderr
    rnn = train(cli, tmp_path / "rnn", "model.kind=rnn")
    done = rollout(rnn, "--record", "v", "--out", out)
    assert done.returncode == 2 and 'model.kind = "rnn" is not a LIF network; --record takes' in done.stderr
    assert not out.exists() and not list(tmp_path.glob(".neurevo-*"))


def test_max_bytes_bounds_the_file(cli, snn, tmp_path):
    full = tmp_path / "full.npz"
    subprocess.run([cli, "rollout", str(snn), "--record", "spikes,v,g,activity", "--out", str(full)], check=True)
    size = full.stat().st_size
    out = tmp_path / "bounded.npz"
    for limit in (size, size - 1, size // 2):
        done = subprocess.run([cli, "rollout", str(snn), "--record", "spikes,v,g,activity", "--out", str(out),
                               "--max-bytes", str(limit)], capture_output=True, text=True)
        if done.returncode == 0:
            assert out.stat().st_size <= limit
            out.unlink()
        else:
            assert done.returncode == 2 and "would pass --max-bytes" in done.stderr and not out.exists()
    assert subprocess.run([cli, "rollout", str(snn), "--record", "v", "--out", str(out), "--max-bytes",
                           str(size - 1)]).returncode == 0  # fewer fields fit
    np.load(out)


def test_more_refusals(cli, snn, tmp_path):
    def rollout(*args):
        return subprocess.run([cli, "rollout", *map(str, args)], capture_output=True, text=True)

    done = rollout(snn, "--record", "", "--out", tmp_path / "x.npz")
    assert done.returncode == 2 and "at least one field" in done.stderr
    done = rollout(snn, "--max-bytes", 100, "--out", tmp_path / "x.jsonl")
    assert done.returncode == 2 and "needs --record" in done.stderr
    done = rollout(snn, "--record", "v", "--out", tmp_path / "no" / "such" / "dir.npz")
    assert done.returncode == 2 and "is not a directory" in done.stderr


def test_graded_network_recording(cli, tmp_path):
    run = train(cli, tmp_path / "bnn", "model.kind=bnn")
    out = tmp_path / "bnn.npz"
    subprocess.run([cli, "rollout", str(run), "--record", "spikes,activity", "--out", str(out)], check=True)
    z = np.load(out)
    assert len(z["spike_row"]) == 0  # graded neurons do not spike
    assert z["activity"].shape[1] == 14 and (z["activity"] >= 0).all() and (z["activity"] <= 1).all()
    assert "v" not in z.files
