"""`neurevo analyze`: structural connectivity from the decoded synapses, functional connectivity as
NumPy's correlations of the recorded activity, parameter summaries of the decoded neurons."""
import importlib.util
import json
import subprocess

import numpy as np

from conftest import train_tiny


def test_analysis_files_hold_what_the_network_is(cli, tmp_path):
    run = train_tiny(cli, tmp_path / "run")
    done = subprocess.run([cli, "analyze", str(run), "--episodes", "3"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    s = np.load(run / "analysis" / "structure.npz")
    f = np.load(run / "analysis" / "functional.npz")
    summary = json.loads((run / "analysis" / "summary.json").read_text())
    n = summary["neurons"]
    # The best network as `neurevo export` writes it (its own description of the decoded synapses).
    script = tmp_path / "net.py"
    subprocess.run([cli, "export", str(run), "--to", "brian2", "--out", str(script)], check=True,
                   stdout=subprocess.DEVNULL)
    spec = importlib.util.spec_from_file_location("net", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.PAYLOAD["network"]
    # Topology: the export's synapses (pre, post, receptor, delay) in the same order.
    assert s["synapse_pre"].tolist() == net["pre"] and s["synapse_post"].tolist() == net["post"]
    assert s["synapse_receptor"].tolist() == net["receptor"]
    # Weights as the genome file gives them (nS), signed by receptor: the same multisets.
    families = {f["name"]: f for f in json.loads((run / "best_genome.json").read_text())["genome"]["families"]}
    rec = s["synapse_receptor"]
    assert np.allclose(np.sort(s["weight_best"][rec == 0]), np.sort(families["ampa_weights"]["values"]))
    assert np.allclose(np.sort(-s["weight_best"][rec == 1]), np.sort(families["gaba_weights"]["values"]))
    # The matrix is those weights summed by (post, pre).
    sc = np.zeros((n, n))
    np.add.at(sc, (s["synapse_post"], s["synapse_pre"]), s["weight_best"])
    assert np.allclose(s["sc_best"], sc, rtol=0, atol=1e-12)
    assert not np.allclose(s["sc_best"], s["sc_initial"])  # evolution moved the weights
    assert np.array_equal(s["delay_ms_best"], np.asarray(net["delay"]) * net["dt_ms"])
    # Functional connectivity: NumPy's correlation of the same activity.
    act = f["activity_best"]
    live = act.std(axis=0) > 0
    assert live.sum() >= 2
    ref = np.corrcoef(act[:, live], rowvar=False)
    assert np.allclose(f["fc_best"][np.ix_(live, live)], ref, atol=1e-12)
    assert np.isnan(f["fc_best"][~live]).all() if (~live).any() else True
    # Parameters: the E population's membrane time constants from the decoded constants.
    params = json.loads((run / "analysis" / "parameters.json").read_text())["best"]
    e = summary["populations"][1]
    assert e["name"] == "E"
    tau = (net["dt_ms"] / np.asarray(net["dt_over_c"]) / np.asarray(net["g_leak"]))[e["begin"]:e["begin"] + e["size"]]
    assert np.isclose(params["E"]["tau_m_ms"]["mean"], tau.mean())
    offsets = np.asarray(net["offset"])[e["begin"]:e["begin"] + e["size"]]
    fit = params["E"]["offset_pA"]
    if offsets.min() > 0 and offsets.max() > offsets.min():
        assert np.isclose(fit["lognormal"]["mu"], np.log(offsets).mean())
        assert np.isclose(fit["lognormal"]["sigma"], np.log(offsets).std())


def test_every_receptor_and_rounding_constants(cli, tmp_path, repo):
    """A description's own receptor (NMDA) counts in the structure; a constant that differs only by
    rounding is reported without a fit rather than crashing; --out into a run is refused."""
    data = repo / "python" / "tests" / "data"
    for name, check in (("receptor_network.toml", "receptor"), ("varied_capacitance.toml", "capacitance")):
        run = tmp_path / name
        subprocess.run([cli, "train", "--quiet", str(data / name), "--out", str(run), "--set", "budget.generations=2",
                        "--set", "budget.env_steps=0", "--set", "eval.episodes=1"], check=True,
                       stdout=subprocess.DEVNULL)
        done = subprocess.run([cli, "analyze", str(run), "--episodes", "1"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        described = json.loads(subprocess.run([cli, "describe", str(run / "config.toml"), "--json"],
                                              capture_output=True, text=True, check=True).stdout)
        s = np.load(run / "analysis" / "structure.npz")
        summary = json.loads((run / "analysis" / "summary.json").read_text())
        if check == "receptor":
            assert summary["synapses"] == sum(p["synapses"] for p in described["projections"])
            assert (s["synapse_receptor"] == 2).sum() > 0 and (s["weight_best"][s["synapse_receptor"] == 2] >= 0).all()
        else:
            tau = json.loads((run / "analysis" / "parameters.json").read_text())["best"]["E"]["tau_m_ms"]
            assert "fit" in tau or "gamma" in tau
        done = subprocess.run([cli, "analyze", str(run), "--out", str(run)], capture_output=True, text=True)
        assert done.returncode == 2 and "a run directory" in done.stderr
        assert json.loads((run / "summary.json").read_text())["eval_episodes"] == 1  # untouched
