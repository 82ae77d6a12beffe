// voiceops messages status|list|retry|suppressed|unsuppress: the texts and emails voiceopsd
// sends staff, read and repaired in the store directly (the daemon need not run): what waits,
// what was given up on and why, and the numbers that opted out.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/mask.hpp"
#include "base/time_spec.hpp"
#include "cli/commands.hpp"
#include "cli/control.hpp"
#include "store/message_queue.hpp"

namespace voiceops::cli {
namespace {

using nlohmann::json;

struct MessagesOptions {
  std::string format = "text";
  std::vector<std::string> states;
  int limit = 50;
  std::vector<std::int64_t> ids;
  std::string recipient;
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::unique_ptr<store::MessageStore>, ExitStatus> open_messages(const Context& context) {
  auto config = load_cli_config(context);
  if (!config) return unexpected(config.error());
  auto store = store::MessageStore::open(config->store.path);
  if (!store) {
    complain(store.error().message,
             "check [store] path; run as the daemon's user (or in its group), or with sudo");
    return unexpected(ExitStatus::io_error);
  }
  return std::move(*store);
}

ExitStatus store_failed(const std::string& error) {
  complain("reading the store: " + error);
  return ExitStatus::io_error;
}

std::string or_dash(const std::optional<std::string>& text) {
  return text && !text->empty() ? *text : "-";
}

ExitStatus run_status(const Context& context, const MessagesOptions& options) {
  auto store = open_messages(context);
  if (!store) return store.error();
  const std::int64_t now = unix_now();
  auto status = store::message_sql::status((*store)->db(), now);
  if (!status) return store_failed(status.error());
  const auto& s = *status;
  if (options.format == "json") {
    json j = {{"pending", s.pending},
              {"due", s.due},
              {"sent", s.sent},
              {"dead", s.dead},
              {"suppressed", s.suppressed},
              {"unrouted", s.unrouted},
              {"undelivered", s.undelivered},
              {"suppressed_recipients", s.suppressed_recipients}};
    j["oldest_pending_age_s"] =
        s.oldest_pending_at ? json(now - *s.oldest_pending_at) : json(nullptr);
    std::printf("%s\n", j.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return ExitStatus::ok;
  }
  std::printf("pending:      %d (%d due now)%s\n", s.pending, s.due,
              s.oldest_pending_at
                  ? fmt::format(", the oldest {} s old", now - *s.oldest_pending_at).c_str()
                  : "");
  std::printf("sent:         %d (%d reported undelivered by the carrier)\n", s.sent, s.undelivered);
  std::printf("dead:         %d%s\n", s.dead,
              s.dead ? " (voiceops messages list --state dead; voiceops messages retry)" : "");
  std::printf("suppressed:   %d, to %d number(s) that opted out%s\n", s.suppressed,
              s.suppressed_recipients,
              s.suppressed_recipients ? " (voiceops messages suppressed)" : "");
  std::printf("unrouted:     %d%s\n", s.unrouted,
              s.unrouted ? " (no [twilio] account_sid or [email] set up for their kind)" : "");
  return s.dead > 0 ? ExitStatus::check_failed : ExitStatus::ok;
}

ExitStatus run_list(const Context& context, const MessagesOptions& options) {
  auto store = open_messages(context);
  if (!store) return store.error();
  auto items = store::message_sql::list((*store)->db(), options.states, options.limit);
  if (!items) {
    complain(items.error(), "the states are pending, sent, dead, suppressed and unrouted");
    return ExitStatus::usage;
  }
  if (options.format == "json") {
    for (const auto& m : *items) {
      json j = {{"id", m.id},
                {"call", m.call_id},
                {"purpose", m.purpose},
                {"kind", m.kind},
                {"destination", m.destination},
                {"address", m.address},
                {"state", m.state},
                {"attempts", m.attempts},
                {"created_at", m.created_at},
                {"subject", m.subject},
                {"body", m.body}};
      j["channel"] = m.channel ? json(*m.channel) : json(nullptr);
      j["remote_id"] = m.remote_id ? json(*m.remote_id) : json(nullptr);
      j["last_error"] = m.last_error ? json(*m.last_error) : json(nullptr);
      j["sent_at"] = m.sent_at ? json(*m.sent_at) : json(nullptr);
      j["delivery"] = m.delivery ? json(*m.delivery) : json(nullptr);
      j["delivery_code"] = m.delivery_code ? json(*m.delivery_code) : json(nullptr);
      // One object per line, for jq and shell loops; what another system wrote may not be UTF-8.
      std::printf("%s\n", j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    }
    return ExitStatus::ok;
  }
  if (items->empty()) {
    std::printf("no messages%s\n", options.states.empty() ? "" : " in those states");
    return ExitStatus::ok;
  }
  std::printf("%-6s %-20s %-7s %-18s %-10s %-8s %s\n", "ID", "CREATED", "PURPOSE", "TO", "STATE",
              "DELIVERY", "LAST ERROR");
  for (const auto& m : *items) {
    const std::string to = store::sent_as_text(m.kind) ? mask_phone(m.address) : m.destination;
    std::printf("%-6lld %-20s %-7s %-18s %-10s %-8s %s\n", static_cast<long long>(m.id),
                format_utc(m.created_at).c_str(), m.purpose.c_str(),
                (m.destination.empty() ? to : m.destination + " " + to).c_str(), m.state.c_str(),
                or_dash(m.delivery).c_str(), mask_numbers_in(or_dash(m.last_error)).c_str());
  }
  return ExitStatus::ok;
}

ExitStatus run_retry(const Context& context, const MessagesOptions& options) {
  auto store = open_messages(context);
  if (!store) return store.error();
  auto retried = store::message_sql::retry_dead((*store)->db(), options.ids, unix_now());
  if (!retried) return store_failed(retried.error());
  std::printf("%d dead message(s) will be sent again by voiceopsd%s\n", *retried,
              *retried ? " within a few seconds" : "");
  if (!options.ids.empty() && *retried < static_cast<int>(options.ids.size())) {
    complain(fmt::format("{} of the IDs given are not dead messages",
                         options.ids.size() - static_cast<std::size_t>(*retried)),
             "voiceops messages list --state dead");
    return ExitStatus::data_error;
  }
  return ExitStatus::ok;
}

ExitStatus run_suppressed(const Context& context, const MessagesOptions& options) {
  auto store = open_messages(context);
  if (!store) return store.error();
  auto list = store::message_sql::suppressions((*store)->db());
  if (!list) return store_failed(list.error());
  if (options.format == "json") {
    json out = json::array();
    for (const auto& s : *list)
      out.push_back(
          {{"recipient", s.recipient}, {"at", s.at}, {"code", s.code}, {"reason", s.reason}});
    std::printf("%s\n", out.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return ExitStatus::ok;
  }
  if (list->empty()) {
    std::printf("no number is suppressed\n");
    return ExitStatus::ok;
  }
  for (const auto& s : *list)
    std::printf("%-16s since %s: %s\n", s.recipient.c_str(), format_utc(s.at).c_str(),
                s.reason.c_str());
  return ExitStatus::ok;
}

ExitStatus run_unsuppress(const Context& context, const MessagesOptions& options) {
  auto store = open_messages(context);
  if (!store) return store.error();
  auto cleared = store::message_sql::unsuppress((*store)->db(), options.recipient);
  if (!cleared) return store_failed(cleared.error());
  if (!*cleared) {
    complain(options.recipient + " is not suppressed", "voiceops messages suppressed");
    return ExitStatus::data_error;
  }
  std::printf(
      "%s may be texted again; messages already suppressed stay as they are (voiceops "
      "messages retry cannot resend them)\n",
      options.recipient.c_str());
  return ExitStatus::ok;
}

}  // namespace

void add_messages_commands(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "messages", "The texts and emails voiceopsd sends staff: status, dead letters, opt-outs");
  group->require_subcommand(1);
  auto options = std::make_shared<MessagesOptions>();
  const auto format = [&](CLI::App* command) {
    command->add_option("--format", options->format, "text (default) or json")
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"text", "json"}));
  };
  const auto act = [&context, options](CLI::App* command,
                                       ExitStatus (*run)(const Context&, const MessagesOptions&)) {
    command->callback([&context, options, run] {
      context.action = [&context, options, run] { return run(context, *options); };
    });
  };

  auto* status = group->add_subcommand(
      "status", "How many wait, were sent, were given up on or suppressed (exit 1 with dead ones)");
  format(status);
  act(status, run_status);

  auto* list = group->add_subcommand("list",
                                     "The newest messages, with where they went and why "
                                     "they failed");
  list->add_option("--state", options->states,
                   "Only these states: pending, sent, dead, suppressed, unrouted (repeatable)")
      ->type_name("STATE")
      ->check(CLI::IsMember({"pending", "sent", "dead", "suppressed", "unrouted"}));
  list->add_option("--limit", options->limit, "At most this many (default 50)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000));
  format(list);
  act(list, run_list);

  auto* retry =
      group->add_subcommand("retry", "Send dead messages again: the IDs given, or every dead one");
  retry->add_option("ID", options->ids, "Message IDs from `voiceops messages list`")
      ->type_name("ID");
  act(retry, run_retry);

  auto* suppressed = group->add_subcommand(
      "suppressed", "The numbers that texted STOP (21610): voiceopsd texts them no more");
  format(suppressed);
  act(suppressed, run_suppressed);

  auto* unsuppress = group->add_subcommand(
      "unsuppress", "Text NUMBER again, once its owner has texted START to the sending number");
  unsuppress->add_option("NUMBER", options->recipient, "The E.164 number, as listed")
      ->required()
      ->type_name("NUMBER");
  act(unsuppress, run_unsuppress);
}

}  // namespace voiceops::cli
