#!/usr/bin/env bash
# voiceopsd's webhook path under wrk (real signature checks and store writes) against nginx
# serving a static file of the same size, as a ratio; then memory per call in progress.
#   bench/daemon-load.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/voiceops-build.lock bash scripts/build.sh >/dev/null
/usr/bin/python3 bench/daemon_load.py build/daemon/voiceopsd "${1:-8}"
