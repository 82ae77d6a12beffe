#pragma once
// The staging daemon's view of a test call (GET /testing/calls/<CallSid>, only with
// [testing] scripted_integrations = true), one definition for voiceopsd, which writes it, and
// `voiceops testcalls run --target`, which reads it.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace voiceops::control {

struct StagingCallState {
  std::string call;
  std::string workflow;
  bool after_hours = false;
  std::string intent;
  std::optional<std::string> outcome;  // none while the call goes on
  std::string event;
  std::map<std::string, std::string> slots;
  std::string transfer_destination;
  int turns = 0;
  // Rows of the contract's escalation table the call fired; nullopt from a daemon older than
  // this key (the runner then reports escalation expectations as unchecked).
  std::optional<std::vector<int>> escalation_rows;
  std::string summary;
  // What the call used, for its cost; nullopt from a daemon older than these keys.
  std::optional<int> speech_requests;
  std::optional<long> spoken_characters;
};

std::string encode(const StagingCallState& state);
// Lenient in what it takes, as a reader of an older or newer daemon must be: fields missing or
// of another type keep their defaults. The error says only that it is no call state.
Result<StagingCallState, std::string> decode_staging_call_state(std::string_view body);

}  // namespace voiceops::control
