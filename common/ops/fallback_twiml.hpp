#pragma once
// The TwiML a number's fallback URL serves ("Primary handler fails" in the carrier's console):
// when voiceopsd cannot answer, the carrier fetches it and the call dials the contract's old
// number. `voiceops rollback plan --fallback-twiml` prints it; `voiceops twilio check-number`
// shows it where a number has no fallback.
#include <optional>
#include <string>

#include "contract/model.hpp"

namespace voiceops::ops {

// The TwiML dialling the contract's [rollback] forward_to; nullopt when it names none.
std::optional<std::string> fallback_twiml(const contract::Contract& contract);

}  // namespace voiceops::ops
