#!/usr/bin/env bash
# Configures and builds voiceops into build/ (ccache when present, Ninja, two jobs).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
# BUILD_TARGETS (optional, space-separated) builds only those targets.
cmake --build "$build_dir" -j "${JOBS:-2}" ${BUILD_TARGETS:+--target $BUILD_TARGETS}
