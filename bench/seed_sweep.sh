#!/usr/bin/env bash
# Trains one config for several seeds and prints a Markdown table of the
# results (evaluation mean and std on held-out episodes, training env steps,
# wall time), plus how many seeds reached a threshold: by default the task's
# own (Gymnasium's reward_threshold, summary.json's reward_threshold; e.g.
# CartPole-v1 475, Hopper-v5 3800; Pendulum-v1 and Walker2d-v5 have none,
# give --threshold for them).
#
#   bench/seed_sweep.sh [--seeds 1..10] [--threshold X] [--out DIR] [-- TRAIN_ARGS...]
# e.g. bench/seed_sweep.sh --seeds 1..10 -- --set model.kind=snn
#
# Needs the neurevo binary: $NEUREVO_BIN, else build/neurevo (./dev build).
set -euo pipefail
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
seeds="1..10"; threshold=""; out="runs/sweep-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --threshold) threshold=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) echo "seed_sweep: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
bin=${NEUREVO_BIN:-build/neurevo}
if [ ! -x "$bin" ]; then
  echo "seed_sweep: no neurevo binary at $bin; build it (./dev build) or set NEUREVO_BIN" >&2
  exit 2
fi
first=${seeds%..*}; last=${seeds#*..}
mkdir -p "$out"
echo "| seed | eval mean | eval std | best training fitness | train env steps | generations | wall s |"
echo "|---|---|---|---|---|---|---|"
reached=0; total=0; used=""
for s in $(seq "$first" "$last"); do
  "$bin" train --quiet --seed "$s" --out "$out/seed$s" "$@" >/dev/null
  # Prints the table row; exits 0 when the evaluation mean reached the
  # threshold (--threshold, else the task's), 1 when not, 3 when there is none.
  set +e
  python3 - "$out/seed$s/summary.json" "$threshold" "$out/threshold" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
def num(x, digits=1):
    return "–" if x is None else f"{x:.{digits}f}"
print(f"| {s['seed']} | {num(s['eval_mean'])} | {num(s['eval_std'])} | {num(s['best_training_fitness'])} | "
      f"{s['env_steps']} | {s['generations']} | {s['wall_seconds']:.0f} |")
threshold = float(sys.argv[2]) if sys.argv[2] else s.get("reward_threshold")
if threshold is None:
    sys.exit(3)
open(sys.argv[3], "w").write(f"{threshold:g}")
sys.exit(0 if s["eval_mean"] is not None and s["eval_mean"] >= threshold else 1)
PY
  status=$?
  set -e
  total=$((total + 1))
  case $status in
    0) reached=$((reached + 1)) ;;
    1|3) ;;
    *) exit "$status" ;;
  esac
done
echo
if [ -f "$out/threshold" ]; then
  echo "$reached of $total seeds reached an evaluation mean >= $(cat "$out/threshold") ($out)"
else
  echo "the task has no reward threshold; pass --threshold X to count seeds that reach X ($out)"
fi
