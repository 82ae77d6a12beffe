#pragma once
// What a call costs under the contract's pricing model.
#include "contract/model.hpp"
#include "engine/call_state.hpp"

namespace voiceops::engine {

struct CallUsage {
  double seconds = 0;          // call duration
  int speech_requests = 0;     // recognised caller turns
  long spoken_characters = 0;  // text the agent spoke (text to speech)
};

// Telephony is billed per started minute, as carriers do.
double call_cost(const contract::CostModel& cost, const CallUsage& usage);

// A call's cost from what its state counted and how long it lasted: the one computation the
// store records for live calls and the test-pack runner reports for scripted ones.
double call_cost(const contract::CostModel& cost, const CallState& call, double seconds);

}  // namespace voiceops::engine
