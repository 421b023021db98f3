#!/usr/bin/env python3
"""The reference ENOMAD (PyPI `ENOMAD`) on neurevo's C. elegans foraging task.

A peer comparison of neurevo's ENOMAD (src/optim/enomad.h,
configs/celegans/foraging_threshold.toml) against the optimizer that the
authors of Churchland & Garcia-Ojalvo 2025 ("Reinforcement learning in
densely recurrent biological networks") published on PyPI as `ENOMAD`
(github dsb-lab/ENOMAD; earlier names EANOMAD / evonomad), at an equal number
of fitness evaluations. Both optimize the same genome on the same task: the
package's optimizer drives neurevo's network and task through
bench/genome_fitness, a fitness server that reads genomes (genes in [0, 1],
one line each) on stdin and prints each one's episode return (food items
eaten in one 250-step episode, 0..36; higher is better). Gene 0.5 everywhere
is the biological (untrained) connectome; a gene maps linearly onto its
synapse's listed weight +- 4, so +-0.5 in gene units is +-4 synapses.

Setup and run (one core; ~8.5 minutes per seed at the default budget: 12
generations of ~42 s, of which ~11 s in the fitness server):
    python3.11 -m venv .venv-enomad
    .venv-enomad/bin/pip install ENOMAD==0.1.0.post1 PyNomadBBO==4.5.1
    cmake --build build --target genome_fitness
    .venv-enomad/bin/python bench/enomad_peer.py --pattern pentagon --seed 1 \
        --out bench/enomad_peer_results/pentagon_seed1.json

PyNomadBBO must be 4.5.1 (or 4.4.0): ENOMAD 0.1.0.post1 requires only
`pynomadbbo>=4`, so pip picks 4.6.0, whose `PyNomad.optimize` result no
longer has the keys `x_best` / `f_best` that ENOMAD reads (it has
`x_best_feas`, `f_single_best`, ...): every NOMAD call then ends in
KeyError 'x_best'. 4.5.0's wheel does not import (undefined symbol
omp_set_lock). The script probes PyNomad once at start and stops with this
explanation if the result lacks `x_best`.

Settings (the paper's, as far as the package exposes them):
    optimizer_type "EA"        the paper's ENOMAD ("many small changes"):
                               every individual refined by NOMAD every
                               generation (step_pure); "rEA" is the sparse
                               variant.
    population_size 64         the paper's population.
    init_vec 0.5 * ones        every individual starts as the biological
                               connectome (the reference code's
                               initialize_population: 64 copies).
    subset_size 49             coordinates per NOMAD call, drawn anew for each
                               individual and generation (the paper's 49).
    max_bb_eval 250            NOMAD evaluations per call (the paper's 250);
                               NOMAD's first evaluation is the incumbent
                               itself, so a generation is at most 64 x 250 =
                               16,000 evaluations.
    bounds ([0]*n, [1]*n)      the NOMAD box (--box unit, the default). The
                               paper's box is +-4 synapses around the current
                               weight = +-0.5 genes, but genes live in [0, 1].
                               The package takes either a half-width around
                               the current value with no clipping (bounds=0.5,
                               --box relative) or absolute per-gene bounds; the
                               absolute [0, 1] is exactly +-0.5 around the
                               biological start, never leaves the server's
                               range, and keeps NOMAD's default initial frame
                               (10% of the box = 0.1 gene = 0.8 synapse, as in
                               the reference's 10% of +-4). For a gene already
                               moved from 0.5 it is +-0.5 clipped to [0, 1] and
                               widened on the far side. --box relative passes
                               bounds=0.5 and clips genes to [0, 1] before they
                               reach the server (points outside are plateaus).
    crossover_type "fitness", crossover_exponent 1.2
                               the reference code's crossover (algo_utils.
                               crossover): parents drawn in proportion to
                               fitness, each gene from parent 1 with
                               probability (f1 / (f1 + f2))^1.2. The package's
                               default is "uniform" (fitness-proportional
                               parents, per-gene mask with crossover_rate 0.5).
    n_mutate_coords 0          no mutation (the reference's EA has none; the
                               package's default is 0 too).
    elitism                    not a parameter: step_pure keeps the top half
                               (population // 2 = 32) unchanged and fills the
                               rest with their crossover offspring.
    steps_between_evo 1        breed every generation (the package default).
    use_ray False              serial NOMAD calls (one fitness server).
    seed --seed                the package's numpy Generator; numpy's and
                               random's global seeds too, and NOMAD's SEED:
                               ENOMAD passes fixed NOMAD options (DISPLAY_DEGREE
                               0, DISPLAY_STATS BBE BLK_SIZE OBJ,
                               BB_MAX_BLOCK_SIZE 4, MAX_BB_EVAL) and no seed, so
                               this script wraps PyNomad.optimize (as the
                               package's module sees it) to append
                               "SEED <seed>"; nothing else is changed.

Budget: --evaluations (default 188,800 = neurevo's bench/connectome budget,
budget.env_steps 47.2M env steps / 250 steps = 188,800 episodes: ten of
neurevo's generations of 64 x (1 + 294 MADS evaluations); ten of the paper's
generations of 64 x (1 + 250) would be 160,640, and the generation log gives
the best at that count too). The package runs whole generations
(ENOMAD.step_pure), so the run stops after the generation during which the
count reaches the budget; the JSON gives the evaluations actually used and,
for a comparison at exactly the budget, the best fitness among the first
--evaluations evaluations. Every call of the fitness server counts (NOMAD's
incumbent evaluations included). The final best genome is evaluated once
more to verify NOMAD's reported fitness; that evaluation is not counted.

A quirk of the package, left as it is: its NOMAD callback returns each
point's objective value (-fitness) where PyNomad expects a success flag, so
an evaluation with fitness exactly 0 counts as failed for NOMAD; when that is
the incumbent, NOMAD stops after that one evaluation ("Problem with starting
point evaluation") and ENOMAD keeps the individual unchanged and evaluates it
once more itself. Such calls are listed in the JSON
(nomad_calls_without_point); the reference code (algo_utils.BlackboxWrapper)
returns True.

PyNomad ignores exceptions raised in its callback (it prints them and goes
on), so a fitness-server failure (a closed pipe, an answer that is not a
finite number) prints a clear message and ends the process at once
(exit status 3) instead of raising.

Usage:
    enomad_peer.py [--pattern pentagon] [--seed 1] [--evaluations 188800]
                   [--fitness-server build/bench/genome_fitness]
                   [--config configs/celegans/foraging_threshold.toml]
                   [--box unit|relative] [--genome-size 3927] [--out FILE]
"""
import argparse
import hashlib
import importlib.metadata
import json
import math
import os
import platform
import random
import subprocess
import sys
import time

import numpy as np

import PyNomad  # noqa: F401  (PyNomadBBO; imported by ENOMAD too)
from ENOMAD import ENOMAD
from ENOMAD import core as enomad_core

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATTERNS = ["circle", "triangle", "square", "pentagon", "hexagon", "heptagon", "octagon", "nonagon"]
NEUREVO_BUDGET = 47_200_000 // 250  # configs/celegans/foraging_threshold.toml budget.env_steps / 250-step episodes


def die(message):
    """Print an error and end the process now (also from inside a PyNomad callback)."""
    sys.stderr.write(f"enomad_peer: error: {message}\n")
    sys.stderr.flush()
    os._exit(3)


class FitnessServer:
    """bench/genome_fitness as a subprocess: one genome per line in, one fitness per line out."""

    def __init__(self, command, budget):
        self.command = command
        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True, bufsize=1)
        except OSError as e:
            die(f"cannot start the fitness server {command[0]}: {e}")
        first = self.proc.stdout.readline()
        if not first:
            self.proc.wait()
            die(f"the fitness server exited (status {self.proc.returncode}) before printing the genome size; "
                f"command: {' '.join(command)}")
        try:
            self.size = int(first.strip())
        except ValueError:
            die(f"the fitness server's first line should be the genome size, got {first.strip()!r}")
        if self.size <= 0:
            die(f"the fitness server reported genome size {self.size}")
        self.budget = budget
        self.count = 0
        self.best = -math.inf
        self.best_within_budget = -math.inf
        self.evaluations_to_best = 0
        self.improvements = []  # (evaluation number, new best fitness)
        self.seconds = 0.0

    def _query(self, genes):
        line = " ".join(map(repr, genes)) + "\n"
        t = time.perf_counter()
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        except (BrokenPipeError, OSError) as e:
            die(f"the fitness server's pipe closed ({e}); exit status {self.proc.poll()}")
        self.seconds += time.perf_counter() - t
        if not answer:
            die(f"the fitness server closed its output after {self.count} evaluations "
                f"(exit status {self.proc.wait()})")
        try:
            value = float(answer)
        except ValueError:
            die(f"the fitness server answered {answer.strip()!r}, not a number "
                f"(evaluation {self.count + 1})")
        if not math.isfinite(value):
            die(f"the fitness server answered {answer.strip()!r}, not a finite number "
                f"(evaluation {self.count + 1})")
        return value

    def evaluate(self, x, clip):
        x = np.asarray(x, dtype=np.float64)
        if x.shape != (self.size,):
            die(f"the optimizer asked for a genome of shape {x.shape}; the server's genome has {self.size} genes")
        if not np.all(np.isfinite(x)):
            die("the optimizer asked for a genome with a non-finite gene")
        if clip:
            x = np.clip(x, 0.0, 1.0)
        elif np.any(x < 0.0) or np.any(x > 1.0):
            die(f"the optimizer asked for genes outside [0, 1] (min {x.min()}, max {x.max()}) with --box unit")
        value = self._query(x.tolist())
        self.count += 1
        if value > self.best:
            self.best = value
            self.evaluations_to_best = self.count
            self.improvements.append([self.count, value])
        if self.count <= self.budget:
            self.best_within_budget = max(self.best_within_budget, value)
        return value

    def verify(self, x, clip):
        """One evaluation outside the count (checks the optimizer's reported fitness)."""
        x = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0) if clip else np.asarray(x, dtype=np.float64)
        return self._query(x.tolist())

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode


class SeededPyNomad:
    """PyNomad as ENOMAD.core sees it, with "SEED <seed>" appended to every call's options."""

    def __init__(self, module, seed):
        self.module = module
        self.seed = seed
        self.calls = 0
        self.nb_evals = 0
        self.stop_reasons = {}
        self.last_options = None
        self.no_point = []  # calls whose result had no x_best of the slice's size

    def optimize(self, blackbox, x0, lb, ub, options, *rest, **kwargs):
        options = list(options) + [f"SEED {self.seed}"]
        self.last_options = options
        result = self.module.optimize(blackbox, x0, lb, ub, options, *rest, **kwargs)
        self.calls += 1
        self.nb_evals += int(result.get("nb_evals", 0))
        reason = str(result.get("stop_reason", "?"))
        self.stop_reasons[reason] = self.stop_reasons.get(reason, 0) + 1
        if len(result.get("x_best", [])) != len(x0):
            # ENOMAD then keeps the individual unchanged and evaluates it once more itself.
            self.no_point.append(dict(call=self.calls, nb_evals=int(result.get("nb_evals", 0)), stop_reason=reason,
                                      x0_min=float(min(x0)), x0_max=float(max(x0)),
                                      x0_at_bounds=int(sum(1 for v, a, b in zip(x0, lb, ub) if v <= a or v >= b))))
        return result

    def __getattr__(self, name):
        return getattr(self.module, name)


def probe_pynomad():
    """ENOMAD 0.1.0.post1 reads result['x_best'] and ['f_best']; PyNomadBBO 4.6 renamed them."""
    def blackbox(block):
        out = []
        for i in range(block.size()):
            p = block.get_x(i)
            v = p.get_coord(0)
            p.setBBO(str((v - 0.3) ** 2).encode("utf-8"))
            out.append(True)
        return out

    result = PyNomad.optimize(blackbox, [0.5], [0.0], [1.0],
                              ["DISPLAY_DEGREE 0", "BB_MAX_BLOCK_SIZE 4", "MAX_BB_EVAL 5"])
    if "x_best" not in result or "f_best" not in result:
        die(f"PyNomadBBO {version('PyNomadBBO')} returns {sorted(result)} from PyNomad.optimize, without the "
            f"'x_best' / 'f_best' that ENOMAD {version('ENOMAD')} reads (every NOMAD call would end in KeyError); "
            f"install PyNomadBBO==4.5.1")


def version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pattern", default="pentagon", choices=PATTERNS, help="food pattern (task WormForaging-PATTERN)")
    ap.add_argument("--seed", type=int, default=1, help="seed (>= 1: ENOMAD draws a random seed for 0)")
    ap.add_argument("--evaluations", type=int, default=NEUREVO_BUDGET,
                    help="fitness-evaluation budget (default %(default)s: neurevo's 47.2M env steps / 250)")
    ap.add_argument("--fitness-server", default=os.path.join(REPO, "build", "bench", "genome_fitness"),
                    help="the genome_fitness binary (use a copy if the build may change underneath)")
    ap.add_argument("--config", default=os.path.join(REPO, "configs", "celegans", "foraging_threshold.toml"))
    ap.add_argument("--box", default="unit", choices=["unit", "relative"],
                    help="NOMAD box: unit = absolute [0, 1] per gene (default); relative = +-0.5 around "
                         "the current value (the package's float bounds), genes clipped to [0, 1] for the server")
    ap.add_argument("--genome-size", type=int, default=3927,
                    help="expected genome size (0: accept the server's)")
    ap.add_argument("--out", help="JSON file to write")
    args = ap.parse_args()
    if args.seed < 1:
        ap.error("--seed must be >= 1 (ENOMAD replaces a seed of 0 by a random one)")
    if args.evaluations < 1:
        ap.error("--evaluations must be >= 1")

    random.seed(args.seed)
    np.random.seed(args.seed)
    probe_pynomad()

    task = f"WormForaging-{args.pattern}"
    command = [args.fitness_server, args.config, "--set", f"task.name={task}"]
    server = FitnessServer(command, args.evaluations)
    n = server.size
    if args.genome_size and n != args.genome_size:
        server.close()
        die(f"the fitness server's genome has {n} genes, expected {args.genome_size} (--genome-size)")

    clip = args.box == "relative"
    x0 = np.full(n, 0.5)
    baseline = server.verify(x0, clip)  # the biological connectome; not counted
    nomad = SeededPyNomad(PyNomad, args.seed)
    enomad_core.PyNomad = nomad

    settings = dict(
        optimizer_type="EA",
        population_size=64,
        subset_size=49,
        max_bb_eval=250,
        crossover_type="fitness",
        crossover_exponent=1.2,
        crossover_rate=0.5,
        n_mutate_coords=0,
        steps_between_evo=1,
        low=0.0,
        high=1.0,
        use_ray=False,
        seed=args.seed,
    )
    bounds = ([0.0] * n, [1.0] * n) if args.box == "unit" else 0.5
    opt = ENOMAD(settings["optimizer_type"], settings["population_size"],
                 objective_fn=lambda x: server.evaluate(x, clip),
                 init_vec=x0.copy(), bounds=bounds,
                 **{k: v for k, v in settings.items() if k not in ("optimizer_type", "population_size")})

    generations = []
    start = time.perf_counter()
    while server.count < args.evaluations:
        best_fit, _ = opt.step_pure()
        fits = np.asarray(opt._last_fits, dtype=np.float64)  # the generation's post-NOMAD fitness
        generations.append(dict(
            generation=len(generations) + 1,
            evaluations=server.count,
            best=float(best_fit),
            generation_max=float(fits.max()),
            generation_mean=float(fits.mean()),
            seconds=round(time.perf_counter() - start, 3),
        ))
        g = generations[-1]
        print(f"generation {g['generation']:3d}  evaluations {g['evaluations']:7d}  best {g['best']:5.1f}  "
              f"mean {g['generation_mean']:6.2f}  {g['seconds']:8.1f} s", file=sys.stderr, flush=True)
    wall = time.perf_counter() - start

    best_x = np.asarray(opt._best_x, dtype=np.float64)
    if clip:
        best_x = np.clip(best_x, 0.0, 1.0)
    best_fit = float(opt._best_fit)
    verified = server.verify(best_x, clip)
    status = server.close()
    changed = np.flatnonzero(best_x != 0.5)

    result = dict(
        script="bench/enomad_peer.py",
        comparison="reference ENOMAD (PyPI) vs neurevo's ENOMAD at equal fitness evaluations",
        task=task,
        pattern=args.pattern,
        seed=args.seed,
        config=os.path.relpath(os.path.abspath(args.config), REPO),
        config_sha256=sha256(args.config),
        fitness_server=args.fitness_server,
        fitness_server_sha256=sha256(args.fitness_server),
        fitness_server_exit_status=status,
        genome_size=n,
        packages=dict(python=platform.python_version(), ENOMAD=version("ENOMAD"),
                      PyNomadBBO=version("PyNomadBBO"), numpy=version("numpy"), tqdm=version("tqdm")),
        settings=dict(settings, init_vec="0.5 in every gene (the biological connectome)",
                      bounds=("absolute [0, 1] per gene" if args.box == "unit"
                              else "0.5 around the current value; genes clipped to [0, 1] for the server"),
                      box=args.box,
                      nomad_options=nomad.last_options,
                      elitism="top population // 2 kept unchanged (step_pure; not a parameter)",
                      stop="after the generation during which the evaluation count reaches the budget"),
        budget_evaluations=args.evaluations,
        evaluations=server.count,
        generations=len(generations),
        wall_seconds=round(wall, 2),
        fitness_server_seconds=round(server.seconds, 2),
        baseline_fitness=baseline,
        best_fitness=best_fit,
        best_fitness_verified=verified,
        best_fitness_any_evaluation=server.best,
        best_fitness_within_budget=server.best_within_budget,
        evaluations_to_best=server.evaluations_to_best,
        best_per_generation=[g["best"] for g in generations],
        generation_log=generations,
        improvements=server.improvements,
        best_genes_changed=int(changed.size),
        best_genome_l1_synapses=float(np.abs(best_x - 0.5).sum() * 8.0),
        best_genome_changes=[[int(i), float(best_x[i])] for i in changed],
        nomad_calls=nomad.calls,
        nomad_evaluations_reported=nomad.nb_evals,
        nomad_stop_reasons=nomad.stop_reasons,
        nomad_calls_without_point=nomad.no_point,
    )
    text = json.dumps(result, indent=1)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text + "\n")
    summary = {k: result[k] for k in ("task", "seed", "evaluations", "generations", "wall_seconds", "baseline_fitness",
                                       "best_fitness", "best_fitness_verified", "best_fitness_within_budget",
                                       "best_genes_changed", "best_per_generation")}
    print(json.dumps(summary))
    if verified != best_fit:
        sys.stderr.write(f"enomad_peer: warning: the best genome re-evaluates to {verified}, "
                         f"NOMAD reported {best_fit}\n")


if __name__ == "__main__":
    main()
