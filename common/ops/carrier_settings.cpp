#include "ops/carrier_settings.hpp"

#include <algorithm>

namespace voiceops::ops {

using connectors::twilio::config_error;
using connectors::twilio::Error;
using connectors::twilio::ErrorKind;

Result<connectors::twilio::RestSettings, Error> twilio_rest_settings(
    const config::Config& config, const config::Environment& environment) {
  const config::TwilioConfig& twilio = config.twilio;
  const std::string where = config.file.empty() ? std::string("voiceops.toml") : config.file;
  if (twilio.account_sid.empty()) {
    return unexpected(config_error(where +
                                   ": [twilio] account_sid is not set: the carrier's REST API is "
                                   "not configured (the account SID is on the console's account "
                                   "page, AC followed by 32 hex digits)"));
  }
  auto secret = config::twilio_rest_secret(config, environment);
  if (!secret) {
    return unexpected(
        config_error(secret.error().message +
                     (secret.error().hint.empty() ? "" : " (" + secret.error().hint + ")")));
  }
  connectors::twilio::RestSettings settings;
  settings.api_url = twilio.api_url;
  settings.account_sid = twilio.account_sid;
  settings.key_sid = twilio.api_key_sid;
  settings.secret = std::move(*secret);
  settings.timeout = std::chrono::milliseconds(twilio.timeout_ms);
  settings.connect_timeout = std::min(settings.connect_timeout, settings.timeout);
  return settings;
}

ExitStatus rest_exit_status(const Error& error) {
  switch (error.kind) {
    case ErrorKind::config: return ExitStatus::config;
    case ErrorKind::auth: return ExitStatus::permission;
    case ErrorKind::rejected: return ExitStatus::data_error;
    case ErrorKind::rate_limited:
    case ErrorKind::server:
    case ErrorKind::unreachable:
    case ErrorKind::timeout:
    case ErrorKind::malformed: return ExitStatus::unavailable;
  }
  return ExitStatus::unavailable;
}

std::string rest_hint(const Error& error) {
  switch (error.kind) {
    case ErrorKind::config:
      return "set [twilio] account_sid, and the auth token in [twilio] auth_token_file or "
             "$TWILIO_AUTH_TOKEN (or api_key_sid and its secret); see voiceops.toml(5)";
    case ErrorKind::auth:
      return "check [twilio] account_sid and the auth token (console: Account > API keys & "
             "tokens), or api_key_sid and the key's secret; a rotated token must be replaced "
             "here too";
    case ErrorKind::rejected:
      return error.more_info.empty() ? "the carrier refused the request; the message says why"
                                     : "the carrier refused the request: see " + error.more_info;
    case ErrorKind::rate_limited:
      return "the carrier asks to slow down; try again " +
             (error.retry_after_s ? "in " + std::to_string(*error.retry_after_s) + " s"
                                  : std::string("in a minute"));
    case ErrorKind::server:
      return "the carrier failed on its side; try again, and see status.twilio.com";
    case ErrorKind::unreachable:
      return "check [twilio] api_url (default https://api.twilio.com), the network, DNS and "
             "any proxy between this machine and the carrier";
    case ErrorKind::timeout:
      return "the carrier did not answer in time; raise [twilio] timeout_ms if it is only slow";
    case ErrorKind::malformed:
      return "the answer was not the carrier's JSON: check that [twilio] api_url is the "
             "carrier's API and not a proxy's page";
  }
  return {};
}

}  // namespace voiceops::ops
