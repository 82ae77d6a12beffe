#pragma once
// What `voiceops daemon` and `voiceops calls` share: find the control socket through the
// configuration, send one request, and hand back the daemon's JSON answer or an exit status.
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "base/exit_status.hpp"
#include "base/result.hpp"
#include "cli/context.hpp"
#include "config/config.hpp"
#include "control/requests.hpp"

namespace voiceops::cli {

// The configuration (--config, $VOICEOPS_CONFIG, the default); on failure its diagnostics are
// printed and the error is 78.
Result<config::Config, ExitStatus> load_cli_config(const Context& context);

// Prints why on stderr when it fails; the error is the exit status to use.
Result<nlohmann::json, ExitStatus> ask_daemon(
    const Context& context, const control::Request& request,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));

void complain(const std::string& message, const std::string& hint = {});

}  // namespace voiceops::cli
