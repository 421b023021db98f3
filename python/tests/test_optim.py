"""Ask/tell optimizers: they optimise, they pickle to an identical continuation, they refuse bad input."""
import pickle

import numpy as np
import pytest

import neurevo
from neurevo import optim

KINDS = [optim.CMAES, optim.SepCMAES, optim.OpenAIES, optim.XNES, optim.SNES, optim.PGPE, optim.GA, optim.MADS,
         optim.ENOMAD]


def sphere(X):
    return (np.asarray(X) ** 2).sum(axis=1)


def test_cmaes_solves_the_sphere_as_pycma_would():
    es = optim.CMAES(np.full(10, 3.0), 0.5, popsize=12, seed=3)
    assert es.popsize == 12 and es.dimension == 10 and es.name == "cma_es"
    for _ in range(400):
        X = es.ask()
        assert X.shape == (12, 10) and X.dtype == np.float64
        es.tell(sphere(X))
    assert es.best_f < 1e-12
    assert np.abs(es.mean).max() < 1e-5


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_every_optimizer_improves_on_the_sphere(kind):
    es = kind(np.full(6, 2.0), 0.3, seed=5)
    first = None
    for _ in range(150):
        X = es.ask()
        f = sphere(X)
        first = f.mean() if first is None else first
        es.tell(f)
    assert es.best_f < 0.1 * first, (kind.__name__, first, es.best_f)


def test_maximise_flips_the_direction():
    es = optim.CMAES(np.zeros(4), 0.5, seed=2, minimize=False)
    for _ in range(60):
        X = es.ask()
        es.tell(-sphere(X - 1.0))  # maximum at x = 1
    assert np.allclose(es.mean, 1.0, atol=1e-2)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_pickle_mid_run_continues_identically(kind):
    a = kind(np.full(5, 1.5), 0.4, seed=11)
    for _ in range(7):
        X = a.ask()
        a.tell(sphere(X))
    b = pickle.loads(pickle.dumps(a))
    for _ in range(6):
        Xa, Xb = a.ask(), b.ask()
        assert np.array_equal(Xa, Xb)
        a.tell(sphere(Xa))
        b.tell(sphere(Xb))
    assert np.array_equal(a.mean, b.mean) and a.generation == b.generation
    # Pickled between ask and tell: the restored one holds the same candidates.
    X = a.ask()
    c = pickle.loads(pickle.dumps(a))
    c.tell(sphere(X))
    a.tell(sphere(X))
    assert np.array_equal(a.ask(), c.ask())


def test_a_perturbed_state_changes_the_continuation():
    """The continuation test above would pass vacuously if state were not restored: check it is used."""
    a = optim.CMAES(np.full(5, 1.5), 0.4, seed=11)
    for _ in range(3):
        a.tell(sphere(a.ask()))
    fresh = optim.CMAES(np.full(5, 1.5), 0.4, seed=11)
    fresh.state = a.state
    assert np.array_equal(fresh.ask(), a.ask())
    other = optim.CMAES(np.full(5, 1.5), 0.4, seed=11)
    assert not np.array_equal(other.ask(), a.ask())


def test_bad_options_name_the_key():
    with pytest.raises(neurevo.ConfigError, match=r"optimizer\.population: 0 is out of range"):
        optim.CMAES(np.ones(3), 0.5, popsize=0)
    with pytest.raises(neurevo.ConfigError, match="optimizer.restart"):
        optim.CMAES(np.ones(3), 0.5, restart="ipop")
    with pytest.raises(neurevo.ConfigError, match="x0 holds a non-finite value"):
        optim.CMAES(np.array([1.0, np.nan]), 0.5)
    with pytest.raises(ValueError, match="kind"):
        optim.Optimizer(np.ones(3))


def test_tell_checks_its_input():
    es = optim.CMAES(np.ones(3), 0.5, popsize=6)
    with pytest.raises(RuntimeError, match="tell before ask"):
        es.tell(np.zeros(6))
    es.ask()
    with pytest.raises(neurevo.ConfigError, match="5 fitness values for 6 candidates"):
        es.tell(np.zeros(5))
    with pytest.raises(neurevo.ConfigError, match=r"fitness\[2\] is nan"):
        es.tell(np.array([0, 0, np.nan, 0, 0, 0.0]))


def test_hostile_states_are_refused():
    es = optim.CMAES(np.ones(4), 0.5)
    for junk in [b"", b"\x00garbage", b"\x81" * 100000 + b"\x00", bytes(range(256))]:
        with pytest.raises(neurevo.ConfigError):
            es.state = junk
    other = optim.CMAES(np.ones(5), 0.5)
    with pytest.raises(neurevo.ConfigError):
        es.state = other.state  # another dimension
    snes = optim.SNES(np.ones(4), 0.5)
    with pytest.raises(neurevo.ConfigError):
        es.state = snes.state  # another kind
    es.tell(sphere(es.ask()))  # still usable


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_pickle_between_inject_and_tell(kind):
    a = kind(np.full(4, 1.0), 0.3, seed=2)
    a.tell(sphere(a.ask()))
    a.ask()
    a.inject(0, np.zeros(4))
    b = pickle.loads(pickle.dumps(a))
    X = a._asked
    a.tell(sphere(X))
    b.tell(sphere(X))
    assert np.array_equal(a.ask(), b.ask())


def test_inject_refuses_non_finite_values():
    es = optim.OpenAIES(np.ones(4), 0.3)
    es.ask()
    with pytest.raises(neurevo.ConfigError, match=r"replace: x\[1\] is nan"):
        es.inject(0, [0.0, np.nan, 0.0, 0.0])
    es.tell(np.arange(es.popsize, dtype=float))
    assert np.isfinite(es.mean).all()


def test_best_is_tracked_in_the_optimised_direction():
    for minimize in (True, False):
        es = optim.CMAES(np.zeros(3), 0.5, seed=1, minimize=minimize)
        seen = []
        for _ in range(20):
            X = es.ask()
            f = sphere(X) if minimize else -sphere(X)
            seen += list(zip(f, X))
            es.tell(f)
        best_f, best_x = (min if minimize else max)(seen, key=lambda t: t[0])
        assert es.best_f == best_f and np.array_equal(es.best_x, best_x)


def test_numpy_scalars_are_option_values():
    es = optim.OpenAIES(np.zeros(3), np.float64(0.1), learning_rate=np.float64(0.01), popsize=np.int64(8))
    assert es.popsize == 8
    assert "learning_rate = 0.01" in neurevo.resolved_config(None, optimizer__learning_rate=np.float64(0.01))


def test_one_object_from_two_threads_is_refused_not_a_crash():
    import threading

    nets = neurevo.Networks(None, np.random.default_rng(0).uniform(0, 1, (256, 1152)), threads=1)
    nets.reset(0)
    obs = np.zeros((256, 4))
    errors, stop = [], threading.Event()

    def busy():
        for _ in range(10):
            nets.step(obs)
        stop.set()

    worker = threading.Thread(target=busy)
    worker.start()
    while not stop.is_set():
        try:
            nets.step(obs)
        except RuntimeError as e:
            errors.append(str(e))
    worker.join()
    assert errors and "in use by another thread" in errors[0]
