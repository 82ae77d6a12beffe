#pragma once
// A call, turn by turn, in the carrier's absence: the request's event is taken to the call's
// saved state, the workflow's dialogue runs with its tool calls, what the turn wrote is prepared
// for the store, and a Reply says what the caller hears next. Late and retried requests are
// answered without running the engine twice; whatever fails, the caller gets the contract's human
// fallback, never dead air. The carrier layer (carrier/webhooks.hpp) decodes requests into
// CallInput and renders Reply; this layer knows neither forms nor TwiML.
#include <optional>
#include <string>
#include <vector>

#include "calls/observer.hpp"
#include "calls/ports.hpp"
#include "calls/reply.hpp"
#include "calls/rollback.hpp"
#include "calls/session_store.hpp"
#include "calls/workflow_router.hpp"
#include "engine/events.hpp"

namespace voiceops::calls {

// One request of a call in the engine's words.
struct CallInput {
  std::string call_id;
  std::string to;  // the number called: a human fallback is that number's
  engine::Event event;
  std::string retry_token;  // the same again when the carrier retries a request; may be empty
  ToolContext tools;
};

// The carrier's final word on a call.
struct CallEnd {
  std::string call_id;
  std::string to;
  std::string status;  // completed, busy, no-answer, failed, canceled
  std::optional<std::int64_t> duration_s;
  ToolContext tools;
};

class CallHandler {
 public:
  using Writes = std::vector<StoreWrite>;

  // `rollback` may be null (no rollback: the test-pack runner).
  CallHandler(std::vector<Workflow> workflows, SessionStore& sessions, ToolRunner& tools,
              Messenger& messenger, Clock clock, Observer* observer,
              RollbackView* rollback = nullptr);

  // Answers one request; what it wrote is appended to `writes`, for the host to commit before
  // the reply goes out.
  Reply handle(const CallInput& input, Writes& writes);
  // The call is over: the hang-up turn and the call's final record.
  void finish(const CallEnd& end, Writes& writes);
  // Tells the observer what committed `writes` did (calls started, turns, escalations, calls
  // ended and finalised, store errors) and sends the turns' staff notices.
  void committed(const Writes& writes, const std::vector<WriteResult>& results) const;

  // The contract's human fallback for the number called, without the engine: a transfer when
  // someone is staffed, else an apology. For when the normal path failed.
  Reply human_fallback(const std::string& call_id, const std::string& to, FallbackReason reason,
                       const std::string& detail = {}) const;

  void observe(Observation::Kind kind, const std::string& call_id, const std::string& workflow,
               std::string detail = {}) const;

  // For reports: the call's saved state and its staff summary.
  std::optional<engine::CallState> call_state(const std::string& call_id);
  std::string summary(const engine::CallState& state) const;

  SessionStore& sessions() { return sessions_; }
  const std::vector<Workflow>& workflows() const { return router_.workflows(); }
  std::chrono::sys_seconds now() const { return clock_(); }

 private:
  Reply arrive(const CallInput& input, Writes& writes);
  Reply run_turn(const CallInput& input, Writes& writes);
  Reply still_transferring(const Workflow& workflow, const engine::CallState& state) const;
  // Rollback (calls/rollback_turns.cpp): what applies to the workflow, read once a turn; the
  // turn it takes over, if any, before the engine (forward-all, after-hours-only) or after the
  // engine chose a disabled intent.
  std::optional<Rollback> rollback_of(const std::string& call_id,
                                      const std::string& workflow) const;
  std::optional<Reply> rolled_back(const Rollback& rollback, const Workflow& workflow,
                                   engine::CallState& state, const engine::Event& event,
                                   std::chrono::sys_seconds now, TurnRecord& record);
  std::optional<Reply> intent_disabled(const Rollback& rollback, const Workflow& workflow,
                                       engine::CallState& state, std::size_t escalations_before,
                                       std::chrono::sys_seconds now, TurnRecord& record);
  void observe_fallback(FallbackReason reason, const std::string& call_id,
                        const std::string& workflow, std::string detail) const;

  WorkflowRouter router_;
  SessionStore& sessions_;
  ToolRunner& tools_;
  Messenger& messenger_;
  Clock clock_;
  Observer* observer_;      // optional; not owned
  RollbackView* rollback_;  // optional; not owned
};

}  // namespace voiceops::calls
