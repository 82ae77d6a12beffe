#!/usr/bin/env bash
# README command (2): set up a fresh Debian 12 machine, build, and run every test:
#   1. the unit, CLI and man-page tests (CTest) in a normal build;
#   2. the same tests under AddressSanitizer and UndefinedBehaviorSanitizer (clang);
#   3. the contract fuzzer for a bounded time, seeded from contracts/ and the test fixtures.
# FUZZ_SECONDS (default 60) bounds step 3; SKIP_SANITIZERS=1 or SKIP_FUZZ=1 skip steps 2 and 3.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh

echo "== build and test (gcc)"
bash scripts/build.sh -DBUILD_TESTING=ON
ctest --test-dir build --output-on-failure -j 2

if [[ ${SKIP_SANITIZERS:-0} != 1 ]]; then
  echo "== build and test under ASan + UBSan (clang)"
  CXX=clang++-14 BUILD_DIR=build-asan bash scripts/build.sh -DBUILD_TESTING=ON -DVOICEOPS_SANITIZE=ON \
    -DVOICEOPS_BUILD_DAEMON=OFF
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j 2
fi

if [[ ${SKIP_FUZZ:-0} != 1 ]]; then
  echo "== fuzz the contract parser and validator for ${FUZZ_SECONDS:-60} s (libFuzzer)"
  CXX=clang++-14 BUILD_DIR=build-fuzz bash scripts/build.sh -DBUILD_TESTING=OFF -DVOICEOPS_FUZZ=ON \
    -DVOICEOPS_BUILD_DAEMON=OFF
  corpus=build-fuzz/corpus
  mkdir -p "$corpus"
  find contracts tests/contracts -name '*.toml' -exec cp {} "$corpus/" \;
  build-fuzz/fuzz/contract_fuzzer -max_total_time="${FUZZ_SECONDS:-60}" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" 2>&1 | tail -n 20
  echo "fuzz: no crash in ${FUZZ_SECONDS:-60} s"
fi
