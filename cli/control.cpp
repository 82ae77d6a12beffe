#include "cli/control.hpp"

#include <cstdio>

#include "cli/diagnostic_printer.hpp"
#include "cli/terminal.hpp"
#include "config/config.hpp"
#include "control/client.hpp"

namespace voiceops::cli {

void complain(const std::string& message, const std::string& hint) {
  std::fprintf(stderr, "voiceops: %s\n", message.c_str());
  if (!hint.empty()) std::fprintf(stderr, "    hint: %s\n", hint.c_str());
}

Result<config::Config, ExitStatus> load_cli_config(const Context& context) {
  const auto environment = config::process_environment();
  auto loaded = config::load_config(config::locate_config(context.config_file, environment));
  if (!loaded) {
    print_diagnostics(loaded.error(), Style{color_enabled(stderr, context.no_color)}, stderr);
    complain("bad configuration in " + loaded.error().file() + "; see voiceops.toml(5)");
    return unexpected(ExitStatus::config);
  }
  return std::move(*loaded);
}

Result<nlohmann::json, ExitStatus> ask_daemon(const Context& context,
                                              const control::Request& request,
                                              std::chrono::milliseconds timeout) {
  auto loaded = load_cli_config(context);
  if (!loaded) return unexpected(loaded.error());
  auto answer =
      control::send_request(loaded->server.control_socket, control::encode(request), timeout);
  if (!answer) {
    complain(answer.error().message, answer.error().hint);
    return unexpected(answer.error().status);
  }
  auto parsed = nlohmann::json::parse(*answer, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    complain("voiceopsd sent an answer that is not JSON; is another program on " +
             loaded->server.control_socket + "?");
    return unexpected(ExitStatus::unavailable);
  }
  return parsed;
}

}  // namespace voiceops::cli
