#pragma once
// A call's Reply as TwiML: speech as <Say> in the contract's voice, listening as <Gather> posting
// to /twilio/gather, transfers as <Dial> ringing for the destination's dial_timeout_s and
// reporting to /twilio/dial, screened (carrier/transfer_screen.hpp) unless nothing waits for
// their result, the end as <Hangup>.
#include <string>

#include "calls/reply.hpp"

namespace voiceops::carrier {

std::string reply_twiml(const calls::Reply& reply);

}  // namespace voiceops::carrier
