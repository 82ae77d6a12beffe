#!/usr/bin/env bash
# The sample voiceops.toml that is installed stays true: with its paths pointed at a scratch
# folder, voiceopsd --check-config accepts it as shipped, and with its [odoo] block uncommented.
#   sample_config_test.sh SOURCE_DIR VOICEOPSD
set -euo pipefail
source_dir=$1
daemon=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
install -m 0600 /dev/null "$work/token"
echo test-token > "$work/token"
install -m 0600 /dev/null "$work/odoo-key"
echo test-key > "$work/odoo-key"
install -m 0600 /dev/null "$work/mailgun-key"
echo key-test > "$work/mailgun-key"

sed -e "s|/run/credentials/voiceopsd.service/twilio-token|$work/token|" \
    -e "s|/run/credentials/voiceopsd.service/odoo-key|$work/odoo-key|" \
    -e "s|/run/credentials/voiceopsd.service/mailgun-key|$work/mailgun-key|" \
    -e "s|/etc/voiceops/contracts/\*.toml|$source_dir/contracts/*.toml|" \
    -e "s|/var/lib/voiceops/voiceops.db|$work/voiceops.db|" \
    -e "s|/run/voiceops/control.sock|$work/control.sock|" \
    "$source_dir/daemon/voiceops.toml.sample" > "$work/as-shipped.toml"
"$daemon" --config "$work/as-shipped.toml" --check-config

# The commented [odoo] block, uncommented, is a valid one too.
sed -e '/^# \[odoo\]/,$ s|^# ||' "$work/as-shipped.toml" > "$work/with-odoo.toml"
grep -q '^\[odoo\]' "$work/with-odoo.toml"
grep -q '^url = ' "$work/with-odoo.toml"
"$daemon" --config "$work/with-odoo.toml" --check-config
# Texts and email: the account SID, a sender, and the [email] and [messages] blocks.
sed -e 's|^# \(account_sid = \)|\1|' -e 's|^# \(sms_from = \)|\1|' \
    -e '/^# \[email\]/,/^# retry_max_s/ s|^# ||' "$work/as-shipped.toml" > "$work/with-messages.toml"
grep -q '^account_sid = ' "$work/with-messages.toml"
grep -q '^\[email\]' "$work/with-messages.toml"
grep -q '^\[messages\]' "$work/with-messages.toml"
"$daemon" --config "$work/with-messages.toml" --check-config
echo "sample voiceops.toml: valid as shipped, with [odoo], and with texts and email"
