#pragma once
// Plays the carrier's side of each scripted call against the webhook handlers, in-process or in a
// running daemon (testcalls/target.hpp): builds signed requests, follows the TwiML that comes
// back, answers tool calls from the call's script, and checks what happened against the call's
// expectations and the pack's coverage of the contract.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "contract/directory.hpp"
#include "contract/model.hpp"
#include "testcalls/pack.hpp"
#include "testcalls/target.hpp"

namespace voiceops::testcalls {

struct Failure {
  std::string kind;  // wrong_outcome, wrong_slot_value, forbidden_phrase, budget_exceeded, ...
  std::string message;
};

struct TranscriptLine {
  enum class Who { agent, caller, system } who = Who::agent;
  std::string text;
  std::string note;  // "interrupted the agent 0.6 s into its prompt", "tool error", ...
  int at_ms = 0;     // on the call's simulated clock
};

struct CallReport {
  const ScriptedCall* script = nullptr;
  std::vector<Failure> failures;
  std::vector<TranscriptLine> transcript;
  std::string outcome, event, destination, escalation, summary;
  bool after_hours = false;
  std::map<std::string, std::string> slots;
  std::vector<int> escalation_rows;
  std::vector<std::string> tool_calls;      // "<tool> -> <status>"
  std::vector<std::string> failed_systems;  // systems whose failure the call exercised
  int turns = 0;                            // caller turns played
  int webhooks = 0;
  double duration_s = 0;
  double cost = 0;
  double engine_microseconds = 0;  // wall time in the handlers (not part of deterministic output)
  std::vector<double> webhook_microseconds;  // per webhook, for percentiles
  // Why the call could not be checked on this target; a skipped call neither passed nor failed.
  std::optional<std::string> skip_reason;
  // Expectations the target cannot report (a daemon shows no escalation rows), left unchecked.
  std::vector<std::string> unchecked;
  bool skipped() const { return skip_reason.has_value(); }
  bool failed() const { return !failures.empty(); }
  bool passed() const { return !failed() && !skipped(); }
};

struct PackReport {
  const Pack* pack = nullptr;
  std::string contract_name;
  std::vector<CallReport> calls;
  std::vector<Failure> coverage;  // pack-level failures (missing kinds, rows, failure paths, hours)
  // Which calls exercised each escalation row, for --coverage.
  std::vector<std::pair<std::string, std::vector<std::string>>> row_coverage;
  std::optional<std::string> coverage_skipped;  // why coverage was not judged
  std::optional<std::string> unreachable;       // the target went away: the pack stopped here
  int failed_calls() const;
  int skipped_calls() const;
  bool passed() const { return failed_calls() == 0 && coverage.empty() && !unreachable; }
};

// Runs every call of a pack against the contract (already validated), in-process.
PackReport run_pack(const Pack& pack, const contract::Contract& contract,
                    const contract::Directory* directory);

// The same against `target` (a daemon: testcalls run --target).
PackReport run_pack(const Pack& pack, const contract::Contract& contract,
                    const contract::Directory* directory, Target& target);

}  // namespace voiceops::testcalls
