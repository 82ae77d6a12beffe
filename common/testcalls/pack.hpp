#pragma once
// A five-call test pack (voiceops-testcalls(5)): a folder with pack.toml naming the contract, and
// one TOML file per scripted call.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/exit_status.hpp"
#include "calls/scripted_tools.hpp"

namespace voiceops::testcalls {

inline constexpr const char* call_kinds[] = {"happy_path", "caller_correction", "interruptions",
                                             "integration_failure", "escalation"};

struct CallerTurn {
  enum class Kind { say, dtmf, silence, hangup } kind = Kind::say;
  std::string text;          // say: what the recogniser delivers; dtmf: the keys
  double confidence = 0.92;  // the recogniser's confidence
  std::optional<int> barge_in_ms;
  int pause_ms = 0;   // extra silence before the caller speaks
  std::string audio;  // optional WAV whose transcript is `text`
  SourceLocation where;
};

// What a scripted system answers: ok, error, timeout, duplicate, malformed, or ok after a delay.
using IntegrationScript = calls::ScriptedOutcome;

struct Expectations {
  std::optional<std::string> outcome, event, destination, escalation, hours;
  std::map<std::string, std::string> slots;
  std::vector<std::string> say, never_say, summary_contains;
  std::optional<int> max_turns, max_duration_s;
  std::optional<double> max_cost;
  int max_summary_chars = 300;
};

struct ScriptedCall {
  std::string file;  // path
  std::string name;  // file name without .toml
  std::string kind, description;
  std::string from, to;
  std::string at;  // RFC 3339 with offset, as written
  std::int64_t at_unix = 0;
  std::vector<CallerTurn> turns;
  std::map<std::string, IntegrationScript> integrations;
  // What a transfer does: completed (a person takes it), busy, no-answer, failed, voicemail (the
  // phone answers, no key is pressed) or declined (the staff member presses another key).
  std::string transfer_result = "completed";
  Expectations expect;
};

struct PackBudgets {
  std::optional<double> max_total_cost;
  std::optional<int> max_total_duration_s;
};

struct Pack {
  std::string folder;
  std::string name;
  std::string contract;  // path, resolved against the pack folder
  PackBudgets budgets;
  std::vector<ScriptedCall> calls;  // sorted by file name
};

struct PackOutcome {
  std::optional<Pack> pack;
  ExitStatus status = ExitStatus::ok;
};

// Parses one call script's text (what load_pack does for each file; the fuzzer calls it directly).
std::optional<ScriptedCall> parse_call_script(std::string_view text, const std::string& file,
                                              std::vector<Diagnostic>& diagnostics);

// Reads a pack folder; every problem becomes a file:line:column diagnostic (exit 65 for a
// malformed pack, 66 for a missing one).
PackOutcome load_pack(const std::string& folder, std::vector<Diagnostic>& diagnostics);

}  // namespace voiceops::testcalls
