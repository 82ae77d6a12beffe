#!/usr/bin/env bash
# The shipped unit, sysusers and tmpfiles entries, checked with systemd's own tools (they work
# without a running systemd): `systemd-analyze verify` must be silent, `systemd-analyze security`
# must score the unit 2.0 or lower, and the user and folders must come out as documented.
#   systemd_unit_test.sh SOURCE_DIR VOICEOPSD VOICEOPS
set -euo pipefail
source_dir=$1 voiceopsd=$2 voiceops=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sed -e "s#@VOICEOPSD@#$voiceopsd#" -e "s#@VOICEOPS@#$voiceops#" \
  "$source_dir/daemon/systemd/voiceopsd.service.in" >"$work/voiceopsd.service"
# Documentation=man:... is checked against the man pages this tree ships.
mkdir -p "$work/man/man8" "$work/man/man5"
cp "$source_dir/man/voiceopsd.8" "$work/man/man8/"
cp "$source_dir/man/voiceops.toml.5" "$work/man/man5/"

out=$(MANPATH="$work/man" systemd-analyze verify "$work/voiceopsd.service" 2>&1) || {
  echo "systemd-analyze verify failed:"; echo "$out"; exit 1; }
if [[ -n $out ]]; then echo "systemd-analyze verify complained:"; echo "$out"; exit 1; fi

security=$(systemd-analyze security --offline=yes "$work/voiceopsd.service" 2>&1)
score=$(sed -n 's/.*Overall exposure level for voiceopsd.service: \([0-9.]*\).*/\1/p' <<<"$security")
if [[ -z $score ]]; then echo "no exposure score in:"; echo "$security"; exit 1; fi
if ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
  echo "exposure $score is above 2.0:"; grep '✗' <<<"$security"; exit 1
fi
echo "exposure level $score"

mkdir -p "$work/root/etc"
systemd-sysusers --root="$work/root" "$source_dir/daemon/systemd/voiceops.sysusers"
grep -q '^voiceops:' "$work/root/etc/passwd" || { echo "sysusers made no voiceops user"; exit 1; }
grep -q '^voiceops:' "$work/root/etc/group" || { echo "sysusers made no voiceops group"; exit 1; }
systemd-tmpfiles --root="$work/root" --create "$source_dir/daemon/systemd/voiceops.tmpfiles"
[[ $(stat -c %a "$work/root/etc/voiceops/contracts") == 750 ]] || { echo "contracts folder mode"; exit 1; }
[[ $(stat -c %a "$work/root/etc/voiceops/credentials") == 700 ]] || { echo "credentials folder mode"; exit 1; }
echo "unit, sysusers and tmpfiles OK"
