#!/usr/bin/env bash
# Regenerates completions/ from the built CLI's own command tree.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/cli/voiceops}
"$cli" completion bash > completions/voiceops.bash
"$cli" completion zsh > completions/_voiceops
"$cli" completion fish > completions/voiceops.fish
echo "completions regenerated from $cli"
