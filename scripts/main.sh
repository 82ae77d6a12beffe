#!/usr/bin/env bash
# README command (1): set up a fresh Debian 12 machine, build, and run the main job.
# Until the test-pack runner lands, the main job validates every shipped contract (strictly, as a
# CI job would) and shows each one as an operator would read it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
bash scripts/build.sh -DBUILD_TESTING=OFF
voiceops=build/cli/voiceops

echo "== voiceops contract validate --strict contracts/*.toml"
"$voiceops" contract validate --strict contracts/*.toml
for contract in contracts/after-hours-service.toml contracts/missed-call-booking.toml contracts/ops-line.toml; do
  echo
  echo "== voiceops contract show $contract"
  "$voiceops" contract show "$contract"
done
