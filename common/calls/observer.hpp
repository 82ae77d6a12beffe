#pragma once
// What a host hears about as calls go (metrics, live events, logs), on the thread that handles
// the request.
#include <cstdint>
#include <optional>
#include <string>

namespace voiceops::calls {

// Why a call was answered with the human fallback instead of the engine (a metric label).
enum class FallbackReason {
  unknown_call,         // a request for a call the store has never seen
  store_error,          // the store could not be read
  state_unreadable,     // the saved state did not deserialize
  workflow_not_loaded,  // the call's workflow is gone after a reload
  no_workflow,          // no workflow answers this number at this time
  internal_error,       // an exception or a 5xx in the handler (reported by the host)
};
const char* to_string(FallbackReason reason);

struct Observation {
  enum class Kind {
    call_started,
    turn,
    escalation,      // detail: the row's trigger
    call_ended,      // detail: the outcome
    call_finalized,  // detail: the carrier's final status
    fallback,        // detail: why the engine could not answer normally
    signature_failure,
    store_error,   // detail: the store's message
    late_webhook,  // detail: after_end, during_transfer or duplicate (a late or retried request)
  };
  Kind kind;
  std::string call_id;
  std::string workflow;
  std::string detail;
  FallbackReason reason = FallbackReason::internal_error;  // for Kind::fallback
  // For Kind::call_finalized: how long the carrier says the call lasted, and what it cost.
  std::optional<std::int64_t> duration_s;
  std::optional<double> cost;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_event(const Observation& event) = 0;
};

}  // namespace voiceops::calls
