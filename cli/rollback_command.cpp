// voiceops rollback: return calls to people in one command, at 2 a.m., daemon up or down. Every
// change is written to the shared rollback state in the store (the daemon reads it on its very
// next webhook) with who, when, why and what it found before.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/time_spec.hpp"
#include "cli/commands.hpp"
#include "cli/control.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/terminal.hpp"
#include "config/config.hpp"
#include "control/client.hpp"
#include "control/requests.hpp"
#include "host/workflow_loader.hpp"
#include "ops/fallback_twiml.hpp"
#include "ops/rollback.hpp"
#include "store/rollback_store.hpp"

namespace voiceops::cli {
namespace {

using nlohmann::json;

struct ChangeOptions {
  std::string argument, workflow, reason;
  bool yes = false, now = false, direct = false;
};

// The configuration and the loaded contracts: what every rollback command checks against.
struct Setting {
  config::Config config;
  std::vector<calls::Workflow> workflows;  // empty when the contracts do not load
  std::vector<std::string> contract_errors;
};

Result<Setting, ExitStatus> load_setting(const Context& context) {
  auto loaded = load_cli_config(context);
  if (!loaded) return unexpected(loaded.error());
  Setting setting{std::move(*loaded), {}, {}};
  auto workflows = host::load_workflows(setting.config.contracts.paths);
  if (workflows) {
    setting.workflows = std::move(workflows->workflows);
  } else {
    setting.contract_errors = workflows.error();
  }
  return setting;
}

// Who made the change: the Unix user, and who ran sudo to become it.
std::string unix_user() {
  const passwd* entry = ::getpwuid(::geteuid());
  std::string who = entry ? entry->pw_name : "uid " + std::to_string(::geteuid());
  if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo && ::geteuid() == 0)
    who += std::string(" (sudo by ") + sudo + ")";
  return who;
}

std::string scope_text(const std::string& workflow) {
  return workflow.empty() ? "every workflow" : "workflow " + workflow;
}

std::string change_text(const store::RollbackChange& c) {
  if (c.action == "forward-all")
    return "forward every new call for " + scope_text(c.workflow) + " to " + c.argument +
           (c.now ? ", and move the calls in progress at their next turn" : "");
  if (c.action == "disable-intent")
    return "send callers who want " + c.argument + " to people (" + scope_text(c.workflow) + ")";
  if (c.action == "enable-intent")
    return "let the agent handle " + c.argument + " again (" + scope_text(c.workflow) + ")";
  if (c.action == "after-hours-only")
    return "in business hours, send every call for " + scope_text(c.workflow) + " to people";
  return "clear the rollback of " + scope_text(c.workflow) + ": the agent answers again";
}

// On a terminal, unless --yes: the operator says y. Elsewhere (a script) the change goes ahead.
bool confirmed(const std::string& what, bool yes) {
  if (yes || !::isatty(STDIN_FILENO) || !::isatty(STDERR_FILENO)) return true;
  std::fprintf(stderr, "%s.\nGo ahead? [y/N] ", what.c_str());
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

Result<std::unique_ptr<store::RollbackStore>, ExitStatus> open_store(const std::string& path) {
  auto store = store::RollbackStore::open(path);
  if (!store) {
    complain(store.error().message,
             "check [store] path in the configuration; the folder must be writable by this user "
             "(run as the daemon's user, or with sudo)");
    return unexpected(store.error().kind == store::StoreError::Kind::cannot_open
                          ? ExitStatus::io_error
                          : ExitStatus::internal);
  }
  return std::move(*store);
}

ExitStatus run_change(const Context& context, const std::string& action,
                      const ChangeOptions& options) {
  auto setting = load_setting(context);
  if (!setting) return setting.error();
  store::RollbackChange change;
  change.action = action;
  change.argument = options.argument;
  change.workflow = options.workflow;
  change.now = options.now;
  change.reason = options.reason;
  change.who = unix_user();
  change.via = "direct";
  change.at = static_cast<std::int64_t>(std::time(nullptr));
  if (setting->workflows.empty() && action != "clear") {
    for (const auto& line : setting->contract_errors) std::fprintf(stderr, "%s\n", line.c_str());
    complain("the contracts do not load, so the change cannot be checked against them",
             "fix them (voiceops contract validate), or use `voiceops rollback clear`");
    return ExitStatus::config;
  }
  if (auto checked = ops::check_change(change, setting->workflows); !checked) {
    complain(checked.error().message, checked.error().hint);
    return checked.error().status;
  }
  const std::string what = change_text(change);
  if (!confirmed(what, options.yes)) {
    std::fprintf(stderr, "voiceops: nothing changed\n");
    return ExitStatus::check_failed;
  }
  // Through the daemon when it answers within 2 s (it logs, counts and announces the change);
  // else straight into the store, which the daemon reads on every call anyway.
  const control::RollbackRequest request{change.action, change.argument, change.workflow,
                                         change.reason, change.who,      change.now};
  auto answer = options.direct
                    ? Result<std::string, control::ControlError>(unexpected(control::ControlError{
                          ExitStatus::unavailable, "--direct: not asking voiceopsd", ""}))
                    : control::send_request(setting->config.server.control_socket,
                                            control::encode(request), std::chrono::seconds(2));
  if (!answer && answer.error().maybe_delivered) {
    // Writing it again now could apply it twice, or after a newer change the daemon then takes.
    complain(answer.error().message + ": the change may or may not have been applied",
             "check with voiceops rollback status; if voiceopsd is wedged, run the change again "
             "with --direct");
    return ExitStatus::unavailable;
  }
  if (answer) {
    const json reply = json::parse(*answer, nullptr, false);
    if (reply.is_object() && reply.value("ok", false)) {
      std::printf("rollback: %s\n", what.c_str());
      std::printf("applied by voiceopsd (change %lld); it takes the very next webhook\n",
                  reply.value("id", 0LL));
      return ExitStatus::ok;
    }
    if (reply.is_object() && reply.contains("status")) {  // refused: the daemon's contracts
      complain(reply.value("error", std::string("voiceopsd refused the change")),
               reply.value("hint", std::string()));
      const int status = reply.value("status", 65);
      return status == 64 || status == 78 ? static_cast<ExitStatus>(status)
                                          : ExitStatus::data_error;
    }
    complain("voiceopsd could not apply the rollback: " +
                 (reply.is_object() ? reply.value("error", std::string("no reason given"))
                                    : std::string("its answer is not JSON")),
             "writing it to the store directly instead");
  } else {
    std::fprintf(stderr, "voiceops: %s; writing the rollback state directly\n",
                 answer.error().message.c_str());
  }
  auto store = open_store(setting->config.store.path);
  if (!store) return store.error();
  auto entry = (*store)->apply(change);
  if (!entry) {
    complain("the rollback was not written: " + entry.error(),
             "the previous state stands; check the store's disk and permissions and run it again");
    return ExitStatus::io_error;
  }
  std::printf("rollback: %s\n", what.c_str());
  std::printf("written to %s (change %lld); voiceopsd applies it on its next webhook\n",
              setting->config.store.path.c_str(), static_cast<long long>(entry->id));
  return ExitStatus::ok;
}

ExitStatus run_status(const Context& context, const std::string& workflow,
                      const std::string& format) {
  auto setting = load_setting(context);
  if (!setting) return setting.error();
  const std::string& path = setting->config.store.path;
  std::vector<store::RollbackScope> scopes;
  if (std::filesystem::exists(path)) {
    auto store = open_store(path);
    if (!store) return store.error();
    auto read = (*store)->scopes();
    if (!read) {
      complain("cannot read the rollback state: " + read.error());
      return ExitStatus::io_error;
    }
    scopes = std::move(*read);
  }
  calls::Rollback wide;
  for (const auto& scope : scopes)
    if (scope.workflow.empty()) wide = scope.settings;
  std::vector<std::string> ids;
  for (const auto& w : setting->workflows) ids.push_back(w.contract->workflow.id.value);
  for (const auto& scope : scopes)
    if (!scope.workflow.empty() && std::find(ids.begin(), ids.end(), scope.workflow) == ids.end())
      ids.push_back(scope.workflow);
  const auto effective = [&](const std::string& id) {
    calls::Rollback narrow;
    for (const auto& scope : scopes)
      if (scope.workflow == id) narrow = scope.settings;
    return calls::Rollback::merged(wide, narrow);
  };
  if (format == "json") {
    json out = {{"store", path}, {"scopes", json::array()}, {"workflows", json::object()}};
    for (const auto& scope : scopes) {
      if (!workflow.empty() && !scope.workflow.empty() && scope.workflow != workflow) continue;
      out["scopes"].push_back({{"workflow", scope.workflow},
                               {"settings", json::parse(store::rollback_json(scope.settings))},
                               {"changed_at", format_utc(scope.changed_at)}});
    }
    for (const auto& id : ids) {
      if (!workflow.empty() && id != workflow) continue;
      out["workflows"][id] = json::parse(store::rollback_json(effective(id)));
    }
    std::printf("%s\n", out.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return ExitStatus::ok;
  }
  std::printf("rollback state in %s\n", path.c_str());
  for (const auto& id : ids) {
    if (!workflow.empty() && id != workflow) continue;
    const auto lines = ops::describe(effective(id));
    for (std::size_t i = 0; i < lines.size(); ++i)
      std::printf("%-24s %s\n", i == 0 ? id.c_str() : "", lines[i].c_str());
  }
  for (const auto& scope : scopes) {
    std::printf("set %s for %s\n", format_utc(scope.changed_at).c_str(),
                scope_text(scope.workflow).c_str());
  }
  return ExitStatus::ok;
}

ExitStatus run_history(const Context& context, int limit, const std::string& format) {
  auto setting = load_setting(context);
  if (!setting) return setting.error();
  const std::string& path = setting->config.store.path;
  std::vector<store::RollbackEntry> entries;
  if (std::filesystem::exists(path)) {
    auto store = open_store(path);
    if (!store) return store.error();
    auto read = (*store)->history(limit);
    if (!read) {
      complain("cannot read the rollback history: " + read.error());
      return ExitStatus::io_error;
    }
    entries = std::move(*read);
  }
  if (format == "json") {
    json out = json::array();
    for (const auto& e : entries) {
      out.push_back({{"id", e.id},
                     {"at", format_utc(e.at)},
                     {"who", e.who},
                     {"via", e.via},
                     {"action", e.action},
                     {"argument", e.argument},
                     {"workflow", e.workflow},
                     {"reason", e.reason},
                     {"before", json::parse(e.before, nullptr, false)},
                     {"after", json::parse(e.after, nullptr, false)}});
    }
    std::printf("%s\n", out.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return ExitStatus::ok;
  }
  if (entries.empty()) std::printf("no rollback changes yet\n");
  for (const auto& e : entries) {
    std::printf("%s  %s  %s%s%s  (%s, %s)\n    why: %s\n", format_utc(e.at).c_str(), e.who.c_str(),
                e.action.c_str(), e.argument.empty() ? "" : " ", e.argument.c_str(),
                scope_text(e.workflow).c_str(), e.via.c_str(), e.reason.c_str());
  }
  return ExitStatus::ok;
}

// The contracts' rollback plans as a runbook, or the fallback TwiML for the carrier.
ExitStatus run_plan(const Context& context, const std::string& workflow, bool twiml_only) {
  auto setting = load_setting(context);
  if (!setting) return setting.error();
  if (setting->workflows.empty()) {
    for (const auto& line : setting->contract_errors) std::fprintf(stderr, "%s\n", line.c_str());
    complain("the contracts do not load; fix them with voiceops contract validate");
    return ExitStatus::config;
  }
  bool any = false;
  for (const auto& w : setting->workflows) {
    const contract::Contract& c = *w.contract;
    if (!workflow.empty() && c.workflow.id.value != workflow) continue;
    any = true;
    const std::string forward = c.rollback.forward_to.value;
    if (twiml_only) {
      const auto twiml = ops::fallback_twiml(c);
      if (!twiml) {
        complain("workflow " + c.workflow.id.value + " has no rollback.forward_to",
                 "set the old forwarding number in its [rollback] table");
        return ExitStatus::data_error;
      }
      std::printf("%s", twiml->c_str());
      if (workflow.empty() && setting->workflows.size() > 1)
        std::fprintf(stderr, "voiceops: several workflows: this is %s's; use --workflow\n",
                     c.workflow.id.value.c_str());
      return ExitStatus::ok;
    }
    std::printf("Workflow %s (%s)\n", c.workflow.id.value.c_str(), c.file.c_str());
    std::printf("  Owner of the rollback:  %s\n",
                c.rollback.owner.value.empty() ? "(none named)" : c.rollback.owner.value.c_str());
    std::printf("  Return every call to the old number:\n");
    std::printf("    voiceops rollback forward-all %s --workflow %s --reason \"...\"\n",
                forward.empty() ? "NUMBER" : forward.c_str(), c.workflow.id.value.c_str());
    std::printf("  Intents that may be disabled:%s\n",
                c.rollback.disable_intents.empty() ? " (none listed)" : "");
    for (const auto& intent : c.rollback.disable_intents)
      std::printf("    voiceops rollback disable-intent %s --workflow %s --reason \"...\"\n",
                  intent.value.c_str(), c.workflow.id.value.c_str());
    if (c.rollback.after_hours_only)
      std::printf(
          "  Keep the agent to after-hours calls:\n"
          "    voiceops rollback after-hours-only --workflow %s --reason \"...\"\n",
          c.workflow.id.value.c_str());
    std::printf("  Back to normal:\n    voiceops rollback clear --workflow %s --reason \"...\"\n",
                c.workflow.id.value.c_str());
    std::printf(
        "  If voiceopsd itself is down: the carrier's fallback URL for each number\n"
        "    (%s) should serve\n"
        "    `voiceops rollback plan --fallback-twiml --workflow %s` from any static web\n"
        "    server that is not this machine; the carrier fetches it when the daemon fails.\n\n",
        c.answers.numbers.empty() ? "none" : c.answers.numbers.front().value.c_str(),
        c.workflow.id.value.c_str());
  }
  if (!any) {
    complain("no loaded contract has the workflow '" + workflow + "'");
    return ExitStatus::data_error;
  }
  return ExitStatus::ok;
}

ExitStatus run_intents(const Context& context, const std::string& workflow) {
  auto setting = load_setting(context);
  if (!setting) return setting.error();
  if (setting->workflows.empty()) {
    for (const auto& line : setting->contract_errors) std::fprintf(stderr, "%s\n", line.c_str());
    return ExitStatus::config;
  }
  for (const auto& intent : ops::intents_of(setting->workflows, workflow))
    std::printf("%s\n", intent.c_str());
  return ExitStatus::ok;
}

}  // namespace

void add_rollback_commands(CLI::App& app, Context& context) {
  auto* rollback = app.add_subcommand(
      "rollback", "Return calls to people: forward, disable an intent, after hours only, clear");
  rollback->require_subcommand(1);

  auto format = std::make_shared<std::string>("text");
  auto scope = std::make_shared<std::string>();
  auto* status = rollback->add_subcommand("status", "What is rolled back, per workflow");
  status->add_option("--workflow", *scope, "Only this workflow");
  status->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
  status->callback([&context, scope, format] {
    context.action = [&context, scope, format] { return run_status(context, *scope, *format); };
  });

  auto limit = std::make_shared<int>(20);
  auto* history = rollback->add_subcommand("history", "Every change: who, when, why, before");
  history->add_option("--limit", *limit, "The newest N changes (default 20)")
      ->check(CLI::Range(1, 100000));
  history->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
  history->callback([&context, limit, format] {
    context.action = [&context, limit, format] { return run_history(context, *limit, *format); };
  });

  auto twiml = std::make_shared<bool>(false);
  auto* plan = rollback->add_subcommand(
      "plan", "The contracts' rollback plans as a runbook, or the carrier's fallback TwiML");
  plan->add_option("--workflow", *scope, "Only this workflow");
  plan->add_flag(
      "--fallback-twiml", *twiml,
      "Print TwiML that dials the contract's old number, for the carrier's fallback URL");
  plan->callback([&context, scope, twiml] {
    context.action = [&context, scope, twiml] { return run_plan(context, *scope, *twiml); };
  });

  auto* intents = rollback->add_subcommand(
      "intents", "The intents of the loaded contracts, one per line (for completion)");
  intents->add_option("--workflow", *scope, "Only this workflow's");
  intents->callback([&context, scope] {
    context.action = [&context, scope] { return run_intents(context, *scope); };
  });

  struct Change {
    const char* name;
    const char* help;
    const char* argument;  // nullptr: none
  };
  for (const Change& c :
       {Change{"forward-all", "Every new call dials NUMBER (the old number)", "NUMBER"},
        Change{"disable-intent", "Callers who want INTENT go to people", "INTENT"},
        Change{"enable-intent", "The agent handles INTENT again", "INTENT"},
        Change{"after-hours-only", "In business hours every call goes to people", nullptr},
        Change{"clear", "Back to normal (one workflow with --workflow)", nullptr}}) {
    auto options = std::make_shared<ChangeOptions>();
    auto* sub = rollback->add_subcommand(c.name, c.help);
    if (c.argument) {
      sub->add_option(c.argument, options->argument,
                      std::string(c.argument) == "NUMBER" ? "E.164, e.g. +15125550100"
                                                          : "An intent of a loaded contract")
          ->required()
          ->type_name(c.argument);
    }
    sub->add_option("--reason", options->reason, "Why, for the history")->required();
    sub->add_option("--workflow", options->workflow, "Only this workflow (default: all)");
    sub->add_flag("--yes,-y", options->yes, "Do not ask for confirmation on a terminal");
    sub->add_flag("--direct", options->direct,
                  "Write the store directly, without asking voiceopsd (when it is wedged)");
    if (std::string(c.name) == "forward-all")
      sub->add_flag("--now", options->now,
                    "Also move the calls in progress, at their next webhook");
    const std::string action = c.name;
    sub->callback([&context, options, action] {
      context.action = [&context, options, action] {
        return run_change(context, action, *options);
      };
    });
  }
}

}  // namespace voiceops::cli
