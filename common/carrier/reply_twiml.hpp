#pragma once
// A call's Reply as TwiML: speech as <Say>, listening as <Gather> posting to /twilio/gather,
// transfers as <Dial> reporting to /twilio/dial, the end as <Hangup>.
#include <string>

#include "calls/reply.hpp"

namespace voiceops::carrier {

std::string reply_twiml(const calls::Reply& reply);

}  // namespace voiceops::carrier
