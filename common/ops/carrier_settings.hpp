#pragma once
// voiceops.toml's [twilio] as the carrier REST client's settings, and what a REST failure means
// to an operator: one reading for `voiceops twilio check-number` and the texts voiceopsd sends.
#include <string>

#include "base/exit_status.hpp"
#include "base/result.hpp"
#include "config/config.hpp"
#include "connectors/twilio/rest_client.hpp"

namespace voiceops::ops {

// The client's settings with the secret read: the API key's secret when [twilio] api_key_sid is
// set, else the auth token (each from its file or the environment). A config error naming the
// missing key when [twilio] account_sid is not set or the secret cannot be had.
Result<connectors::twilio::RestSettings, connectors::twilio::Error> twilio_rest_settings(
    const config::Config& config, const config::Environment& environment);

// voiceops(1)'s exit statuses: 78 incomplete settings, 77 credentials refused, 65 a request the
// carrier refused, 69 a carrier that cannot be reached or does not answer as itself.
ExitStatus rest_exit_status(const connectors::twilio::Error& error);

// What to do about it, one line.
std::string rest_hint(const connectors::twilio::Error& error);

}  // namespace voiceops::ops
