"""`neurevo rollout --record`: the episodes and what the neurons did, as an .npz that numpy reads, equal
to what the Python API records for the same episode."""
import subprocess

import numpy as np
import pytest

import neurevo

TINY = ["model.excitatory=4", "model.inhibitory=4", "budget.generations=2", "budget.env_steps=0",
        "eval.episodes=1", "train.validation_episodes=0"]


def train(cli, out, *sets):
    subprocess.run([cli, "train", "--quiet", "--out", str(out)] + sum((["--set", s] for s in TINY + list(sets)), []),
                   check=True, stdout=subprocess.DEVNULL)
    return out


@pytest.fixture(scope="module")
def snn(cli, tmp_path_factory):
    return train(cli, tmp_path_factory.mktemp("rec") / "run", "model.kind=snn")


def test_recording_is_what_the_network_did(cli, snn, tmp_path):
    out = tmp_path / "rec.npz"
    subprocess.run([cli, "rollout", str(snn), "--record", "spikes,v,g,activity", "--out", str(out), "--episodes", "2",
                    "--seed", "5"], check=True)
    z = np.load(out)  # no pickles: allow_pickle stays False
    t = len(z["reward"])
    assert z["observation"].shape == (t, 4) and z["v"].shape == (t, 14) and z["g_exc"].shape == (t, 14)
    assert sorted(set(z["episode"].tolist())) == [0, 1] and z["step"][0] == 1
    assert list(z["population_names"]) == ["in", "E", "I", "out"]
    assert np.bincount(z["neuron_population"]).tolist() == [4, 4, 4, 2]
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
    assert done.returncode == 2 and "has no neurons to record" in done.stderr
    assert not out.exists() and not list(tmp_path.glob(".neurevo-*"))
