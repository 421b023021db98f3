"""`neurevo export --to brian2`: the script rebuilds the evolved network in Brian2 and reproduces
neurevo's spikes and outputs on the same input."""
import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest

import neurevo

from conftest import train_tiny as train


def export(cli, run, script, *args):
    return subprocess.run([cli, "export", str(run), "--to", "brian2", "--out", str(script)] + list(args),
                          capture_output=True, text=True)


def run_script(script, tmp_path):
    pytest.importorskip("brian2")
    out = tmp_path / (script.stem + ".json")
    done = subprocess.run([sys.executable, str(script), "--out", str(out)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def load_script(script):
    spec = importlib.util.spec_from_file_location(script.stem, script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def snn_run(cli, tmp_path_factory):
    return train(cli, tmp_path_factory.mktemp("snn") / "run", "model.kind=snn", "model.evolve_noise=false")


def test_spiking_network_spike_for_spike(cli, snn_run, tmp_path):
    script = tmp_path / "snn_brian2.py"
    done = export(cli, snn_run, script, "--steps", "20")
    assert done.returncode == 0, done.stderr
    result = run_script(script, tmp_path)["comparison"]
    assert result["steps"] >= 5  # up to 20: the episode may end earlier
    assert result["spikes_neurevo"] > 50, result  # something to compare
    assert result["spike_match"] >= 0.95, result
    assert result["outputs_max_abs_diff"] < 1e-3 and result["v_max_abs_diff_mV"] < 0.1, result


def test_the_payload_is_what_the_python_api_records(cli, snn_run, tmp_path):
    """neurevo's side of the comparison is the network as neurevo runs it: the run's best genome,
    stepped through the Python API on the payload's (already normalised) observations."""
    script = tmp_path / "p.py"
    assert export(cli, snn_run, script).returncode == 0
    payload = load_script(script).PAYLOAD
    ours = payload["neurevo"]
    run = neurevo.load_run(snn_run)
    net = neurevo.Network(run.config, run.best_genome)  # no normaliser: the observations are normalised
    rec = net.run(np.asarray(ours["observations"]), seed=neurevo._core.held_out_seeds(payload["run"]["seed"], 0)[1])
    assert rec["spikes"][:, 0].tolist() == ours["spike_substep"]
    assert rec["spikes"][:, 1].tolist() == ours["spike_neuron"]
    assert np.array_equal(rec["v"], np.asarray(ours["v"], dtype=np.float32))
    assert len(ours["spike_substep"]) > 0


def test_a_perturbed_network_no_longer_matches(cli, snn_run, tmp_path):
    """The comparison can fail: Brian2 with one weight changed misses neurevo's spikes."""
    pytest.importorskip("brian2")
    script = tmp_path / "q.py"
    assert export(cli, snn_run, script).returncode == 0
    module = load_script(script)
    net = dict(module.PAYLOAD["network"])
    weights = np.asarray(net["weight"], dtype=np.float64)
    net["weight"] = (weights * 3.0).tolist()
    theirs = module.simulate(net, module.PAYLOAD["neurevo"]["observations"])
    assert module.compare(module.PAYLOAD["neurevo"], theirs)["spike_match"] < 0.9


def test_graded_network_activity(cli, tmp_path):
    run = train(cli, tmp_path / "bnn", "model.kind=bnn")
    script = tmp_path / "bnn_brian2.py"
    done = export(cli, run, script, "--without-noise")
    assert done.returncode == 0, done.stderr
    result = run_script(script, tmp_path)["comparison"]
    assert result["spikes_neurevo"] == 0 and result["spikes_brian2"] == 0  # graded: no spikes
    assert result["outputs_max_abs_diff"] < 1e-4 and result["v_max_abs_diff_mV"] < 0.01, result


def test_export_refuses_what_it_cannot_write(cli, snn_run, tmp_path):
    rnn = train(cli, tmp_path / "rnn", "model.kind=rnn")
    done = export(cli, rnn, tmp_path / "x.py")
    assert done.returncode == 2 and 'model.kind = "rnn" is not a LIF network' in done.stderr
    done = subprocess.run([cli, "export", str(snn_run), "--to", "loihi", "--out", str(tmp_path / "y.py")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "allowed: brian2, nest, nir" in done.stderr
    potential = train(cli, tmp_path / "potential", "model.kind=snn", "model.snn_readout=potential")
    done = subprocess.run([cli, "export", str(potential), "--to", "nest", "--out", str(tmp_path / "y.py")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "NEST has no graded synapses" in done.stderr  # the potential readout is graded
    assert not (tmp_path / "y.py").exists()
    existing = tmp_path / "exists.py"
    existing.write_text("keep me")
    done = export(cli, snn_run, existing)
    assert done.returncode == 2 and "never overwrites" in done.stderr
    assert existing.read_text() == "keep me"
    done = export(cli, tmp_path / "no-such-run", tmp_path / "z.py")
    assert done.returncode == 2 and not (tmp_path / "z.py").exists()


def test_nest_export_of_an_all_spiking_network(cli, tmp_path):
    """NEST's iaf_cond_exp integrates with RK45 where neurevo takes Euler steps: spike counts per neuron
    agree closely (not spike for spike), and the first spikes fall within a few substeps."""
    pytest.importorskip("nest")
    run = train(cli, tmp_path / "rate", "model.kind=snn", "model.snn_readout=rate", "model.evolve_noise=false")
    script = tmp_path / "nest_export.py"
    done = subprocess.run([cli, "export", str(run), "--to", "nest", "--out", str(script)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "nest.json"
    ran = subprocess.run([sys.executable, str(script), "--out", str(out)], capture_output=True, text=True,
                         cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(out.read_text())["comparison"]
    assert result["spikes_neurevo"] > 50, result
    assert abs(result["spikes_nest"] - result["spikes_neurevo"]) <= 0.2 * result["spikes_neurevo"], result
    assert result["spike_count_correlation"] > 0.9, result
    assert result["first_spike_median_shift_substeps"] <= 3, result  # inputs arrive on neurevo's substep


def test_nir_graph_holds_the_network(cli, tmp_path):
    """The NIR graph: one CubaLIF unit per neuron with its constants, the synapses grouped by delay with
    their current weights (conductance x driving force at rest), read back by nir itself."""
    nir = pytest.importorskip("nir")
    run = train(cli, tmp_path / "rate", "model.kind=snn", "model.snn_readout=rate")
    script = tmp_path / "to_nir.py"
    done = subprocess.run([cli, "export", str(run), "--to", "nir", "--out", str(script)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "net.nir"
    ran = subprocess.run([sys.executable, str(script), "--out", str(out)], capture_output=True, text=True)
    assert ran.returncode == 0 and "not expressed in NIR: conductance synapses" in ran.stdout, ran.stderr
    g = nir.read(str(out))
    net = load_script(script).PAYLOAD["network"]
    n, tau = net["neurons"], -net["dt_ms"] / np.log(net["syn_decay"]) * 1e-3
    lif = g.nodes["lif"]
    assert isinstance(lif, nir.CubaLIF) and lif.v_threshold.shape == (n,)
    assert np.allclose(lif.v_threshold, net["v_threshold"]) and np.allclose(lif.v_reset, net["v_reset"])
    c_m = net["dt_ms"] / np.asarray(net["dt_over_c"])
    assert np.allclose(lif.tau_mem, c_m / np.asarray(net["g_leak"]) * 1e-3)
    delays = sorted(set(net["delay"]))
    assert sorted(k for k in g.nodes if k.startswith("synapses_")) == sorted(f"synapses_{d}" for d in delays)
    for k in (0, len(net["pre"]) // 2, len(net["pre"]) - 1):  # three synapses, each alone or summed with twins
        pre, post, d = net["pre"][k], net["post"][k], net["delay"][k]
        twins = [i for i in range(len(net["pre"]))
                 if (net["pre"][i], net["post"][i], net["delay"][i]) == (pre, post, d)]
        e = lambda i: net["e_exc"] if net["receptor"][i] == 0 else net["e_inh"]
        expected = sum(net["weight"][i] * (e(i) - net["v_rest"][post]) * tau for i in twins)
        assert np.isclose(g.nodes[f"synapses_{d}"].weight[post, pre], expected)
        assert np.allclose(g.nodes[f"delay_{d}"].delay, d * net["dt_ms"] * 1e-3)
    assert ("lif", "readout") in g.edges and ("input", "encoder") in g.edges


@pytest.mark.parametrize("sets", [
    ("model.kind=bnn", "model.readout=linear"),
    ("model.kind=snn", "model.readout=linear", "model.binary_readout=threshold"),
    ("model.kind=bnn", "model.input_encoding=pair", "model.warmup_steps=2"),
    ("model.kind=snn", "model.input_encoding=current"),
], ids=["bnn-linear", "snn-linear-threshold", "bnn-pair-warmup", "snn-current"])
def test_brian2_export_of_every_encoding_and_readout(cli, tmp_path, sets):
    run = train(cli, tmp_path / "run", *sets)
    script = tmp_path / "net.py"
    done = export(cli, run, script, "--without-noise")
    assert done.returncode == 0, done.stderr
    result = run_script(script, tmp_path)["comparison"]
    assert result["spike_match"] >= 0.95 and result["outputs_max_abs_diff"] < 1e-3, result
    assert result["v_max_abs_diff_mV"] < 0.1, result


def test_nir_encoder_and_refusals(cli, tmp_path):
    nir = pytest.importorskip("nir")
    run = train(cli, tmp_path / "rate", "model.kind=snn", "model.snn_readout=rate", "model.input_encoding=pair")
    script = tmp_path / "to_nir.py"
    assert subprocess.run([cli, "export", str(run), "--to", "nir", "--out", str(script)]).returncode == 0
    out = tmp_path / "net.nir"
    assert subprocess.run([sys.executable, str(script), "--out", str(out)], capture_output=True).returncode == 0
    g = nir.read(str(out))
    net = load_script(script).PAYLOAD["network"]
    # A steady input settles at the synaptic current it is (tau_syn dI/dt = -I + u): pA, unscaled.
    bias = np.asarray(net["offset"], dtype=float)
    bias[:net["inputs"]] += net["input_bias"]
    assert np.allclose(g.nodes["encoder"].bias, bias)
    assert np.isclose(g.nodes["encoder"].weight[0, 0], net["input_gain"])
    assert np.isclose(g.nodes["encoder"].weight[1, 0], -net["input_gain"])  # pair encoding: the other sign
    linear = train(cli, tmp_path / "linear", "model.kind=snn", "model.snn_readout=rate", "model.readout=linear")
    done = subprocess.run([cli, "export", str(linear), "--to", "nir", "--out", str(tmp_path / "l.py")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "model.readout" in done.stderr
