#!/usr/bin/env bash
# Simulated call time of every shipped pack against the engine's wall time, as a ratio, and the
# engine's time per webhook (percentiles).   bench/testcalls-speed.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
build/bench/testcalls_speed "${1:-50}" testcalls/*/
