"""neurevo's optimizers as ask/tell objects, as pycma's users expect.

    es = neurevo.optim.CMAES(x0, 0.3, popsize=16)
    while es.generation < 200:
        X = es.ask()                          # (popsize, n) float64
        es.tell([f(x) for x in X])            # minimised by default, as in pycma
    es.mean, es.best_x, es.best_f

Unlike neurevo's own training (which maximises episode returns), these
objects MINIMISE by default, as pycma, evosax and EvoTorch's defaults do;
`minimize=False` maximises. Every option of neurevo's `optimizer.*` keys can be
given by name (README, "Configuration"); bad ones raise neurevo.ConfigError
with the CLI's message. `pickle` (or `.state`) captures the whole state:
a restored object asks for exactly the candidates the original would have.
"""
from __future__ import annotations

import numpy as np

from . import _core
from ._config import toml_value


class Optimizer:
    """Any of neurevo's optimizers by `kind` (cma_es, sep_cma_es, openai_es, xnes, snes, pgpe, ga, mads, enomad)."""

    kind: str | None = None

    def __init__(self, x0=None, sigma0=None, *, dimension=None, popsize=None, seed=1, minimize=True, kind=None,
                 **options):
        kind = kind or self.kind
        if kind is None:
            raise ValueError("Optimizer: give kind= (one of %s)" % ", ".join(_core.optimizer_kinds()))
        x0 = None if x0 is None else np.ascontiguousarray(x0, dtype=np.float64).ravel()
        if dimension is None:
            if x0 is None:
                raise ValueError("give x0 or dimension")
            dimension = x0.size
        sets = {"optimizer.kind": kind}
        if sigma0 is not None:
            sets["optimizer.sigma0"] = float(sigma0)
        if popsize is not None:
            sets["optimizer.population"] = int(popsize)
        for key, value in options.items():
            sets[f"optimizer.{key}"] = value
        self._init = dict(overrides=[f"{k}={toml_value(v)}" for k, v in sets.items()], dimension=int(dimension),
                          seed=int(seed), x0=x0)
        self.minimize = bool(minimize)
        self._core = self._make()
        self.best_x = None
        self.best_f = np.inf if self.minimize else -np.inf
        self._asked = None
        self._injected = []  # (index, x) replaced since the last ask: the C++ state does not hold them

    def _make(self):
        x0 = self._init["x0"]
        return _core.Optimizer(self._init["overrides"], self._init["dimension"], self._init["seed"],
                               np.empty(0) if x0 is None else x0)

    def ask(self) -> np.ndarray:
        """This generation's candidates, (popsize, dimension); asking again before tell gives the same."""
        self._asked = self._core.ask()
        self._injected = []
        return self._asked.copy()

    def tell(self, values) -> None:
        """One objective value per candidate of the last ask, in its order."""
        if self._asked is None:
            raise RuntimeError("tell before ask")
        f = np.ascontiguousarray(values, dtype=np.float64).ravel()
        bad = np.flatnonzero(~np.isfinite(f))
        if bad.size:
            raise _core.ConfigError(f"tell: fitness[{bad[0]}] is {f[bad[0]]}; give failed candidates a finite "
                                    "worst value")
        self._core.tell(-f if self.minimize else f)
        self._injected = []
        k = int(np.argmin(f) if self.minimize else np.argmax(f))
        if (f[k] < self.best_f) if self.minimize else (f[k] > self.best_f):
            self.best_f, self.best_x = float(f[k]), self._asked[k].copy()
        self._asked = None

    def inject(self, index: int, x) -> None:
        """Replaces candidate `index` of the last ask by x (told as if sampled)."""
        if self._asked is None:
            raise RuntimeError("inject before ask")
        x = np.ascontiguousarray(x, dtype=np.float64).ravel()
        self._core.replace(int(index), x)
        self._asked[index] = x
        self._injected.append((int(index), x.copy()))

    @property
    def mean(self) -> np.ndarray:
        return self._core.mean()

    @property
    def generation(self) -> int:
        return self._core.generation

    @property
    def popsize(self) -> int:
        return self._core.population

    @property
    def dimension(self) -> int:
        return self._core.dimension

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def state(self) -> bytes:
        """The C++ optimizer's whole state (CBOR, as in checkpoints). Candidates injected since the last
        ask are not part of it (pickle keeps them)."""
        return self._core.state()

    @state.setter
    def state(self, value: bytes) -> None:
        self._core.set_state(bytes(value))

    def __getstate__(self):
        return dict(init=self._init, minimize=self.minimize, core=self.state, best_x=self.best_x,
                    best_f=self.best_f, asked=self._asked, injected=self._injected)

    def __setstate__(self, s):
        self._init, self.minimize = s["init"], s["minimize"]
        self._core = self._make()
        self._core.set_state(s["core"])
        self.best_x, self.best_f, self._asked, self._injected = s["best_x"], s["best_f"], None, []
        if s["asked"] is not None:  # pickled between ask and tell: the core asks again (the same candidates)
            self._asked = self._core.ask()
            for index, x in s.get("injected", []):  # and the injections are replayed
                self._core.replace(index, x)
                self._asked[index] = x
                self._injected.append((index, x))
            if not np.array_equal(self._asked, s["asked"]):
                raise RuntimeError("restored optimizer asks for other candidates than the pickled one")

    def __repr__(self):
        return f"neurevo.optim.{type(self).__name__}(dimension={self.dimension}, popsize={self.popsize}, " \
               f"generation={self.generation})"


def _kind(name: str, kind: str, doc: str):
    return type(name, (Optimizer,), {"kind": kind, "__doc__": doc})


CMAES = _kind("CMAES", "cma_es", "CMA-ES (Hansen's tutorial; active, ipop and bipop restarts as options).")
SepCMAES = _kind("SepCMAES", "sep_cma_es", "Separable (diagonal) CMA-ES (Ros & Hansen 2008).")
OpenAIES = _kind("OpenAIES", "openai_es", "OpenAI-ES (Salimans et al. 2017), Adam or momentum update.")
XNES = _kind("XNES", "xnes", "Exponential NES (Glasmachers et al. 2010).")
SNES = _kind("SNES", "snes", "Separable NES (Schaul et al. 2011).")
PGPE = _kind("PGPE", "pgpe", "PGPE with ClipUp (Toklu et al. 2020).")
GA = _kind("GA", "ga", "Genetic algorithm with elites (Such et al. 2018).")
MADS = _kind("MADS", "mads", "Mesh adaptive direct search (Audet & Dennis 2006), ask/tell polls.")
ENOMAD = _kind("ENOMAD", "enomad", "Evolution with MADS refinement (the ENOMAD paper's method).")

__all__ = ["Optimizer", "CMAES", "SepCMAES", "OpenAIES", "XNES", "SNES", "PGPE", "GA", "MADS", "ENOMAD"]
