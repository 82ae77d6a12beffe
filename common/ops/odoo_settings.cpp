#include "ops/odoo_settings.hpp"

namespace voiceops::ops {

using connectors::odoo::Error;
using connectors::odoo::ErrorKind;

Result<connectors::odoo::Settings, Error> odoo_settings(const config::Config& config,
                                                        const config::Environment& environment) {
  const config::OdooConfig& odoo = config.odoo;
  const std::string where = config.file.empty() ? std::string("voiceops.toml") : config.file;
  if (odoo.url.empty()) {
    return unexpected(Error{ErrorKind::config,
                            where + ": [odoo] url is not set: Odoo is not configured",
                            {},
                            {},
                            0,
                            false});
  }
  auto key = config::odoo_api_key(config, environment);
  if (!key) {
    return unexpected(Error{
        ErrorKind::config, key.error().message + " (" + key.error().hint + ")", {}, {}, 0, false});
  }
  connectors::odoo::Settings settings;
  settings.url = odoo.url;
  settings.database = odoo.database;
  settings.user = odoo.user;
  settings.api_key = std::move(*key);
  settings.protocol = odoo.protocol;
  settings.http.connect_timeout = std::chrono::milliseconds(odoo.connect_timeout_ms);
  settings.http.total_timeout = std::chrono::milliseconds(odoo.timeout_ms);
  settings.http.ca_file = odoo.ca_file;
  settings.http.max_body_bytes = 32 * 1024 * 1024;
  return settings;
}

ExportPolicy export_policy(const config::OdooConfig& odoo) {
  ExportPolicy policy;
  policy.batch_size = odoo.batch_size;
  policy.max_attempts = odoo.max_attempts;
  policy.first_delay = std::chrono::seconds(odoo.retry_first_s);
  policy.max_delay = std::chrono::seconds(std::max(odoo.retry_first_s, odoo.retry_max_s));
  return policy;
}

}  // namespace voiceops::ops
