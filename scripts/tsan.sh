#!/usr/bin/env bash
# ThreadSanitizer over the concurrent parts: the store's writer thread and group commit (the store
# tests), and the daemon's event loop, per-call ordering, commit callbacks and store faults (the
# daemon, robustness and --target integration tests against a TSan-built voiceopsd). Not part of scripts/test.sh: its
# cold build (Beast under clang) would push CI past its time budget. Run it after changing threads.
#   bash scripts/tsan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh >/dev/null
CXX=clang++-14 CC=clang-14 BUILD_DIR=build-tsan BUILD_TARGETS="store_tests voiceopsd voiceops" \
  bash scripts/build.sh -DBUILD_TESTING=ON -DVOICEOPS_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
export TSAN_OPTIONS="halt_on_error=0 log_path=$reports/tsan"
build-tsan/tests/store_tests
/usr/bin/python3 tests/daemon/daemon_test.py build-tsan/daemon/voiceopsd build-tsan/cli/voiceops "$PWD"
/usr/bin/python3 tests/daemon/robustness_test.py build-tsan/daemon/voiceopsd build-tsan/cli/voiceops "$PWD"
/usr/bin/python3 tests/testcalls/target_test.py --cli build-tsan/cli/voiceops \
  --daemon build-tsan/daemon/voiceopsd
if compgen -G "$reports/tsan*" >/dev/null; then
  cat "$reports"/tsan* >&2
  echo "tsan: data races reported (above)" >&2
  exit 1
fi
echo "tsan: no data race reported"
