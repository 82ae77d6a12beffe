#pragma once
// Screened transfers, the carrier's side. A transfer's <Dial> names, on its <Number>, a URL the
// carrier fetches when the staff phone answers; its TwiML plays to the staff member alone while
// the caller waits:
//   POST /twilio/screen         the call's summary, then "Press 1 to take this call" (a
//                               <Gather>); no key, and the staff leg hangs up
//   POST /twilio/screen-answer  1: the acceptance is recorded on the caller's call and an empty
//                               <Response/> puts the two through; any other key: <Hangup/>
// Both carry the staff leg's CallSid and the caller's call as ParentCallSid; their query names
// the destination rung, so a late screen of an earlier transfer cannot take a later one.
#include <string>
#include <string_view>

#include "calls/call_handler.hpp"

namespace voiceops::carrier {

inline constexpr std::string_view screen_path = "/twilio/screen";
inline constexpr std::string_view screen_answer_path = "/twilio/screen-answer";
// Seconds the screen waits for a key once the summary has been said.
inline constexpr int screen_answer_timeout_s = 8;
// The key that takes the call.
inline constexpr std::string_view screen_accept_key = "1";

// "/twilio/screen?destination=oncall_tech": the <Number url> of a transfer to `destination`.
std::string screen_url(std::string_view destination);

// What the staff member hears when their phone answers.
std::string screen_twiml(const calls::TransferScreen& screen, std::string_view destination);

// What their key does: put through when it was the accept key and the call still waits (the
// acceptance already committed), else hung up.
std::string screen_answer_twiml(const calls::TransferScreen& screen, bool accept_key);

// A screen webhook that failed (an exception, a store that would not take the acceptance): the
// staff member who pressed the accept key is still put through, since a person reached is what
// the caller needs most; anyone else is told and hung up. Never a <Dial>: the carrier refuses
// one in TwiML played to a dialled party.
std::string screen_failure_twiml(bool accept_key);

}  // namespace voiceops::carrier
