#pragma once
// The carrier's voice webhooks (DESIGN section 6) as plain functions from request to response:
//   POST /twilio/voice   a call arrives          POST /twilio/gather  speech or keypad result
//   POST /twilio/dial    a transfer's result     POST /twilio/status  the call's status changed
// Signatures are checked, the caller's workflow is chosen by number and hours, the engine runs,
// tool calls are made, the call's state is saved after every turn, and TwiML comes back.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contract/directory.hpp"
#include "contract/model.hpp"
#include "engine/dialogue.hpp"
#include "service/http_message.hpp"
#include "service/session_store.hpp"
#include "twilio/form.hpp"
#include "util/result.hpp"

namespace voiceops::service {

// What a tool call may know of the webhook being answered, without the carrier's format.
struct ToolContext {
  // Staging only: the test call's scripted outcomes for every system (the VoiceopsIntegrations
  // parameter, encoded); nullopt when the webhook carries none.
  std::optional<std::string> scripted_integrations;
};

// Runs the systems' operations a contract's call steps name ("odoo.helpdesk.ticket.create").
class ToolRunner {
 public:
  virtual ~ToolRunner() = default;
  virtual engine::ToolResult run(const engine::CallState& call, const engine::CallTool& tool,
                                 const ToolContext& context) = 0;
};

// Passes call summaries to staff outside the call's TwiML (texts, queue items, voicemail).
class Messenger {
 public:
  virtual ~Messenger() = default;
  virtual void notify(const engine::CallState& call, const engine::Notify& notice) = 0;
};

struct Workflow {
  std::shared_ptr<const contract::Contract> contract;
  std::shared_ptr<const contract::Directory> directory;  // Ops line only
};

// Why a call was answered with the human fallback instead of the engine (a metric label).
enum class FallbackReason {
  unknown_call,         // a webhook for a CallSid the store has never seen
  store_error,          // the store could not be read
  state_unreadable,     // the saved state did not deserialize
  workflow_not_loaded,  // the call's workflow is gone after a reload
  no_workflow,          // no workflow answers this number at this time
  internal_error,       // an exception or a 5xx in the handler (reported by the host)
};
const char* to_string(FallbackReason reason);

// What the host wants to hear about as calls go (metrics, live events, logs). Called on the
// thread that handles the webhook.
struct ServiceEvent {
  enum class Kind {
    call_started,
    turn,
    escalation,      // detail: the row's trigger
    call_ended,      // detail: the outcome
    call_finalized,  // detail: the carrier's final status
    fallback,        // detail: why the engine could not answer normally
    signature_failure,
    store_error,   // detail: the store's message
    late_webhook,  // detail: after_end, during_transfer or duplicate (a late or retried webhook)
  };
  Kind kind;
  std::string call_id;
  std::string workflow;
  std::string detail;
  FallbackReason reason = FallbackReason::internal_error;  // for Kind::fallback
};

class ServiceObserver {
 public:
  virtual ~ServiceObserver() = default;
  virtual void on_event(const ServiceEvent& event) = 0;
};

struct CallServiceOptions {
  std::string public_url;  // what the carrier signs against, e.g. "https://voice.example.com"
  std::string auth_token;
  bool validate_signatures = true;
  std::function<std::chrono::sys_seconds()> clock;  // now, UTC
  ServiceObserver* observer = nullptr;              // optional; not owned
};

// A webhook answered but not yet written: the host commits `writes` (SessionStore::commit),
// tells the service how that went (committed), and only then sends `response`.
struct Prepared {
  HttpResponse response;
  std::vector<StoreWrite> writes;
};

class CallService {
 public:
  CallService(std::vector<Workflow> workflows, SessionStore& sessions, ToolRunner& tools,
              Messenger& messenger, CallServiceOptions options);

  // Answers a webhook and commits what it wrote before returning.
  HttpResponse handle(const HttpRequest& request);

  // The same in two steps, for a host that commits many webhooks' writes together. The host must
  // not prepare a call's next webhook before this one's writes are committed.
  Prepared prepare(const HttpRequest& request);
  // The same, for a host that has decoded the request's form already (`form` is that result).
  Prepared prepare(const HttpRequest& request,
                   const Result<twilio::FormParams, twilio::FormError>& form);
  // Tells the observer what the committed `writes` did: calls started, turns, escalations, calls
  // ended and finalised, and store errors.
  void committed(const std::vector<StoreWrite>& writes,
                 const std::vector<WriteResult>& results) const;

  // Never dead air: the contract's human fallback (a transfer when someone is staffed, else a
  // message) for the number called, without the engine. For when the normal path failed.
  HttpResponse fallback_answer(const HttpRequest& request, FallbackReason reason,
                               const std::string& detail = {}) const;
  // The same, for a webhook whose form is already decoded (a commit that failed).
  HttpResponse fallback_answer(const twilio::FormParams& form, FallbackReason reason,
                               const std::string& detail = {}) const;

  // For reports: the call's saved state and its staff summary.
  std::optional<engine::CallState> call_state(const std::string& call_id);
  std::string summary(const engine::CallState& state) const;

 private:
  struct Loaded;
  using Writes = std::vector<StoreWrite>;
  HttpResponse on_voice(const twilio::FormParams& form, Writes& writes);
  HttpResponse on_gather(const twilio::FormParams& form, Writes& writes, const std::string& token);
  HttpResponse on_dial(const twilio::FormParams& form, Writes& writes, const std::string& token);
  HttpResponse on_status(const twilio::FormParams& form, Writes& writes);
  HttpResponse run_event(const twilio::FormParams& form, const engine::Event& event, Writes& writes,
                         const std::string& token = {});
  void observe(ServiceEvent::Kind kind, const std::string& call_id, const std::string& workflow,
               std::string detail = {}) const;
  void observe_fallback(FallbackReason reason, const std::string& call_id,
                        const std::string& workflow, std::string detail) const;
  const Workflow* select_workflow(const std::string& to, std::chrono::sys_seconds now) const;
  const Workflow* workflow_of(const engine::CallState& state) const;
  const engine::Dialogue* dialogue_of(const Workflow& workflow) const;
  HttpResponse render(const engine::CallState& state,
                      const std::vector<engine::Action>& actions) const;
  HttpResponse apology(const std::string& text) const;
  HttpResponse still_transferring(const Workflow& workflow, const engine::CallState& state) const;

  std::vector<Workflow> workflows_;
  std::vector<std::unique_ptr<engine::Dialogue>> dialogues_;  // one per workflow, same order
  SessionStore& sessions_;
  ToolRunner& tools_;
  Messenger& messenger_;
  CallServiceOptions options_;
};

}  // namespace voiceops::service
