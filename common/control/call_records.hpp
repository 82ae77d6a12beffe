#pragma once
// The calls the control socket answers with (calls.list, calls.show), one definition for
// voiceopsd, which encodes them, and `voiceops calls`, which decodes and prints them. A call
// encodes to a JSON object with sorted keys; optional fields are null when absent.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace voiceops::control {

struct TranscriptRecord {
  std::int64_t at = 0;
  std::string speaker;  // caller, agent, tool, system
  std::string text;
};

struct EventRecord {
  std::int64_t at = 0;
  std::string kind;
  std::string detail;
};

struct CallRecord {
  std::string id, workflow, caller, called, status, phase;
  std::int64_t started_at = 0, updated_at = 0;
  std::optional<std::int64_t> ended_at, duration_s;
  bool after_hours = false;
  std::optional<std::string> intent, outcome, event, escalation, destination;
  int turns = 0;
  std::string summary;
  std::optional<double> cost;
  // calls.show only: what was said and what happened, in order.
  std::optional<std::vector<TranscriptRecord>> transcript;
  std::optional<std::vector<EventRecord>> events;
};

nlohmann::json to_json(const CallRecord& call);
// Lenient with a newer daemon (unknown keys are ignored), strict on the types of known ones.
Result<CallRecord, std::string> call_record_from(const nlohmann::json& j);

}  // namespace voiceops::control
