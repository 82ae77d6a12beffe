// voiceops daemon status|reload: ask the running voiceopsd over its control socket.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/control.hpp"

namespace voiceops::cli {
namespace {

using nlohmann::json;

std::string duration_text(long long seconds) {
  if (seconds < 120) return fmt::format("{}s", seconds);
  if (seconds < 7200) return fmt::format("{}m", seconds / 60);
  if (seconds < 172800) return fmt::format("{}h {}m", seconds / 3600, seconds / 60 % 60);
  return fmt::format("{}d {}h", seconds / 86400, seconds / 3600 % 24);
}

ExitStatus run_status(const Context& context, const std::string& format) {
  auto answer = ask_daemon(context, control::StatusRequest{}, std::chrono::seconds(10));
  if (!answer) return answer.error();
  const json& s = *answer;
  if (format == "json") {
    std::printf("%s\n", s.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return ExitStatus::ok;
  }
  std::string contracts;
  for (const auto& id : s.value("contracts", json::array()))
    contracts += (contracts.empty() ? "" : ", ") + id.get<std::string>();
  const json queue = s.value("export_queue", json::object());
  std::printf("voiceopsd %s, pid %ld, up %s\n", s.value("version", "?").c_str(), s.value("pid", 0L),
              duration_text(s.value("uptime_s", 0LL)).c_str());
  std::printf("listening      %s\n", s.value("listen", "?").c_str());
  std::printf("store          %s\n", s.value("store", "?").c_str());
  std::printf("contracts      %zu (%s)\n", s.value("contracts", json::array()).size(),
              contracts.c_str());
  std::printf("active calls   %d\n", s.value("active_calls", 0));
  std::printf("export queue   %d pending, %d dead\n", queue.value("pending", 0),
              queue.value("dead", 0));
  const json odoo = s.value("odoo", json());
  if (!odoo.is_object()) {
    std::printf("odoo           not configured\n");
  } else {
    const std::string state = odoo.value("state", "?");
    std::string protocol = odoo.value("protocol", "");
    std::printf("odoo           %s, %s (%s)%s\n", state.c_str(), odoo.value("url", "?").c_str(),
                protocol.empty() ? "protocol not known yet" : protocol.c_str(),
                odoo.contains("oldest_pending_age_s")
                    ? (", oldest call waiting " +
                       std::to_string(odoo.value("oldest_pending_age_s", 0L)) + " s")
                          .c_str()
                    : "");
    if (odoo.contains("last_error"))
      std::printf("odoo error     %s\n", odoo.value("last_error", "").c_str());
    std::string waiting;
    for (const auto& w : odoo.value("workflows_affected", json::array()))
      if (w.is_string()) waiting += (waiting.empty() ? "" : ", ") + w.get<std::string>();
    if (!waiting.empty()) std::printf("records wait   %s\n", waiting.c_str());
  }
  const json messages = s.value("messages", json());
  if (messages.is_object()) {
    std::printf("texts          %s: %llu sent, %llu failed, %llu suppressed\n",
                messages.value("texts", "?").c_str(), messages.value("texts_sent", 0ULL),
                messages.value("texts_failed", 0ULL), messages.value("texts_suppressed", 0ULL));
    std::printf("email          %s: %llu sent, %llu failed\n", messages.value("email", "?").c_str(),
                messages.value("emails_sent", 0ULL), messages.value("emails_failed", 0ULL));
    std::printf("messages       %d pending, %d dead%s\n", messages.value("pending", 0),
                messages.value("dead", 0),
                messages.value("dead", 0) > 0 ? " (voiceops messages list --state dead)" : "");
    if (messages.contains("last_error"))
      std::printf("messages error %s\n", messages.value("last_error", "").c_str());
  }
  if (!s.value("signature_validation", true))
    std::printf("warning        signature validation is OFF\n");
  if (s.value("scripted_integrations", false))
    std::printf("warning        scripted integrations are on (staging only)\n");
  return ExitStatus::ok;
}

ExitStatus run_reload(const Context& context, bool wait) {
  auto answer = ask_daemon(context, control::ReloadRequest{wait}, std::chrono::seconds(90));
  if (!answer) return answer.error();
  const json& r = *answer;
  if (r.value("queued", false)) {
    std::printf("reload requested; `voiceops daemon reload --wait` waits for the result\n");
    return ExitStatus::ok;
  }
  if (r.value("ok", false)) {
    std::printf("reloaded: %d contract(s) in service\n", r.value("contracts", 0));
    return ExitStatus::ok;
  }
  for (const auto& line : r.value("errors", json::array()))
    std::fprintf(stderr, "%s\n", line.get<std::string>().c_str());
  complain("reload refused: the contracts in service stay as they were",
           "fix the files above, check them with voiceops contract validate, then reload again");
  return ExitStatus::config;
}

}  // namespace

void add_daemon_commands(CLI::App& app, Context& context) {
  auto* daemon =
      app.add_subcommand("daemon", "Ask the running voiceopsd (over its control socket)");
  daemon->require_subcommand(1);

  auto format = std::make_shared<std::string>("text");
  auto* status = daemon->add_subcommand(
      "status", "Version, uptime, contracts loaded, active calls, export queue depth");
  status->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
  status->callback([&context, format] {
    context.action = [&context, format] { return run_status(context, *format); };
  });

  auto wait = std::make_shared<bool>(false);
  auto* reload = daemon->add_subcommand(
      "reload",
      "Validate the configured contracts, then swap them in (the old ones stay on error)");
  reload->add_flag("--wait", *wait,
                   "Wait for the result: exit 0 when swapped in, 78 with the errors when refused");
  reload->callback([&context, wait] {
    context.action = [&context, wait] { return run_reload(context, *wait); };
  });
}

}  // namespace voiceops::cli
