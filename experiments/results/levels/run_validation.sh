#!/bin/sh
# The first validation of branch levels' rule: 30 seeds, all nulls, on one core (taskset:
# validate starts one worker per usable core), one scenario after another.
#   sh experiments/results/levels/run_validation.sh
cd "$(dirname "$0")/../../.." || exit 2
for s in croatia_twinnings map tuzla seoul_pyongyang; do
  echo "$s start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  PYTHONPATH=$PWD taskset -c 0 /work/main/.venv/bin/citypeace validate scenario=$s seeds=30 \
    out=experiments/results/levels/validation/$s --quiet
  echo "$s exit $? end $(date -u +%H:%M:%S)"
done
