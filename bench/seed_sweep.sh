#!/usr/bin/env bash
# Trains one config for several seeds and prints a Markdown table of the
# results (evaluation mean and std on held-out episodes, training env steps,
# wall time), plus how many seeds reached a threshold.
#
#   bench/seed_sweep.sh [--seeds 1..10] [--threshold 475] [--out DIR] [-- TRAIN_ARGS...]
# e.g. bench/seed_sweep.sh --seeds 1..10 -- --set model.kind=snn
set -euo pipefail
seeds="1..10"; threshold=475; out="runs/sweep-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --threshold) threshold=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin=${NEUREVO_BIN:-build/neurevo}
first=${seeds%..*}; last=${seeds#*..}
mkdir -p "$out"
echo "| seed | eval mean | eval std | best train fitness | train env steps | generations | wall s |"
echo "|---|---|---|---|---|---|---|"
reached=0; total=0
for s in $(seq "$first" "$last"); do
  "$bin" train --quiet --seed "$s" --out "$out/seed$s" "$@" >/dev/null
  python3 - "$out/seed$s/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"| {s['seed']} | {s['eval_mean']:.1f} | {s['eval_std']:.1f} | {s['best_fitness']:.1f} | "
      f"{s['env_steps']} | {s['generations']} | {s['wall_seconds']:.0f} |")
PY
  total=$((total + 1))
  if python3 -c "import json,sys; sys.exit(0 if json.load(open('$out/seed$s/summary.json'))['eval_mean'] >= $threshold else 1)"; then
    reached=$((reached + 1))
  fi
done
echo
echo "$reached of $total seeds reached an evaluation mean >= $threshold ($out)"
