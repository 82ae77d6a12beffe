#pragma once
// Everything the engine knows about one call between two turns. It is saved after every turn (the
// daemon persists it), so it holds only what the next turn needs: no transcript, no contract.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/events.hpp"

namespace voiceops::engine {

enum class Phase {
  identify,       // Ops line: confirming who is calling
  identify_pin,   // Ops line: waiting for a keypad PIN
  choose_intent,  // waiting for what the caller wants
  ask,            // waiting for the answer to the current step's question
  confirm,        // waiting for yes/no on a read-back of the current step's slot
  tool,           // waiting for a tool result
  transfer,       // waiting for the result of a transfer
  ended,
  // Added later; saved states hold phases as numbers, so new ones go at the end.
  safety_check,  // waiting for yes/no to one direct safety question
  take_message,  // an escalation row is taking a message: name, number, what to pass on
};
// "choose_intent", "safety_check", ...: the phase as the call store and contract try show it.
const char* to_string(Phase phase);

struct SlotValue {
  std::string value;
  bool confirmed = false;
  std::string asked_at;  // the ask step that got this answer; empty when said unasked
};

struct CallState {
  std::string workflow;  // contract workflow id
  std::string call_id;   // the carrier's CallSid
  std::string from, to;
  std::int64_t started_at = 0;  // Unix seconds
  bool after_hours = false;
  Phase phase = Phase::choose_intent;
  std::string intent;
  std::string step;         // current step id
  int attempts = 0;         // failed tries at the current prompt
  int clarifications = 0;   // failed tries at understanding the intent
  std::string last_prompt;  // repeated on "sorry, what?"
  bool last_prompt_is_confirmation = false;
  // The carrier's I-Twilio-Idempotency-Token of the last webhook taken for this call: a retry
  // of that webhook carries it again, and is answered without running the turn twice.
  std::string last_webhook_token;
  std::map<std::string, SlotValue> slots;
  std::vector<int> escalations;    // escalation rows fired, in order
  std::string escalation_words;    // what the caller said that fired the last one
  std::string out_of_scope_topic;  // the out-of-scope intent recognised, for the summary
  bool flags_pending = false;      // a non-urgent row flagged this answer; the flow goes on
  int transfer_row = -1;           // row of a pending transfer; -1 for a transfer step
  std::string transfer_destination;
  std::string transfer_summary;  // what the staff member the transfer rings is told first
  std::string transfer_result;   // how the last transfer went: completed, busy, no-answer, ...
  std::vector<std::string> tool_failures;  // "<tool>:<status>"
  // The last record of each model a tool call made or found ("calendar.event" -> 42), for a
  // later step that changes it: the visit found is the visit moved or cancelled.
  std::map<std::string, std::int64_t> records;
  std::string person_id, person_name;  // Ops line: who is calling
  int turns = 0;
  // What the call used that is priced per use (engine/cost.hpp), counted by the turn loop: the
  // caller's turns sent to speech recognition (speech or silence) and the characters the agent
  // spoke.
  int speech_requests = 0;
  long spoken_characters = 0;
  std::optional<Outcome> outcome;
  std::string event;
  // Concepts the caller has stated in this call, for rows that need a combination ("no heat" and
  // a vulnerable person, said several turns apart).
  std::vector<std::string> concepts_heard;
  // The slots read back together in the pending confirmation (phase confirm).
  std::vector<std::string> confirm_group;
  // Phase safety_check: the row asked about, and what the caller said, to go on with on a "no".
  int safety_row = -1;
  std::string held_text;
  int held_confidence_milli = 1000;
  int held_phase = -1;      // the Phase the question interrupted
  std::string held_prompt;  // and the prompt it was waiting on
  // Phase take_message: the row taking the message, and what the agent is asking for.
  int message_row = -1;
  std::string message_part;  // a question id, or "message" for what to pass on
  std::string message;       // what the caller asked to pass on
};

// MessagePack through nlohmann::json: compact, versioned, and tolerant of added fields.
std::string serialize(const CallState& state);
Result<CallState, std::string> deserialize(std::string_view blob);

}  // namespace voiceops::engine
