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
#include "twilio/form.hpp"
#include "util/result.hpp"

namespace voiceops::service {

// Where call states live between webhooks (memory in the test runner, SQLite in the daemon).
class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Result<std::optional<std::string>, std::string> load(const std::string& call_id) = 0;
  virtual Result<bool, std::string> save(const std::string& call_id, const std::string& state) = 0;
};

class MemorySessionStore final : public SessionStore {
 public:
  Result<std::optional<std::string>, std::string> load(const std::string& call_id) override;
  Result<bool, std::string> save(const std::string& call_id, const std::string& state) override;

 private:
  std::vector<std::pair<std::string, std::string>> states_;
};

// Runs the systems' operations a contract's call steps name ("odoo.helpdesk.ticket.create").
class ToolRunner {
 public:
  virtual ~ToolRunner() = default;
  virtual engine::ToolResult run(const engine::CallState& call, const engine::CallTool& tool) = 0;
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

struct CallServiceOptions {
  std::string public_url;  // what the carrier signs against, e.g. "https://voice.example.com"
  std::string auth_token;
  bool validate_signatures = true;
  std::function<std::chrono::sys_seconds()> clock;  // now, UTC
};

class CallService {
 public:
  CallService(std::vector<Workflow> workflows, SessionStore& sessions, ToolRunner& tools,
              Messenger& messenger, CallServiceOptions options);

  HttpResponse handle(const HttpRequest& request);

  // For reports: the call's saved state and its staff summary.
  std::optional<engine::CallState> call_state(const std::string& call_id);
  std::string summary(const engine::CallState& state) const;

 private:
  struct Loaded;
  HttpResponse on_voice(const twilio::FormParams& form);
  HttpResponse on_gather(const twilio::FormParams& form);
  HttpResponse on_dial(const twilio::FormParams& form);
  HttpResponse on_status(const twilio::FormParams& form);
  HttpResponse run_event(const std::string& call_id, const engine::Event& event);
  const Workflow* select_workflow(const std::string& to, std::chrono::sys_seconds now) const;
  const Workflow* workflow_of(const engine::CallState& state) const;
  const engine::Dialogue* dialogue_of(const Workflow& workflow) const;
  HttpResponse render(const engine::CallState& state,
                      const std::vector<engine::Action>& actions) const;
  HttpResponse apology(const std::string& text) const;

  std::vector<Workflow> workflows_;
  std::vector<std::unique_ptr<engine::Dialogue>> dialogues_;  // one per workflow, same order
  SessionStore& sessions_;
  ToolRunner& tools_;
  Messenger& messenger_;
  CallServiceOptions options_;
};

}  // namespace voiceops::service
