#!/bin/sh
# The first validation of branch trustpace's rule: 30 seeds, all nulls, on one core (taskset:
# validate starts one worker per usable core), one scenario after another.
#   sh experiments/results/trustpace/run_validation.sh   (OUT=validation2 for the second run, after ddd6749)
cd "$(dirname "$0")/../../.." || exit 2
for s in seoul_pyongyang map tuzla croatia_twinnings; do
  echo "$s start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  PYTHONPATH=$PWD taskset -c 0 /work/main/.venv/bin/citypeace validate scenario=$s seeds=30 \
    out=experiments/results/trustpace/${OUT:-validation}/$s --quiet
  echo "$s exit $? end $(date -u +%H:%M:%S)"
done
