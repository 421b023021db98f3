#!/usr/bin/env bash
# Two threads against one on the default CartPole job and on Hopper (issue 26,
# item 1): trains each job with --threads 1 and 2, alternating the binaries
# given, REPS times, and prints every run's training seconds (summary.json's
# train_seconds) and, per binary and job, the speed-up of the fastest runs
# (the machine's noise only ever adds time).
#
#   bench/thread_speedup.sh [--reps 3] [--out DIR] TAG=BINARY [TAG=BINARY ...]
# e.g. bench/thread_speedup.sh --reps 3 before=/tmp/old/neurevo after=build/neurevo
#
# Jobs: the built-in default (CartPole-v1, BNN, CMA-ES) for 150 generations,
# and the same on Hopper-v5 for 40, with budget.env_steps=0 and one held-out
# episode (so that training time dominates). Run it on an otherwise idle machine.
set -euo pipefail
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
reps=3; out="runs/thread-speedup-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *=*) break ;;
    *) echo "thread_speedup: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { usage >&2; exit 2; }
for tb in "$@"; do
  [ -x "${tb#*=}" ] || { echo "thread_speedup: ${tb#*=} is not an executable" >&2; exit 2; }
done
mkdir -p "$out"
log="$out/runs.txt"
: > "$log"
for r in $(seq "$reps"); do
  for tb in "$@"; do
    tag=${tb%%=*}; bin=${tb#*=}
    for job in cartpole hopper; do
      if [ $job = cartpole ]; then job_args=(--set budget.generations=150)
      else job_args=(--set task.name=Hopper-v5 --set budget.generations=40); fi
      for t in 1 2; do
        dir="$out/$tag-$job-$t-rep$r"
        "$bin" train --quiet "${job_args[@]}" --set budget.env_steps=0 --set eval.episodes=1 --threads $t --out "$dir"
        secs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['train_seconds'])" "$dir/summary.json")
        echo "$tag $job $t $secs" | tee -a "$log"
        rm -rf "$dir"
      done
    done
  done
done
python3 - "$log" <<'PY'
import collections, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    tag, job, threads, secs = line.split()
    runs[(tag, job, threads)].append(float(secs))
print("| binary | job | 1 thread (s, fastest) | 2 threads (s, fastest) | speed-up | all runs, 1 / 2 threads |")
print("|---|---|---|---|---|---|")
for tag in dict.fromkeys(k[0] for k in runs):
    for job in ("cartpole", "hopper"):
        one, two = runs[(tag, job, "1")], runs[(tag, job, "2")]
        print(f"| {tag} | {job} | {min(one):.2f} | {min(two):.2f} | {min(one) / min(two):.3f}x | "
              f"{', '.join(f'{x:.2f}' for x in one)} / {', '.join(f'{x:.2f}' for x in two)} |")
PY
