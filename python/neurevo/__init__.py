"""neurevo: evolve biologically grounded neurodynamic networks into controllers.

The C++ core (neurevo._core) with a Python shape:
    neurevo.train(config, **overrides) -> Run      the CLI's training, same run directory
    neurevo.load_run(dir) -> Run                   summary, metrics, best genome, network()
    neurevo.optim.CMAES(x0, sigma0, popsize=...)   every optimizer as ask/tell (pickle-able)
    neurevo.Network / neurevo.Networks             decode genomes, step, record neurons
    neurevo.gym                                    Gymnasium both ways (neurevo/<task> ids)
"""
from ._core import ConfigError, RunFailed
from . import optim
from .network import Network, Networks, evaluate_population, genome_size
from .run import Run, describe, load_run, resolved_config, resume, train

__version__ = "0.1.0"


def task_names() -> list:
    """Every neurevo task id (families such as MemoryLength-N take a parameter: task_families())."""
    from ._core import task_names as names

    return list(names())


def task_families() -> list:
    from ._core import task_families as families

    return list(families())


try:  # Gymnasium is optional: with it, neurevo's tasks are registered as neurevo/<id>.
    import gymnasium as _gymnasium  # noqa: F401
except ImportError:
    pass
else:
    from . import gym as _gym

    _gym.register_envs()

__all__ = ["ConfigError", "RunFailed", "Run", "train", "resume", "load_run", "describe", "resolved_config",
           "Network", "Networks", "evaluate_population", "genome_size", "optim", "task_names", "task_families"]
