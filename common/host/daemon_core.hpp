#pragma once
// Everything voiceopsd does except speak HTTP and talk to systemd: it holds the configuration, the
// store, the loaded workflows behind the webhook handlers, metrics and live events, and answers
// the control socket's JSON commands. The Beast server in daemon/ is a thin shell around it,
// so tests can drive all of this without a socket.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/exit_status.hpp"
#include "base/result.hpp"
#include "carrier/webhooks.hpp"
#include "config/config.hpp"
#include "control/requests.hpp"
#include "host/export_worker.hpp"
#include "host/live_events.hpp"
#include "host/log.hpp"
#include "host/message_worker.hpp"
#include "host/metrics.hpp"
#include "ops/odoo_tools.hpp"
#include "store/call_store.hpp"
#include "store/rollback_store.hpp"

namespace voiceops::host {

// Staging only: GET /testing/calls/<CallSid> (see testing_call_state).
inline constexpr std::string_view testing_calls_prefix = "/testing/calls/";

struct StartupError {
  ExitStatus status = ExitStatus::config;
  std::vector<std::string> lines;  // what to print, one problem per line
};

struct ReloadOutcome {
  bool ok = false;
  int contracts = 0;
  std::vector<std::string> errors;
};

// An HTTP answer with any extra headers the core wants sent.
struct Answer {
  carrier::HttpResponse response;
  std::vector<std::pair<std::string, std::string>> headers;
};

class DaemonCore final : public calls::Observer {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;

  // `shared_memory_faults`: the counter voiceopsd's SIGBUS handler counts up (see store::
  // StoreOptions); null where no handler is installed (tests).
  static Result<std::unique_ptr<DaemonCore>, StartupError> start(
      const config::Config& config, const config::Environment& environment, Log& log,
      Clock clock = {}, const std::atomic<std::uint64_t>* shared_memory_faults = nullptr);
  ~DaemonCore() override;

  using Respond = std::function<void(Answer)>;
  // Carrier webhooks, /healthz, /readyz, /metrics. Calls `respond` exactly once: at once, or for
  // a webhook once its turn is committed (on the store's writer thread). Webhooks for one call
  // are answered one after another, in order. Never throws; never a 5xx for a webhook, except
  // a status callback the store could not take (503, so the carrier may retry).
  void handle_http(carrier::HttpRequest request, Respond respond);
  // True for requests that may wait on the disk or on another system (readiness, and webhooks
  // once tool calls reach real systems): the server runs these off its event loop.
  bool may_block(const carrier::HttpRequest& request) const;
  bool webhooks_may_block() const;
  // Where a call's next webhook runs when the one before it was committed (the server's
  // executor); by default, on the thread that committed.
  using Post = std::function<void(std::function<void()>)>;
  void set_post(Post post) { post_ = std::move(post); }
  // Waits until every turn handed to the store is committed and answered.
  void flush() { store_->flush(); }
  // At shutdown, after flush(): forgets webhooks still waiting behind their call's last one (their
  // connections are closing; running them would keep turns nobody hears the answer to).
  void drop_waiting();
  // GET /events is a WebSocket; the server asks whether its bearer token is right.
  bool events_enabled() const { return !events_token_.empty(); }
  bool events_token_ok(std::string_view authorization_header) const;
  LiveEvents& live_events() { return live_events_; }
  // Requests the HTTP layer answered itself (431, 413, 400, 401, 426): counted like the rest.
  void count_refused(int status) { metrics_.http_request(status); }
  void count_accept_failure() { metrics_.accept_failure(); }

  // Validates the configured contracts, then swaps them in; on any error the old set stays.
  ReloadOutcome reload();
  // Told before and after every reload, whatever asked for it (systemd's RELOADING/READY).
  struct ReloadHooks {
    std::function<void()> begin;
    std::function<void(const ReloadOutcome&)> end;
  };
  void set_reload_hooks(ReloadHooks hooks) { reload_hooks_ = std::move(hooks); }
  int contracts_loaded() const { return contracts_loaded_; }
  // Closes calls that have heard nothing for `idle` as abandoned.
  void sweep(std::chrono::seconds idle);

  // One JSON request line in (control/requests.hpp), one JSON response line out.
  std::string handle_control(std::string_view line);
  std::string status_json();

  const config::Config& config() const { return config_; }
  Log& log() { return log_; }

  void on_event(const calls::Observation& event) override;

 private:
  class Tools;
  class Messages;
  DaemonCore(config::Config config, Log& log, Clock clock);
  std::shared_ptr<carrier::Webhooks> make_webhooks(std::vector<calls::Workflow> workflows);
  Answer answer_now(const carrier::HttpRequest& request);
  void handle_webhook(carrier::HttpRequest request, Respond respond);
  using WebhookForm = Result<carrier::FormParams, carrier::FormError>;
  void run_webhook(carrier::HttpRequest request, const WebhookForm& form, Respond respond,
                   const std::string& call_id);
  void call_answered(const std::string& call_id);
  std::string answer_control(const control::StatusRequest&);
  std::string answer_control(const control::ReloadRequest&);
  std::string answer_control(const control::CallsListRequest&);
  std::string answer_control(const control::CallsShowRequest&);
  std::string answer_control(const control::RollbackRequest&);
  // A status callback whose writes could not be committed: kept, and written again once the
  // store takes writes (the carrier is also told to retry, with a 503).
  void keep_for_replay(std::vector<calls::StoreWrite> writes);
  void replay_kept();
  void replay_kept_later();
  void store_health_changed(bool writable, const std::string& cause);
  ReloadOutcome reload_locked();
  Answer readiness();
  Answer testing_call_state(const carrier::HttpRequest& request);
  Gauges gauges();
  // Messages to staff (host/messaging.cpp): the worker from [twilio] and [email]; a text page
  // during a call; the carrier's delivery report on a text (POST /twilio/message-status).
  std::optional<StartupError> start_messaging(const config::Environment& environment);
  engine::ToolResult send_text_page(const engine::CallState& call,
                                    const contract::Contract& contract,
                                    const contract::ToolCallMapping& mapping,
                                    const std::string& summary, std::chrono::milliseconds budget);
  Answer answer_message_status(const carrier::HttpRequest& request);
  // What the workflows promise that no configured channel can send: one line each.
  std::vector<std::string> messaging_gaps(const std::vector<calls::Workflow>& workflows) const;
  // The Odoo export's state for `daemon status` (null without [odoo]).
  nlohmann::json odoo_status();
  // The message worker's state for `daemon status`.
  nlohmann::json messages_status();

  config::Config config_;
  Log& log_;
  Clock clock_;
  std::string auth_token_;
  std::string events_token_;
  std::unique_ptr<store::CallStore> store_;
  std::unique_ptr<ExportWorker> exporter_;  // null without [odoo]; stops before the store closes
  std::unique_ptr<ops::OdooTools> odoo_tools_;  // live tool calls; null without [odoo]
  std::unique_ptr<Tools> tools_;
  std::unique_ptr<Messages> messages_;
  Metrics metrics_;
  // Texts and emails to staff; stopped before the store closes. Null only before start.
  std::unique_ptr<MessageWorker> message_worker_;
  std::optional<connectors::twilio::RestSettings> text_settings_;  // none: texts not set up
  ops::MessageRouting message_routing_;
  LiveEvents live_events_;
  std::chrono::steady_clock::time_point started_;

  std::mutex reload_mutex_;
  ReloadHooks reload_hooks_;
  std::atomic<std::shared_ptr<carrier::Webhooks>> webhooks_;
  std::atomic<int> contracts_loaded_{0};
  std::shared_ptr<const std::vector<std::string>> contract_ids_;  // guarded by reload_mutex_
  // Read by every /readyz, which must not wait for a reload's contracts to load: a lock of its own.
  mutable std::mutex messaging_gaps_mutex_;
  std::vector<std::string> messaging_gaps_;  // guarded by messaging_gaps_mutex_

  // Webhooks for one call are handled one at a time, each after the last one's commit (a status
  // callback can race a gather): calls with one in progress, and what waits behind it.
  std::mutex busy_calls_mutex_;
  std::unordered_map<std::string, std::vector<std::function<void()>>> busy_calls_;
  Post post_;

  std::mutex kept_mutex_;  // guards kept_
  std::vector<std::vector<calls::StoreWrite>> kept_;
  static constexpr std::size_t max_kept = 10000;
};

}  // namespace voiceops::host
