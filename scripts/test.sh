#!/usr/bin/env bash
# README command (2): set up a fresh Debian 12 machine, build, and run every test:
#   1. the unit, CLI and man-page tests (CTest) in a normal build;
#   2. the same tests under AddressSanitizer and UndefinedBehaviorSanitizer (clang);
#   3. the fuzzers for a bounded time: the contract fuzzer, seeded from contracts/ and the test
#      fixtures, then the webhook form fuzzer, seeded from fuzz/seeds/form.
# FUZZ_SECONDS (default 60) bounds step 3 as a whole, split evenly between the fuzzers;
# SKIP_SANITIZERS=1 or SKIP_FUZZ=1 skip steps 2 and 3.
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
  fuzz_total=${FUZZ_SECONDS:-60}
  fuzz_contract=$((fuzz_total / 2))
  fuzz_form=$((fuzz_total - fuzz_contract))
  ((fuzz_contract > 0)) || fuzz_contract=1
  ((fuzz_form > 0)) || fuzz_form=1
  echo "== fuzz the contract parser (${fuzz_contract} s) and the webhook form decoder (${fuzz_form} s) (libFuzzer)"
  CXX=clang++-14 BUILD_DIR=build-fuzz bash scripts/build.sh -DBUILD_TESTING=OFF -DVOICEOPS_FUZZ=ON \
    -DVOICEOPS_BUILD_DAEMON=OFF
  corpus=build-fuzz/corpus
  mkdir -p "$corpus"
  find contracts tests/contracts -name '*.toml' -exec cp {} "$corpus/" \;
  build-fuzz/fuzz/contract_fuzzer -max_total_time="$fuzz_contract" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" 2>&1 | tail -n 20
  form_corpus=build-fuzz/corpus-form
  mkdir -p "$form_corpus"
  cp fuzz/seeds/form/* "$form_corpus/"
  build-fuzz/fuzz/form_fuzzer -max_total_time="$fuzz_form" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$form_corpus" 2>&1 | tail -n 20
  echo "fuzz: no crash in ${fuzz_total} s"
fi
