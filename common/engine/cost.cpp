#include "engine/cost.hpp"

#include <cmath>

namespace voiceops::engine {

double call_cost(const contract::CostModel& cost, const CallUsage& usage) {
  const double minutes = std::ceil(usage.seconds / 60.0);
  return minutes * cost.telephony_per_minute + usage.speech_requests * cost.speech_per_request +
         static_cast<double>(usage.spoken_characters) / 1000.0 * cost.tts_per_1k_chars +
         cost.llm_per_call;
}

double call_cost(const contract::CostModel& cost, const CallState& call, double seconds) {
  return call_cost(cost, CallUsage{seconds, call.speech_requests, call.spoken_characters});
}

}  // namespace voiceops::engine
