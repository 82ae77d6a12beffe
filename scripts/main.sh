#!/usr/bin/env bash
# README command (1): set up a fresh Debian 12 machine, build, and run the main job: validate the
# shipped contracts strictly and run their five-call test packs, as a user's CI job would, writing
# JUnit XML to build/testcalls.xml and the transcript pack under build/transcripts/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
bash scripts/build.sh -DBUILD_TESTING=OFF
voiceops=build/cli/voiceops

echo "== voiceops contract validate --strict contracts/*.toml"
"$voiceops" contract validate --strict contracts/*.toml
echo
echo "== voiceops testcalls run testcalls/*/"
"$voiceops" testcalls run --junit build/testcalls.xml --transcripts build/transcripts testcalls/*/
echo
echo "JUnit XML: build/testcalls.xml; transcripts: build/transcripts/"
