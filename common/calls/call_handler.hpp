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
  // A transfer's result: the call that rang the staff member, whose acceptance decides whether
  // an answered transfer counts (empty: any of the call's).
  std::string transfer_leg;
};

// A screened transfer as the staff member it rings meets it: what they hear before they take
// the call (calls/transfer_screening.cpp).
struct TransferScreen {
  bool waiting = false;  // the caller is still waiting on this transfer
  std::string summary;   // the transfer's one-line summary, said first
  Voice voice;           // the call's contract's
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

  // Transfers are screened (calls/transfer_screening.cpp): when the phone a transfer rings
  // answers, the staff member hears the call's summary and takes the call with a key, so a
  // voicemail greeting never counts as a person. A transfer result of "completed" counts only
  // when its leg was taken; otherwise the call goes on as if nobody had answered.
  // What the staff member hears when the transfer to `destination` reaches them.
  TransferScreen transfer_screen(const std::string& call_id, const std::string& destination);
  // The staff member on `leg_id` took the call: the acceptance goes into `writes`, to be
  // committed before the two are put through (unless the call no longer waits on it).
  TransferScreen accept_transfer(const std::string& call_id, const std::string& leg_id,
                                 const std::string& destination, Writes& writes);

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
  // Whether the call's pending transfer must be taken by a person, and whether the staff member
  // took the one `input` reports on (calls/transfer_screening.cpp).
  static bool screened_transfer(const Workflow& workflow, const engine::CallState& state);
  bool transfer_taken(const CallInput& input) const;
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
