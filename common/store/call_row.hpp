#pragma once
// A call as the store keeps it (the calls table's row), and why the store could not be used:
// shared by the call store, the outbox and the exports.
#include <cstdint>
#include <optional>
#include <string>

namespace voiceops::store {

struct StoreError {
  enum class Kind { cannot_open, newer_schema, failed };
  Kind kind = Kind::failed;
  std::string message;
};

struct CallRow {
  std::string id, workflow, caller, called, status, phase;
  std::int64_t started_at = 0, updated_at = 0;
  std::optional<std::int64_t> ended_at, duration_s;
  bool after_hours = false;
  std::optional<std::string> intent, outcome, event, escalation, destination;
  int turns = 0;
  std::string summary;
  std::optional<double> cost;
};

}  // namespace voiceops::store
