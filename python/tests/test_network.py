"""Networks stepped from Python are the networks neurevo evaluates; recordings are consistent."""
import numpy as np
import pytest

import neurevo
from neurevo import _core
from neurevo.gym import NeurevoEnv

SMALL = dict(model__excitatory=4, model__inhibitory=4, budget__generations=3, budget__env_steps=0,
             eval__episodes=1, train__validation_episodes=0)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return neurevo.train(None, out=tmp_path_factory.mktemp("n") / "run", **SMALL)


def python_episode(net, env, env_seed, noise_key):
    obs, _ = env.reset(seed=env_seed)
    net.reset(noise_key)
    total, done = 0.0, False
    while not done:
        obs, r, term, trunc, _ = env.step(net.step(obs))
        total += r
        done = term or trunc
    return total


def test_a_python_episode_is_the_cpp_evaluation(run):
    """Stepping the run's network on the task from Python gives the held-out return the C++ evaluator gives
    (same environment seed and noise key, the run's observation normaliser)."""
    net, env = run.network(), NeurevoEnv("CartPole-v1")
    for seed in (3, 4):
        env_seed, noise_key = _core.held_out_seeds(seed, 0)
        expected = run.evaluate(episodes=1, seed=seed)["mean"]
        assert python_episode(net, env, env_seed, noise_key) == expected


def test_batched_networks_equal_single_ones_whatever_the_threads(run):
    genomes = np.random.default_rng(1).uniform(0, 1, (6, run.network().genes))
    obs = np.random.default_rng(2).normal(size=(20, 6, 4))
    outs = []
    for threads in (1, 2):
        nets = neurevo.Networks(None, genomes, threads=threads, model__excitatory=4, model__inhibitory=4)
        nets.reset(np.arange(6))
        outs.append(np.stack([nets.step(o) for o in obs]))
    assert np.array_equal(outs[0], outs[1])
    for i in (0, 5):
        one = neurevo.Network(None, genomes[i], model__excitatory=4, model__inhibitory=4)
        one.reset(i)
        assert [one.step(o[i]) for o in obs] == list(outs[0][:, i, 0].astype(int))


def test_population_fitness_is_deterministic():
    """evaluate_population (the C++ evaluator): the same whatever the thread count; the seed matters."""
    genomes = np.random.default_rng(4).uniform(0, 1, (3, 288))
    kw = dict(model__excitatory=4, model__inhibitory=4)
    fitness = neurevo.evaluate_population(None, genomes, episodes=2, seed=9, threads=2, **kw)
    assert fitness.shape == (3,)
    assert np.all(fitness >= 8) and np.all(fitness <= 500)
    assert np.array_equal(fitness, neurevo.evaluate_population(None, genomes, episodes=2, seed=9, threads=1, **kw))
    others = [neurevo.evaluate_population(None, genomes, episodes=2, seed=s, threads=1, **kw) for s in (10, 11)]
    assert any(not np.array_equal(fitness, o) for o in others)  # the seed matters


def test_recording_lif_state(tmp_path):
    # One genome for both kinds: the snn then takes the bnn's single input neurons (its own default is pairs).
    genome = np.random.default_rng(5).uniform(0, 1, 288)
    obs = np.random.default_rng(6).normal(size=(15, 4))
    graded = neurevo.Network(None, genome, model__excitatory=4, model__inhibitory=4).run(obs, seed=1)
    n = 4 + 4 + 4 + 2  # inputs, E, I, outputs
    assert graded["v"].shape == (15, n) and graded["g_exc"].shape == (15, n)
    assert graded["spikes"].shape == (0, 2)  # a graded network never spikes
    assert np.all((graded["activity"] >= 0) & (graded["activity"] <= 1))
    assert np.all(graded["g_exc"] >= 0) and np.all(graded["g_inh"] >= 0)
    assert np.all((graded["v"] > -100) & (graded["v"] < 50))
    spiking = neurevo.Network(None, genome, model__kind="snn", model__input_encoding="single", model__excitatory=4,
                               model__inhibitory=4)
    rec = spiking.run(obs, seed=1)
    spikes = rec["spikes"]
    assert len(spikes) > 0
    assert np.all(np.diff(spikes[:, 0]) >= 0)  # time order
    substeps = spiking.substeps
    # Spiking neurons' activity is their spike count per substep: counts from the spike list agree.
    counts = np.zeros((15, n))
    np.add.at(counts, (spikes[:, 0] // substeps, spikes[:, 1]), 1)
    spiking_neurons = np.unique(spikes[:, 1])
    assert np.allclose(rec["activity"][:, spiking_neurons] * substeps, counts[:, spiking_neurons], atol=1e-3)
    # Recording does not change what the network does.
    plain = neurevo.Network(None, genome, model__kind="snn", model__input_encoding="single", model__excitatory=4,
                               model__inhibitory=4)
    plain.reset(1)
    assert [plain.step(o) for o in obs] == list(rec["actions"][:, 0].astype(int))


def test_bad_inputs_are_refused():
    genome = np.zeros(288)
    with pytest.raises(neurevo.ConfigError, match="genomes have 5 genes; this model has 288"):
        neurevo.Network(None, np.zeros(5), model__excitatory=4, model__inhibitory=4)
    with pytest.raises(neurevo.ConfigError, match="non-finite"):
        neurevo.Network(None, np.full(288, np.nan), model__excitatory=4, model__inhibitory=4)
    net = neurevo.Network(None, genome, model__excitatory=4, model__inhibitory=4)
    with pytest.raises(ValueError):
        net.step(np.zeros(3))
    with pytest.raises(neurevo.ConfigError, match="noise key"):
        net.reset(-1)


def test_genome_size_follows_the_spaces():
    import gymnasium

    assert neurevo.genome_size(None, model__excitatory=4, model__inhibitory=4) == 288
    env = gymnasium.make("MountainCar-v0")
    n = neurevo.genome_size(None, env=env, model__kind="mlp", model__mlp_hidden=[8])
    assert n == 2 * 8 + 8 + 8 * 3 + 3  # weights and biases of 2 -> 8 -> 3
    with pytest.raises(neurevo.ConfigError, match="Discrete spaces|only Box observations"):
        neurevo.genome_size(None, env=(gymnasium.spaces.Discrete(3), env.action_space))


def test_noise_keys_are_exact_uint64():
    nets = neurevo.Networks(None, np.random.default_rng(1).uniform(0, 1, (2, 288)), model__excitatory=4,
                            model__inhibitory=4)
    nets.reset([2**63, 2**64 - 1])  # float64 would round these
    with pytest.raises(neurevo.ConfigError, match="noise keys"):
        nets.reset([1.5, 2])
    with pytest.raises(neurevo.ConfigError, match="noise keys"):
        nets.reset(2**64)


def test_recordings_never_go_stale():
    genome = np.random.default_rng(5).uniform(0, 1, 288)
    net = neurevo.Network(None, genome, model__kind="snn", model__input_encoding="single", model__excitatory=4,
                               model__inhibitory=4)
    net.record(True)
    net.reset(1)
    for _ in range(5):
        net.step(np.ones(4))
    assert net.probes() and len(net.spikes()) > 0
    net.reset(2)
    assert net.probes() == {} and len(net.spikes()) == 0  # reset: nothing recorded yet
    net.step(np.ones(4))
    assert net.probes()
    net.record(False)
    net.step(np.ones(4))
    assert net.probes() == {} and len(net.spikes()) == 0


@pytest.mark.parametrize("kind", ["bnn", "snn"])
def test_recording_leaves_outputs_bit_for_bit(kind):
    genome = np.random.default_rng(7).uniform(0, 1, 288)
    obs = np.random.default_rng(8).normal(size=(12, 4))
    outs = []
    for record in (False, True):
        net = neurevo.Network(None, genome, model__kind=kind, model__input_encoding="single", model__excitatory=4,
                              model__inhibitory=4)
        net.record(record)
        net.reset(3)
        outs.append([(net.step(o), net.outputs().copy()) for o in obs])
    for (a1, o1), (a2, o2) in zip(*outs):
        assert a1 == a2 and np.array_equal(o1, o2)


def test_shapes_and_spaces_are_checked():
    import gymnasium

    nets = neurevo.Networks(None, np.zeros((3, 288)), model__excitatory=4, model__inhibitory=4)
    nets.reset(0)
    for bad in (np.zeros(12), np.zeros((4, 3)), np.zeros((3, 4, 1))):
        with pytest.raises(neurevo.ConfigError, match="step: observations of shape"):
            nets.step(bad)
    unbounded = (gymnasium.spaces.Box(-1, 1, (3,)), gymnasium.spaces.Box(-np.inf, np.inf, (2,)))
    with pytest.raises(neurevo.ConfigError, match="action space: dimension 0"):
        neurevo.Networks(None, np.zeros((1, 10)), env=unbounded, model__kind="mlp")
    with pytest.raises(neurevo.ConfigError, match="genome 1 holds a non-finite gene"):
        neurevo.evaluate_population(None, np.vstack([np.zeros(288), np.full(288, np.nan)]), model__excitatory=4,
                                    model__inhibitory=4)
    with pytest.raises(neurevo.ConfigError, match="seed"):
        neurevo.evaluate_population(None, np.zeros((1, 288)), seed=-1, model__excitatory=4, model__inhibitory=4)
