#include "daemon/daemon_core.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "daemon/workflow_loader.hpp"
#include "service/scripted_integrations.hpp"
#include "twilio/form.hpp"
#include "twilio/signature.hpp"
#include "util/mask.hpp"
#include "version.hpp"

namespace voiceops::daemon {
namespace {

using nlohmann::json;

service::HttpResponse text_response(int status, std::string body,
                                    std::string content_type = "text/plain; charset=utf-8") {
  service::HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

// The last resort when even the fallback could not be built: still spoken TwiML, never a 5xx.
service::HttpResponse static_apology() {
  return text_response(
      200,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Say>Sorry, something "
      "went wrong on our side. Please call us back.</Say><Hangup/></Response>\n",
      "text/xml; charset=utf-8");
}

std::string short_id(std::string_view call_id) {
  return std::string(call_id.substr(0, 40));
}

json call_json(const store::CallRow& c) {
  json j = {{"id", c.id},
            {"workflow", c.workflow},
            {"caller", c.caller},
            {"called", c.called},
            {"status", c.status},
            {"phase", c.phase},
            {"started_at", c.started_at},
            {"updated_at", c.updated_at},
            {"after_hours", c.after_hours},
            {"turns", c.turns},
            {"summary", c.summary}};
  const auto put = [&](const char* key, const auto& optional) {
    j[key] = optional ? json(*optional) : json(nullptr);
  };
  put("ended_at", c.ended_at);
  put("duration_s", c.duration_s);
  put("intent", c.intent);
  put("outcome", c.outcome);
  put("event", c.event);
  put("escalation", c.escalation);
  put("destination", c.destination);
  put("cost", c.cost);
  return j;
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string error_json(std::string_view message) {
  return dump(json{{"ok", false}, {"error", message}});
}

}  // namespace

// Tool calls on live calls. Connectors to real systems come with their own issue; until then a
// tool call fails and the contract's tool-failure row takes over (the caller hears its promise).
class DaemonCore::Tools final : public service::ToolRunner {
 public:
  explicit Tools(DaemonCore& core) : core_(core) {}

  // Whether a tool call may wait on the network. Not yet: no connector to a real system exists,
  // and scripted outcomes answer at once. Connectors will make this true, and webhooks then run
  // off the event loop.
  bool may_block() const { return false; }

  engine::ToolResult run(const engine::CallState& call, const engine::CallTool& tool,
                         const twilio::FormParams& webhook) override {
    if (core_.config_.testing.scripted_integrations) {
      if (const std::string* script =
              twilio::find_param(webhook, service::scripted_integrations_param)) {
        if (auto outcomes = service::decode_scripted_outcomes(*script)) {
          return service::answer_from_script(*outcomes, tool).result;
        } else {
          core_.log_.warning(fmt::format("call {}: ignoring malformed {}: {}",
                                         short_id(call.call_id),
                                         service::scripted_integrations_param, outcomes.error()));
        }
      }
    }
    core_.log_.warning(
        fmt::format("call {}: no connector for {} is configured; following the "
                    "tool-failure path",
                    short_id(call.call_id), tool.name));
    return {tool.name, engine::ToolStatus::error, "no connector configured"};
  }

 private:
  DaemonCore& core_;
};

// Summaries handed to staff outside the call. Delivery (texts, queues) comes with the messaging
// connectors; the store keeps every notice as a call event, and the log says where it went.
class DaemonCore::Messages final : public service::Messenger {
 public:
  explicit Messages(DaemonCore& core) : core_(core) {}
  void notify(const engine::CallState& call, const engine::Notify& notice) override {
    const std::string address =
        notice.kind == "queue" ? notice.address : mask_phone(notice.address);
    core_.log_.notice(fmt::format("call {}: summary for {} ({} {})", short_id(call.call_id),
                                  notice.destination, notice.kind, address));
  }

 private:
  DaemonCore& core_;
};

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
  if (store_) {
    store_->health().on_change({});  // waits for a health callback in progress
    store_->flush();
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
  core->tools_ = std::make_unique<Tools>(*core);
  core->messages_ = std::make_unique<Messages>(*core);

  std::vector<std::string> ids;
  for (const auto& w : loaded->workflows) ids.push_back(w.contract->workflow.id.value);
  core->contract_ids_ = std::make_shared<const std::vector<std::string>>(ids);
  core->contracts_loaded_ = static_cast<int>(loaded->workflows.size());
  core->service_.store(core->make_service(std::move(loaded->workflows)));

  for (const auto& w : ids) log.info(fmt::format("workflow {} loaded", w));
  return core;
}

std::shared_ptr<service::CallService> DaemonCore::make_service(
    std::vector<service::Workflow> workflows) {
  service::CallServiceOptions options;
  options.public_url = config_.server.public_url;
  options.auth_token = auth_token_;
  options.validate_signatures = config_.twilio.validate_signatures;
  options.clock = clock_;
  options.observer = this;
  return std::make_shared<service::CallService>(std::move(workflows), *store_, *tools_, *messages_,
                                                options);
}

bool DaemonCore::webhooks_may_block() const {
  return tools_->may_block();
}

bool DaemonCore::may_block(const service::HttpRequest& request) const {
  const std::string_view path = request.path();
  // Both take the store's write lock to see that it is writable.
  if (path == "/readyz" || path == "/metrics") return true;
  return path.starts_with("/twilio/") && webhooks_may_block();
}

void DaemonCore::handle_http(service::HttpRequest request, Respond respond) {
  if (request.path().starts_with("/twilio/"))
    return handle_webhook(std::move(request), std::move(respond));
  respond(answer_now(request));
}

Answer DaemonCore::answer_now(const service::HttpRequest& request) {
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

void DaemonCore::handle_webhook(service::HttpRequest request, Respond respond) {
  auto form = twilio::decode_form(request.body);  // once: the handler is given it too
  std::string call_id;
  if (form) {
    if (const std::string* sid = twilio::find_param(*form, "CallSid")) call_id = *sid;
  }
  if (!call_id.empty()) {
    std::lock_guard lock(busy_calls_mutex_);
    auto [waiting, first] = busy_calls_.try_emplace(call_id);
    if (!first) {
      waiting->second.push_back([this, request = std::move(request), respond = std::move(respond),
                                 form = std::move(form), call_id]() mutable {
        run_webhook(std::move(request), form, std::move(respond), call_id);
      });
      return;
    }
  }
  run_webhook(std::move(request), form, std::move(respond), call_id);
}

// Prepares the answer (engine, tool calls) here, then hands the turn to the store's writer; the
// answer goes out from the writer's thread once the turn is committed. Whatever fails, the
// caller gets an answer and the call's next webhook is let through.
void DaemonCore::run_webhook(service::HttpRequest request, const WebhookForm& form, Respond respond,
                             const std::string& call_id) {
  const auto began = std::chrono::steady_clock::now();
  std::shared_ptr<service::CallService> service = service_.load();
  Answer answer;
  std::vector<service::StoreWrite> writes;
  try {
    if (form && twilio::find_param(*form, service::scripted_integrations_param)) {
      answer.headers.push_back({"X-Voiceops-Scripted-Integrations",
                                config_.testing.scripted_integrations ? "honoured" : "ignored"});
    }
    service::Prepared prepared = service->prepare(request, form);
    answer.response = std::move(prepared.response);
    writes = std::move(prepared.writes);
    if (answer.response.status >= 500) {
      writes.clear();
      answer.response = service->fallback_answer(request, service::FallbackReason::internal_error,
                                                 "a 5xx from the handler");
    }
  } catch (const std::exception& e) {
    writes.clear();
    try {
      log_.error(
          fmt::format("call {}: {} failed: {}", short_id(call_id), request.path(), e.what()));
      answer.response = service->fallback_answer(request, service::FallbackReason::internal_error,
                                                 "an exception (logged above)");
    } catch (...) {
      answer.response = static_apology();
    }
  } catch (...) {
    writes.clear();
    answer.response = static_apology();
  }
  // Shared, so the answer still goes out if handing the writes to the store fails.
  auto send = std::make_shared<std::function<void(Answer)>>(
      [this, respond = std::move(respond), call_id, began,
       endpoint = std::string(request.path())](Answer answer) mutable {
        try {
          metrics_.webhook(endpoint, answer.response.status,
                           std::chrono::steady_clock::now() - began);
          respond(std::move(answer));
        } catch (...) {
          // Out of memory: the connection times out, but the call's next webhooks must not wait
          // behind this one forever.
        }
        call_answered(call_id);
      });
  if (writes.empty()) return (*send)(std::move(answer));
  const bool status_callback = request.path() == "/twilio/status";
  try {
    auto params = std::make_shared<twilio::FormParams>(form ? *form : twilio::FormParams{});
    auto pending = std::make_shared<Answer>(std::move(answer));
    store_->commit(std::move(writes), [this, service, send, pending, params, status_callback](
                                          std::vector<service::StoreWrite> committed,
                                          std::vector<service::WriteResult> results) {
      std::string failure;
      for (const auto& result : results)
        if (!result && failure.empty()) failure = result.error();
      try {
        if (failure.empty()) {
          service->committed(committed, results);
          return (*send)(std::move(*pending));
        }
        // Every answer follows its commit: a turn that is not in the store is not answered as
        // if it were, nor told to staff. What did go in is told; what did not is counted.
        std::vector<service::StoreWrite> kept, done;
        std::vector<service::WriteResult> done_results;
        for (std::size_t i = 0; i < committed.size() && i < results.size(); ++i) {
          if (results[i]) {
            done.push_back(std::move(committed[i]));
            done_results.push_back(results[i]);
          } else {
            std::string id;
            if (const auto* turn = std::get_if<service::TurnRecord>(&committed[i])) {
              id = turn->state.call_id;
              // Staff are still told of a turn that was not kept (a safety page above all):
              // a possible emergency is never dropped. A status callback's are told on replay.
              if (!status_callback) {
                for (const engine::Notify& notice : turn->notices)
                  messages_->notify(turn->state, notice);
              }
            } else {
              id = std::get<service::CallFinish>(committed[i]).call_id;
            }
            on_event(
                {service::ServiceEvent::Kind::store_error, id, std::string(), results[i].error()});
            kept.push_back(std::move(committed[i]));
          }
        }
        if (!done.empty()) service->committed(done, done_results);
        if (status_callback) {
          // The carrier is told to retry; meanwhile the writes that failed are kept, and their
          // staff notices go out when they are written.
          keep_for_replay(std::move(kept));
          Answer retry;
          retry.response = text_response(503, "the store is not writable; retry\n");
          retry.headers.push_back({"Retry-After", "5"});
          return (*send)(std::move(retry));
        }
        Answer fallback;
        fallback.response =
            service->fallback_answer(*params, service::FallbackReason::store_error, failure);
        return (*send)(std::move(fallback));
      } catch (...) {
        Answer apology;
        apology.response = static_apology();
        return (*send)(std::move(apology));
      }
    });
  } catch (...) {
    // Out of memory queueing the turn: nothing was committed, so no normal answer either.
    Answer apology;
    apology.response = static_apology();
    (*send)(std::move(apology));
  }
}

void DaemonCore::keep_for_replay(std::vector<service::StoreWrite> writes) {
  std::lock_guard lock(kept_mutex_);
  if (kept_.size() >= max_kept) {
    log_.error(fmt::format("{} status callbacks are waiting for the store; dropping the oldest",
                           kept_.size()));
    kept_.erase(kept_.begin());
  }
  kept_.push_back(std::move(writes));
  // The store may have healed between the failure and now: then nothing would replay these.
  if (store_->health().writable()) replay_kept_later();
}

// Replays on the next webhook thread rather than inside the writer's callback that kept them.
void DaemonCore::replay_kept_later() {
  if (post_) {
    post_([this] { replay_kept(); });
  } else {
    replay_kept();
  }
}

// Writes kept while the store was faulted go in once it takes writes again; any that fail
// again are kept again. A repeated status (the carrier retried meanwhile) changes nothing.
void DaemonCore::replay_kept() {
  std::vector<std::vector<service::StoreWrite>> kept;
  {
    std::lock_guard lock(kept_mutex_);
    kept.swap(kept_);
  }
  if (kept.empty()) return;
  log_.notice(
      fmt::format("writing {} status callback(s) kept while the store was faulted", kept.size()));
  std::shared_ptr<service::CallService> service = service_.load();
  for (auto& writes : kept) {
    store_->commit(std::move(writes), [this, service](std::vector<service::StoreWrite> committed,
                                                      std::vector<service::WriteResult> results) {
      std::vector<service::StoreWrite> again, done;
      std::vector<service::WriteResult> done_results;
      for (std::size_t i = 0; i < committed.size() && i < results.size(); ++i) {
        if (results[i]) {
          done.push_back(std::move(committed[i]));
          done_results.push_back(results[i]);
        } else {
          again.push_back(std::move(committed[i]));
        }
      }
      try {
        if (!done.empty()) service->committed(done, done_results);
      } catch (...) {
      }
      if (!again.empty()) {
        std::lock_guard lock(kept_mutex_);
        kept_.push_back(std::move(again));  // a later heal, or the next sweep, tries again
      }
    });
  }
}

// Said once per change, with the cause: a full disk fails every call's write, and the log must
// not say so once per call.
void DaemonCore::store_health_changed(bool writable, const std::string& cause) {
  if (writable) {
    log_.notice("the store takes writes again; calls are answered normally");
    replay_kept();
    return;
  }
  metrics_.store_fault();
  log_.error("store fault: " + cause +
             "; callers get the human fallback and /readyz answers 503 until a write succeeds");
}

void DaemonCore::drop_waiting() {
  std::lock_guard lock(busy_calls_mutex_);
  busy_calls_.clear();
}

// The call's webhook was answered: the next one waiting for this call, if any, runs now.
void DaemonCore::call_answered(const std::string& call_id) {
  if (call_id.empty()) return;
  std::function<void()> next;
  {
    std::lock_guard lock(busy_calls_mutex_);
    auto waiting = busy_calls_.find(call_id);
    if (waiting == busy_calls_.end()) return;
    if (waiting->second.empty()) {
      busy_calls_.erase(waiting);
      return;
    }
    next = std::move(waiting->second.front());
    waiting->second.erase(waiting->second.begin());
  }
  if (post_) {
    post_(std::move(next));
  } else {
    next();
  }
}

// Staging only ([testing] scripted_integrations = true): what the engine knows about a call, so
// `voiceops testcalls run --target` can check slots, outcome and summary as it does in-process.
// Signed like a webhook (the URL, no parameters) with the carrier's auth token.
Answer DaemonCore::testing_call_state(const service::HttpRequest& request) {
  Answer answer;
  if (request.method != "GET") {
    answer.response = text_response(405, "use GET\n");
    return answer;
  }
  if (config_.twilio.validate_signatures) {
    const auto check =
        twilio::verify_signature(auth_token_, config_.server.public_url + request.target, {},
                                 request.header("X-Twilio-Signature"));
    if (!check.valid) {
      metrics_.signature_failure();
      answer.response = text_response(403, "invalid X-Twilio-Signature\n");
      return answer;
    }
  }
  const std::string call_id(request.path().substr(testing_calls_prefix.size()));
  std::shared_ptr<service::CallService> service = service_.load();
  auto state = service->call_state(call_id);
  if (!state) {
    answer.response = text_response(404, "no call " + call_id + "\n");
    return answer;
  }
  json slots = json::object();
  for (const auto& [name, slot] : state->slots) slots[name] = slot.value;
  json body = {
      {"call", state->call_id},
      {"workflow", state->workflow},
      {"after_hours", state->after_hours},
      {"intent", state->intent},
      {"outcome", state->outcome ? json(engine::to_string(*state->outcome)) : json(nullptr)},
      {"event", state->event},
      {"slots", slots},
      {"transfer_destination", state->transfer_destination},
      {"turns", state->turns},
      {"escalation_rows", state->escalations},
      {"summary", service->summary(*state)}};
  answer.response = text_response(200, dump(body) + "\n", "application/json");
  return answer;
}

Answer DaemonCore::readiness() {
  std::string problems;
  if (contracts_loaded_ == 0) problems += "no contracts loaded\n";
  if (auto writable = store_->check_writable(); !writable)
    problems += "store not writable: " + writable.error() + "\n";
  Answer answer;
  answer.response = problems.empty() ? text_response(200, "ready\n") : text_response(503, problems);
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
  const std::string_view given = authorization.substr(scheme.size());
  // Constant time in the token's length: no early exit on the first wrong byte.
  unsigned difference = given.size() == events_token_.size() ? 0 : 1;
  for (std::size_t i = 0; i < events_token_.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned char>(g ^ events_token_[i]);
  }
  return difference == 0;
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
  service_.store(make_service(std::move(loaded->workflows)));
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

void DaemonCore::on_event(const service::ServiceEvent& event) {
  using Kind = service::ServiceEvent::Kind;
  const std::int64_t at = clock_().time_since_epoch().count();
  const std::string id = short_id(event.call_id);
  switch (event.kind) {
    case Kind::call_started:
      metrics_.call_started(event.workflow);
      live_events_.publish("started", event.call_id, event.workflow, "", at);
      log_.info(fmt::format("call {}: answered by workflow {}", id, event.workflow));
      break;
    case Kind::turn: live_events_.publish("turn", event.call_id, event.workflow, "", at); break;
    case Kind::escalation:
      metrics_.escalation(event.workflow, event.detail);
      live_events_.publish("escalation", event.call_id, event.workflow, event.detail, at);
      log_.notice(fmt::format("call {}: escalation {}", id, event.detail));
      break;
    case Kind::call_ended:
      metrics_.call_ended(event.workflow, event.detail);
      live_events_.publish("ended", event.call_id, event.workflow, event.detail, at);
      log_.info(fmt::format("call {}: ended, {}", id, event.detail));
      break;
    case Kind::call_finalized:
      metrics_.call_finalized(event.detail);
      live_events_.publish("finalized", event.call_id, event.workflow, event.detail, at);
      break;
    case Kind::fallback:
      metrics_.fallback(service::to_string(event.reason));
      // While a store fault is in force it was logged once with its cause; each call it sends
      // to the fallback is a short line, not the cause again.
      if (event.reason == service::FallbackReason::store_error && !store_->health().writable()) {
        log_.info(fmt::format("call {}: human fallback (store fault in force)", id));
        break;
      }
      log_.warning(fmt::format("call {}: human fallback without the engine: {}{}{}", id,
                               service::to_string(event.reason), event.detail.empty() ? "" : ": ",
                               event.detail));
      break;
    case Kind::signature_failure:
      metrics_.signature_failure();
      log_.warning(
          fmt::format("refused a webhook with a bad X-Twilio-Signature (call {}); check "
                      "[server] public_url against the URL the carrier calls",
                      id.empty() ? "?" : id));
      break;
    case Kind::late_webhook:
      metrics_.late_webhook(event.detail);
      log_.info(fmt::format("call {}: a late or repeated webhook ({})", id, event.detail));
      break;
    case Kind::store_error:
      metrics_.store_error();
      if (!store_->health().writable()) break;  // the fault's own line says why
      log_.error(fmt::format("call {}: store: {}", id, event.detail));
      break;
  }
}

std::string DaemonCore::status_json() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(reload_mutex_);
    if (contract_ids_) ids = *contract_ids_;
  }
  json j = {{"ok", true},
            {"version", version_string},
            {"pid", static_cast<long>(getpid())},
            {"uptime_s", std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::steady_clock::now() - started_)
                             .count()},
            {"listen", config_.server.listen},
            {"store", store_->path()},
            {"contracts", ids},
            {"signature_validation", config_.twilio.validate_signatures},
            {"scripted_integrations", config_.testing.scripted_integrations},
            {"events_subscribers", live_events_.subscribers()}};
  if (auto stats = store_->stats()) {
    j["active_calls"] = stats->active_calls;
    j["export_queue"] = {{"pending", stats->outbox_pending}, {"dead", stats->outbox_dead}};
  } else {
    j["store_error"] = stats.error();
  }
  return dump(j);
}

std::string DaemonCore::handle_control(std::string_view request) {
  json parsed = json::parse(request, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("command") ||
      !parsed["command"].is_string()) {
    return error_json("the request is not a JSON object with a \"command\"");
  }
  const std::string command = parsed["command"];
  if (command == "status") return status_json();
  if (command == "reload") {
    const ReloadOutcome outcome = reload();
    return dump(
        json{{"ok", outcome.ok}, {"contracts", outcome.contracts}, {"errors", outcome.errors}});
  }
  if (command == "calls.list") {
    store::CallQuery query;
    if (parsed.contains("since") && parsed["since"].is_number_integer())
      query.since = parsed["since"].get<std::int64_t>();
    if (parsed.contains("active") && parsed["active"].is_boolean())
      query.active_only = parsed["active"].get<bool>();
    if (parsed.contains("limit")) {
      // The CLI's range (voiceops calls list --limit), held here too for other clients.
      const json& limit = parsed["limit"];
      if (!limit.is_number_integer() || limit.get<std::int64_t>() < 1 ||
          limit.get<std::int64_t>() > 100000)
        return error_json("\"limit\" must be an integer from 1 to 100000");
      query.limit = limit.get<int>();
    }
    auto calls = store_->list_calls(query);
    if (!calls) return error_json("store: " + calls.error());
    json list = json::array();
    for (const auto& c : *calls) list.push_back(call_json(c));
    return dump(json{{"ok", true}, {"calls", list}});
  }
  if (command == "calls.show") {
    if (!parsed.contains("call") || !parsed["call"].is_string())
      return error_json("calls.show needs \"call\"");
    const std::string id = parsed["call"];
    auto detail = store_->show_call(id);
    if (!detail) return error_json("store: " + detail.error());
    if (!*detail) return dump(json{{"ok", false}, {"error", "no call " + id}, {"not_found", true}});
    json call = call_json((*detail)->call);
    json transcript = json::array();
    for (const auto& line : (*detail)->transcript)
      transcript.push_back({{"at", line.at}, {"speaker", line.speaker}, {"text", line.text}});
    json events = json::array();
    for (const auto& e : (*detail)->events)
      events.push_back({{"at", e.at}, {"kind", e.kind}, {"detail", e.detail}});
    call["transcript"] = transcript;
    call["events"] = events;
    return dump(json{{"ok", true}, {"call", call}});
  }
  return error_json("unknown command \"" + command + "\"");
}

}  // namespace voiceops::daemon
