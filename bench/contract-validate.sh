#!/usr/bin/env bash
# How long `voiceops contract validate` takes next to a bare process start (/bin/true), measured
# in the same run, interleaved. Shell completion and scripts call the CLI in loops; the aim is the
# whole command in 5 ms or less, i.e. a small multiple of a process start.
#   bench/contract-validate.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
bash scripts/build.sh >/dev/null
cli=build/cli/voiceops
build/bench/process_start_ratio --runs "$runs" --baseline /bin/true \
  -- "$cli" version \
  -- "$cli" contract validate contracts/after-hours-service.toml \
  -- "$cli" contract validate contracts/missed-call-booking.toml \
  -- "$cli" contract validate contracts/ops-line.toml
