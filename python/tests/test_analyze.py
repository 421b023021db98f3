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
    sc = np.zeros((n, n))
    sign = np.where(np.asarray(net["receptor"]) == 0, 1.0, -1.0)
    np.add.at(sc, (np.asarray(net["post"]), np.asarray(net["pre"])), sign * np.asarray(net["weight"]))
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
