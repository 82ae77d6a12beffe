// The DaemonCore's life and routes: start-up (secrets, contracts, store), the service swapped
// in on reload, which requests may block, health, readiness and metrics, the sweeper.
#include "host/daemon_core.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mask.hpp"
#include "carrier/message_status.hpp"
#include "crypto/constant_time.hpp"
#include "host/core_helpers.hpp"
#include "host/live_systems.hpp"
#include "host/workflow_loader.hpp"
#include "ops/odoo_settings.hpp"

namespace voiceops::host {

DaemonCore::DaemonCore(config::Config config, Log& log, Clock clock)
    : config_(std::move(config)),
      log_(log),
      clock_(std::move(clock)),
      started_(std::chrono::steady_clock::now()) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    };
  }
}

// The writer's callbacks use this object: let them all run before any member goes.
// The store's threads call back into this object (answers, health changes, replays): they are
// stopped, and the store closed, while every member is still here.
DaemonCore::~DaemonCore() {
  drop_waiting();
  if (exporter_) exporter_->stop();  // its thread uses the store: joined before the store goes
  if (store_) {
    store_->health().on_change({});  // waits for a health callback in progress
    store_->flush();                 // its callbacks may still hand the message worker notices
  }
  if (message_worker_) message_worker_->stop();  // keeps what it holds in memory, if it can
  if (store_) {
    post_ = {};
    store_.reset();
  }
}

Result<std::unique_ptr<DaemonCore>, StartupError> DaemonCore::start(
    const config::Config& config, const config::Environment& environment, Log& log, Clock clock,
    const std::atomic<std::uint64_t>* shared_memory_faults) {
  StartupError error;
  const std::string where =
      config.file.empty() ? std::string("the built-in defaults") : config.file;
  std::unique_ptr<DaemonCore> core(new DaemonCore(config, log, std::move(clock)));

  if (config.twilio.validate_signatures) {
    if (config.server.public_url.empty()) {
      error.lines.push_back(fmt::format(
          "{}: [server] public_url is not set: signatures cannot be checked without the URL the "
          "carrier signs against (or set [twilio] validate_signatures = false, never in "
          "production)",
          where));
    }
    auto token = config::twilio_auth_token(config, environment);
    if (token) {
      core->auth_token_ = std::move(*token);
    } else {
      error.lines.push_back(token.error().message + " (" + token.error().hint + ")");
    }
  } else if (auto token = config::twilio_auth_token(config, environment)) {
    core->auth_token_ = std::move(*token);
  }
  if (!config.server.events_token_file.empty() || environment("VOICEOPS_EVENTS_TOKEN")) {
    auto token = config::events_token(config, environment);
    if (token) {
      core->events_token_ = std::move(*token);
    } else {
      error.lines.push_back(token.error().message + " (" + token.error().hint + ")");
    }
  }

  // A secret others on the machine can read is a secret no longer.
  for (const std::string* file :
       {&config.twilio.auth_token_file, &config.server.events_token_file}) {
    struct stat info {};
    if (!file->empty() && ::stat(file->c_str(), &info) == 0 && (info.st_mode & S_IRWXO) != 0) {
      log.warning(
          fmt::format("{} can be read by any user on this machine (mode {:04o}); run "
                      "chmod o-rwx on it",
                      *file, info.st_mode & 07777));
    }
  }

  auto loaded = load_workflows(config.contracts.paths);
  if (!loaded) {
    for (const auto& line : loaded.error()) error.lines.push_back(line);
    error.lines.push_back(
        fmt::format("no contracts loaded (check [contracts] paths in {})", where));
  }
  if (!error.lines.empty()) return unexpected(std::move(error));

  auto opened = store::CallStore::open(config.store.path,
                                       {.background_checkpoint_every = std::chrono::seconds(1),
                                        .shared_memory_faults = shared_memory_faults});
  if (!opened) {
    error.lines.push_back(opened.error().message);
    if (opened.error().kind == store::StoreError::Kind::cannot_open) {
      error.lines.push_back(fmt::format(
          "check [store] path in {}: its folder must exist and be writable by this user", where));
    }
    return unexpected(std::move(error));
  }
  core->store_ = std::move(*opened);
  core->store_->health().on_change([raw = core.get()](bool writable, const std::string& cause) {
    raw->store_health_changed(writable, cause);
  });
  if (!config.odoo.url.empty()) {
    auto settings = ops::odoo_settings(config, environment);
    if (!settings) return unexpected(StartupError{ExitStatus::config, {settings.error().message}});
    // Half the handler threads at most wait on Odoo: the rest keep answering other calls.
    core->odoo_tools_ =
        std::make_unique<ops::OdooTools>(*settings, config.server.handler_threads / 2);
    auto client = connectors::odoo::Client::make(std::move(*settings));
    if (!client) return unexpected(StartupError{ExitStatus::config, {client.error().message}});
    core->exporter_ = std::make_unique<ExportWorker>(*core->store_, std::move(*client),
                                                     ops::export_policy(config.odoo), log,
                                                     core->clock_, std::chrono::milliseconds(1000));
    log.info(fmt::format("odoo export to {} (database {}) started", config.odoo.url,
                         config.odoo.database));
  }
  if (auto failed = core->start_messaging(environment)) return unexpected(std::move(*failed));
  core->tools_ = std::make_unique<Tools>(*core);
  core->messages_ = std::make_unique<Messages>(*core);

  std::vector<std::string> ids;
  for (const auto& w : loaded->workflows) ids.push_back(w.contract->workflow.id.value);
  core->contract_ids_ = std::make_shared<const std::vector<std::string>>(ids);
  core->contracts_loaded_ = static_cast<int>(loaded->workflows.size());
  core->webhooks_.store(core->make_webhooks(std::move(loaded->workflows)));

  for (const auto& w : ids) log.info(fmt::format("workflow {} loaded", w));
  return core;
}

std::shared_ptr<carrier::Webhooks> DaemonCore::make_webhooks(
    std::vector<calls::Workflow> workflows) {
  // Said at start and on every reload, so a contract's new promise is checked when it arrives.
  auto gaps = messaging_gaps(workflows);
  for (const auto& gap : gaps) log_.warning(gap);
  std::lock_guard gaps_lock(messaging_gaps_mutex_);
  messaging_gaps_ = std::move(gaps);
  carrier::WebhookOptions options;
  options.public_url = config_.server.public_url;
  options.auth_token = auth_token_;
  options.validate_signatures = config_.twilio.validate_signatures;
  options.clock = clock_;
  options.observer = this;
  options.rollback = store_.get();  // read on every call, no reload
  return std::make_shared<carrier::Webhooks>(std::move(workflows), *store_, *tools_, *messages_,
                                             options);
}

bool DaemonCore::webhooks_may_block() const {
  return tools_->may_block();
}

bool DaemonCore::may_block(const carrier::HttpRequest& request) const {
  const std::string_view path = request.path();
  // Both take the store's write lock to see that it is writable.
  if (path == "/readyz" || path == "/metrics") return true;
  if (path == carrier::message_status_path) return true;  // writes the store at once
  return path.starts_with("/twilio/") && webhooks_may_block();
}

void DaemonCore::handle_http(carrier::HttpRequest request, Respond respond) {
  if (request.path() == carrier::message_status_path) {
    Answer answer = answer_message_status(request);
    metrics_.http_request(answer.response.status);
    return respond(std::move(answer));
  }
  if (request.path().starts_with("/twilio/"))
    return handle_webhook(std::move(request), std::move(respond));
  respond(answer_now(request));
}

Answer DaemonCore::answer_now(const carrier::HttpRequest& request) {
  const std::string_view path = request.path();
  if (path.starts_with(testing_calls_prefix) && config_.testing.scripted_integrations)
    return testing_call_state(request);
  Answer answer;
  const bool get = request.method == "GET";
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
    if (!get) {
      answer.response = text_response(405, "use GET\n");
      answer.headers.push_back({"Allow", "GET"});
    } else if (path == "/healthz") {
      answer.response = text_response(200, "ok\n");
    } else if (path == "/readyz") {
      answer = readiness();
    } else {
      answer.response =
          text_response(200, metrics_.render(gauges()), "text/plain; version=0.0.4; charset=utf-8");
    }
  } else {
    answer.response = text_response(404, "not found\n");
  }
  metrics_.http_request(answer.response.status);
  return answer;
}

Answer DaemonCore::readiness() {
  std::string problems;
  if (contracts_loaded_ == 0) problems += "no contracts loaded\n";
  if (auto writable = store_->check_writable(); !writable)
    problems += "store not writable: " + writable.error() + "\n";
  // Unreachable systems are named, but the daemon stays ready: calls still take the contracts'
  // failure paths, and only a store it cannot write makes it unready.
  std::string notes;
  if (exporter_) {
    const ExportHealth odoo = exporter_->health();
    if (!odoo.reachable) notes += "odoo unreachable: " + odoo.last_error + "\n";
  }
  if (const MessageHealth messages = message_worker_->health(); !messages.last_error.empty())
    notes += "messages failing: " + mask_numbers_in(messages.last_error) + "\n";
  {
    std::lock_guard lock(messaging_gaps_mutex_);
    for (const auto& gap : messaging_gaps_) notes += "messages: " + gap + "\n";
  }
  Answer answer;
  answer.response = problems.empty() ? text_response(200, "ready\n" + notes)
                                     : text_response(503, problems + notes);
  return answer;
}

Gauges DaemonCore::gauges() {
  Gauges g;
  g.contracts_loaded = contracts_loaded_;
  if (auto stats = store_->stats()) {
    g.active_calls = stats->active_calls;
    g.outbox_pending = stats->outbox_pending;
    g.outbox_dead = stats->outbox_dead;
  }
  if (exporter_) {
    const std::int64_t now = clock_().time_since_epoch().count();
    if (auto outbox = store_->outbox_status(now); outbox && outbox->oldest_pending_at)
      g.outbox_oldest_age_s = std::max<std::int64_t>(0, now - *outbox->oldest_pending_at);
    const ExportHealth odoo = exporter_->health();
    g.odoo = OdooGauges{odoo.reachable, odoo.sent, odoo.failed, odoo.dead, odoo.requests};
  }
  g.store_writable = static_cast<bool>(store_->check_writable());
  return g;
}

bool DaemonCore::events_token_ok(std::string_view authorization) const {
  if (events_token_.empty()) return false;
  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() < scheme.size()) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return false;
  }
  return secrets_equal(authorization.substr(scheme.size()), events_token_);
}

ReloadOutcome DaemonCore::reload() {
  std::lock_guard lock(reload_mutex_);
  if (reload_hooks_.begin) reload_hooks_.begin();
  ReloadOutcome outcome = reload_locked();
  if (reload_hooks_.end) reload_hooks_.end(outcome);
  return outcome;
}

ReloadOutcome DaemonCore::reload_locked() {
  ReloadOutcome outcome;
  auto loaded = load_workflows(config_.contracts.paths);
  if (!loaded) {
    outcome.errors = loaded.error();
    metrics_.reload(false);
    log_.warning(fmt::format("reload refused, keeping the {} contracts in service:",
                             contracts_loaded_.load()));
    for (const auto& line : outcome.errors) log_.warning("  " + line);
    return outcome;
  }
  std::vector<std::string> ids;
  for (const auto& w : loaded->workflows) ids.push_back(w.contract->workflow.id.value);
  outcome.contracts = static_cast<int>(ids.size());
  webhooks_.store(make_webhooks(std::move(loaded->workflows)));
  contract_ids_ = std::make_shared<const std::vector<std::string>>(ids);
  contracts_loaded_ = outcome.contracts;
  metrics_.reload(true);
  outcome.ok = true;
  log_.notice(fmt::format("reloaded {} contracts", outcome.contracts));
  return outcome;
}

void DaemonCore::sweep(std::chrono::seconds idle) {
  if (store_->health().writable()) replay_kept();  // anything a heal did not get to
  auto closed = store_->close_abandoned(clock_().time_since_epoch().count(), idle.count());
  if (!closed) {
    metrics_.store_error();
    log_.error("sweeping abandoned calls failed: " + closed.error());
    return;
  }
  if (*closed > 0) {
    metrics_.sweep_closed(*closed);
    log_.info(fmt::format("closed {} call(s) that never got a final status as abandoned", *closed));
  }
}
}  // namespace voiceops::host
