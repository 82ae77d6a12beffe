#include "ops/fallback_twiml.hpp"

#include "carrier/twiml.hpp"

namespace voiceops::ops {

std::optional<std::string> fallback_twiml(const contract::Contract& contract) {
  const std::string& forward = contract.rollback.forward_to.value;
  if (forward.empty()) return std::nullopt;
  carrier::TwimlResponse twiml;
  twiml.dial(forward);
  return twiml.str();
}

}  // namespace voiceops::ops
