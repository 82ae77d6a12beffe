#pragma once
// voiceops.toml's [odoo] as the Odoo client's settings and the export's policy: one reading for
// the daemon's export worker and `voiceops export odoo`.
#include "base/result.hpp"
#include "config/config.hpp"
#include "connectors/odoo/odoo_client.hpp"
#include "ops/odoo_export.hpp"

namespace voiceops::ops {

// The client's settings with the API key read ([odoo] api_key_file, else $ODOO_API_KEY); a
// config error (78) when [odoo] url is not set or the key cannot be had.
Result<connectors::odoo::Settings, connectors::odoo::Error> odoo_settings(
    const config::Config& config, const config::Environment& environment);

ExportPolicy export_policy(const config::OdooConfig& odoo);

}  // namespace voiceops::ops
