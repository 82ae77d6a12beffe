// voiceops export odoo: the Odoo export's controls. Bare, it sends what the outbox has due now
// (the daemon does this by itself; this is for a cron job or a daemon that is down). --setup and
// --check prepare and check the Odoo database; --status, --dead-letters and --retry-dead read and
// reset the outbox in the store; --dry-run prints the requests without sending anything.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/time_spec.hpp"
#include "cli/commands.hpp"
#include "cli/control.hpp"
#include "host/workflow_loader.hpp"
#include "ops/call_record.hpp"
#include "ops/odoo_export.hpp"
#include "ops/odoo_settings.hpp"
#include "ops/odoo_setup.hpp"
#include "store/outbox.hpp"

namespace voiceops::cli {
namespace {

using nlohmann::json;
namespace odoo = connectors::odoo;

struct OdooOptions {
  bool setup = false, check = false, dry_run = false, status = false, dead_letters = false;
  std::vector<std::string> retry_ids;  // as typed; none: every dead letter
  bool retry_dead = false;
  std::string format = "text";
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ExitStatus odoo_failed(const odoo::Error& error, const std::string& doing) {
  complain(doing + ": " + error.message, odoo::hint(error));
  return odoo::exit_status(error);
}

Result<odoo::Client, ExitStatus> connect(const config::Config& config) {
  auto settings = ops::odoo_settings(config, config::process_environment());
  if (!settings) return unexpected(odoo_failed(settings.error(), "odoo"));
  auto client = odoo::Client::make(std::move(*settings));
  if (!client) return unexpected(odoo_failed(client.error(), "odoo"));
  return std::move(*client);
}

Result<std::unique_ptr<store::OutboxStore>, ExitStatus> open_outbox(const config::Config& config) {
  auto store = store::OutboxStore::open(config.store.path);
  if (!store) {
    complain(store.error().message,
             "check [store] path; run as the daemon's user (or in its group), or with sudo");
    return unexpected(ExitStatus::io_error);
  }
  return std::move(*store);
}

std::string age_text(std::int64_t seconds) {
  if (seconds < 120) return fmt::format("{} s", seconds);
  if (seconds < 7200) return fmt::format("{} min", seconds / 60);
  if (seconds < 172800) return fmt::format("{} h", seconds / 3600);
  return fmt::format("{} days", seconds / 86400);
}

ExitStatus run_status(const config::Config& config, const OdooOptions& options) {
  auto outbox = open_outbox(config);
  if (!outbox) return outbox.error();
  const std::int64_t now = unix_now();
  auto status = (*outbox)->status(now);
  if (!status) {
    complain("reading the outbox: " + status.error());
    return ExitStatus::io_error;
  }
  const auto& s = *status;
  if (options.format == "json") {
    json j = {{"configured", !config.odoo.url.empty()},
              {"url", config.odoo.url},
              {"pending", s.pending},
              {"due", s.due},
              {"dead", s.dead},
              {"sent", s.done}};
    j["oldest_pending_age_s"] =
        s.oldest_pending_at ? json(now - *s.oldest_pending_at) : json(nullptr);
    j["next_attempt_at"] = s.next_attempt_at ? json(*s.next_attempt_at) : json(nullptr);
    j["last_sent_at"] = s.last_sent_at ? json(*s.last_sent_at) : json(nullptr);
    j["last_error"] = s.last_error ? json(*s.last_error) : json(nullptr);
    std::printf("%s\n", j.dump(2).c_str());
    return ExitStatus::ok;
  }
  std::printf("odoo:        %s\n",
              config.odoo.url.empty()
                  ? "not configured ([odoo] url in voiceops.toml)"
                  : (config.odoo.url + " (database " + config.odoo.database + ")").c_str());
  std::printf("pending:     %d (%d due now)\n", s.pending, s.due);
  if (s.oldest_pending_at)
    std::printf("oldest:      %s ago\n", age_text(now - *s.oldest_pending_at).c_str());
  if (s.next_attempt_at && *s.next_attempt_at > now)
    std::printf("next try:    in %s\n", age_text(*s.next_attempt_at - now).c_str());
  std::printf("sent:        %d\n", s.done);
  if (s.last_sent_at) std::printf("last sent:   %s\n", format_utc(*s.last_sent_at).c_str());
  std::printf("dead:        %d%s\n", s.dead,
              s.dead ? " (voiceops export odoo --dead-letters)" : "");
  if (s.last_error) std::printf("last error:  %s\n", s.last_error->c_str());
  return ExitStatus::ok;
}

ExitStatus run_dead_letters(const config::Config& config, const OdooOptions& options) {
  auto outbox = open_outbox(config);
  if (!outbox) return outbox.error();
  auto dead = (*outbox)->dead_letters(100000);
  if (!dead) {
    complain("reading the outbox: " + dead.error());
    return ExitStatus::io_error;
  }
  if (options.format == "json") {
    json list = json::array();
    for (const auto& item : *dead)
      list.push_back({{"id", item.id},
                      {"call", item.call_id},
                      {"attempts", item.attempts},
                      {"created_at", item.created_at},
                      {"last_error", item.last_error.value_or("")}});
    std::printf("%s\n", list.dump(2).c_str());
    return ExitStatus::ok;
  }
  if (dead->empty()) {
    std::printf("no dead letters\n");
    return ExitStatus::ok;
  }
  for (const auto& item : *dead) {
    std::printf("%lld\t%s\t%s\t%d attempts\t%s\n", static_cast<long long>(item.id),
                item.call_id.c_str(), format_utc(item.created_at).c_str(), item.attempts,
                item.last_error.value_or("").c_str());
  }
  std::printf("retry with: voiceops export odoo --retry-dead [ID...]\n");
  return ExitStatus::ok;
}

ExitStatus run_retry_dead(const config::Config& config, const OdooOptions& options) {
  auto outbox = open_outbox(config);
  if (!outbox) return outbox.error();
  std::vector<std::int64_t> ids;
  for (const auto& text : options.retry_ids) {
    if (text.empty()) continue;  // --retry-dead alone
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
      complain("--retry-dead " + text + ": not an outbox id",
               "the ids are the first column of --dead-letters");
      return ExitStatus::usage;
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  auto retried = (*outbox)->retry_dead(ids, unix_now());
  if (!retried) {
    complain("writing the outbox: " + retried.error());
    return ExitStatus::io_error;
  }
  if (!ids.empty() && *retried < static_cast<int>(ids.size())) {
    complain(fmt::format("{} of the {} ids given are not dead letters (see --dead-letters)",
                         ids.size() - static_cast<std::size_t>(*retried), ids.size()));
    std::printf("%d dead letter(s) will be sent again\n", *retried);
    return ExitStatus::data_error;
  }
  std::printf("%d dead letter(s) will be sent again%s\n", *retried,
              *retried ? " (by voiceopsd within seconds, or now with: voiceops export odoo)" : "");
  return ExitStatus::ok;
}

ExitStatus run_setup(const config::Config& config) {
  auto client = connect(config);
  if (!client) return client.error();
  auto steps = ops::set_up_call_model(*client);
  if (!steps) return odoo_failed(steps.error(), "setting up x_voiceops_call");
  for (const auto& step : *steps)
    std::printf("%-8s %s%s\n", step.result.c_str(), step.what.c_str(),
                step.detail.empty() ? "" : (": " + step.detail).c_str());
  return ExitStatus::ok;
}

// The rights the export and the loaded contracts' tool steps need.
std::vector<ops::NeededRight> contract_rights(const config::Config& config) {
  std::vector<std::string> tools;
  std::vector<contract::ToolCallMapping> mappings;
  auto loaded = host::load_workflows(config.contracts.paths);
  if (!loaded) {
    complain("the contracts do not load; checking only what the export needs");
    return ops::rights_needed(tools, mappings);
  }
  for (const auto& w : loaded->workflows) {
    for (const auto& step : w.contract->steps)
      if (step.kind == contract::StepKind::call) tools.push_back(step.target.value);
    mappings.insert(mappings.end(), w.contract->tool_calls.begin(), w.contract->tool_calls.end());
  }
  return ops::rights_needed(tools, mappings);
}

ExitStatus run_check(const config::Config& config, const OdooOptions& options) {
  auto client = connect(config);
  if (!client) return client.error();
  auto protocol = client->protocol();
  if (!protocol) return odoo_failed(protocol.error(), "connecting to " + config.odoo.url);
  const auto version = client->server_version();
  auto lines = ops::check_rights(*client, contract_rights(config));
  if (!lines) return odoo_failed(lines.error(), "checking rights");
  int missing = 0;
  for (const auto& line : *lines) missing += line.ok ? 0 : 1;
  if (options.format == "json") {
    json list = json::array();
    for (const auto& line : *lines)
      list.push_back({{"check", line.what}, {"ok", line.ok}, {"detail", line.detail}});
    std::printf("%s\n", json{{"url", config.odoo.url},
                             {"protocol", odoo::protocol_name(*protocol)},
                             {"version", version ? *version : ""},
                             {"checks", list},
                             {"missing", missing}}
                            .dump(2)
                            .c_str());
  } else {
    std::printf("odoo %s at %s, database %s, user %s, protocol %s\n",
                version ? version->c_str() : "(version unknown)", config.odoo.url.c_str(),
                config.odoo.database.c_str(), config.odoo.user.c_str(),
                std::string(odoo::protocol_name(*protocol)).c_str());
    for (const auto& line : *lines)
      std::printf("%s %s%s\n", line.ok ? "ok     " : "MISSING", line.what.c_str(),
                  line.detail.empty() ? "" : (": " + line.detail).c_str());
    std::printf(
        missing ? "%d missing\n" : "everything the contracts and the export need is there\n",
        missing);
  }
  return missing ? ExitStatus::check_failed : ExitStatus::ok;
}

ExitStatus run_dry_run(const config::Config& config) {
  auto client = connect(config);
  if (!client) return client.error();
  auto outbox = open_outbox(config);
  if (!outbox) return outbox.error();
  auto due = (*outbox)->peek(unix_now(), config.odoo.batch_size);
  if (!due) {
    complain("reading the outbox: " + due.error());
    return ExitStatus::io_error;
  }
  if (due->empty()) {
    std::printf("nothing is due: no request would be sent\n");
    return ExitStatus::ok;
  }
  std::vector<std::string> ids;
  for (const auto& item : *due) ids.push_back(item.call_id);
  auto calls = (*outbox)->calls_for(ids);
  if (!calls) {
    complain("reading the store: " + calls.error());
    return ExitStatus::io_error;
  }
  std::set<std::string, std::less<>> every;
  for (const auto& field : ops::call_record_fields()) every.insert(std::string(field.name));
  const auto columns = ops::load_columns(every);
  json data = json::array();
  for (const auto& call : *calls) data.push_back(ops::load_row(call, columns));
  const auto protocol =
      config.odoo.protocol == "jsonrpc" ? odoo::Protocol::jsonrpc : odoo::Protocol::json2;
  const auto wire = client->describe(protocol, ops::call_record_model, "load",
                                     json{{"fields", columns}, {"data", data}});
  std::printf("# the next batch: %zu call(s); nothing is sent%s\n", calls->size(),
              config.odoo.protocol == "auto" ? " (protocol auto: shown as JSON-2; Odoo 18 and "
                                               "earlier get the same call through /jsonrpc)"
                                             : "");
  std::printf("%s %s\n", wire.method.c_str(), wire.url.c_str());
  for (const auto& [name, value] : wire.headers)
    std::printf("%s: %s\n", name.c_str(), value.c_str());
  std::printf("\n%s\n", wire.body.c_str());
  return ExitStatus::ok;
}

ExitStatus run_export(const config::Config& config) {
  auto client = connect(config);
  if (!client) return client.error();
  auto outbox = open_outbox(config);
  if (!outbox) return outbox.error();
  std::mt19937_64 random{std::random_device{}()};
  ops::ExportPolicy policy = ops::export_policy(config.odoo);
  policy.max_batches = 1000000;  // until nothing is due, or Odoo fails
  ops::OdooExporter exporter(**outbox, *client, policy, [&random] {
    return std::uniform_real_distribution<double>(0.0, 1.0)(random);
  });
  const ops::ExportRun run = exporter.run(unix_now());
  std::printf("sent %d, to be tried again %d, dead %d (%d request(s) to Odoo)\n", run.sent,
              run.failed, run.dead, run.requests);
  if (!run.store_error.empty()) {
    complain("the outbox: " + run.store_error);
    return ExitStatus::io_error;
  }
  if (run.error && (run.failed > 0 || run.dead > 0)) return odoo_failed(*run.error, "export");
  return ExitStatus::ok;
}

ExitStatus run_odoo(const Context& context, const OdooOptions& options) {
  const int modes = options.setup + options.check + options.dry_run + options.status +
                    options.dead_letters + options.retry_dead;
  if (modes > 1) {
    complain("give one of --setup, --check, --dry-run, --status, --dead-letters, --retry-dead");
    return ExitStatus::usage;
  }
  auto config = load_cli_config(context);
  if (!config) return config.error();
  if (options.status) return run_status(*config, options);
  if (options.dead_letters) return run_dead_letters(*config, options);
  if (options.retry_dead) return run_retry_dead(*config, options);
  if (options.setup) return run_setup(*config);
  if (options.check) return run_check(*config, options);
  if (options.dry_run) return run_dry_run(*config);
  return run_export(*config);
}

}  // namespace

void add_export_odoo_command(CLI::App& group, Context& context) {
  auto options = std::make_shared<OdooOptions>();
  auto* odoo = group.add_subcommand(
      "odoo", "Send finished calls to Odoo now, or set up, check and inspect the export");
  odoo->add_flag("--setup", options->setup,
                 "Create x_voiceops_call, its fields and access rights in Odoo (safe to repeat)");
  odoo->add_flag("--check", options->check,
                 "Connect and check the user's rights on every model the contracts use");
  odoo->add_flag("--dry-run", options->dry_run, "Print the next batch's request; send nothing");
  odoo->add_flag("--status", options->status,
                 "The outbox: pending, oldest, sent, dead, last error");
  odoo->add_flag("--dead-letters", options->dead_letters, "List the exports given up on");
  odoo->add_option("--retry-dead", options->retry_ids,
                   "Send dead letters again: the IDs given, or every one")
      ->type_name("ID")
      ->expected(0, -1);
  odoo->add_option("--format", options->format, "text (default) or json")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  odoo->callback([&context, options, odoo] {
    if (odoo->count("--retry-dead") > 0) options->retry_dead = true;
    context.action = [&context, options] { return run_odoo(context, *options); };
  });
}

}  // namespace voiceops::cli
