#pragma once
// What happens on a call (events in) and what the agent does about it (actions out).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "contract/model.hpp"

namespace voiceops::engine {

// --- events
// ---------------------------------------------------------------------------------------

struct CallArrived {
  std::string from, to;  // E.164 caller id and the number called
};

struct SpeechHeard {
  std::string text;
  double confidence = 1.0;
  // Milliseconds into the agent's last prompt at which the caller started talking; none when the
  // caller waited for the prompt to finish.
  std::optional<int> barge_in_ms;
};

struct KeypadDigits {
  std::string digits;
};

struct NoInput {};

enum class ToolStatus { ok, error, timeout, duplicate, malformed };

// A record a tool call made or found in another system ("helpdesk.ticket", 42), for the call's
// export to link to.
struct ToolRecord {
  std::string model;
  std::int64_t id = 0;
};

struct ToolResult {
  std::string name;  // "odoo.helpdesk.ticket.create"
  ToolStatus status = ToolStatus::ok;
  std::string detail;  // e.g. a record id, or the error text
  std::vector<ToolRecord> records;
};

// How a transfer went. not_accepted: the staff phone answered, but nobody took the call (a
// voicemail greeting, a key other than the one asked for, no key at all).
enum class TransferStatus { completed, busy, no_answer, failed, canceled, not_accepted };

struct TransferResult {
  TransferStatus status = TransferStatus::completed;
};

struct HungUp {};

using Event = std::variant<CallArrived, SpeechHeard, KeypadDigits, NoInput, ToolResult,
                           TransferResult, HungUp>;

// --- actions
// --------------------------------------------------------------------------------------

struct Say {
  std::string text;
};

// Listen for the caller's answer, speaking `prompt` while listening (barge-in allowed).
struct Gather {
  std::string prompt;
  std::vector<std::string> hints;
  bool speech = true, dtmf = true;
  int timeout_s = 5;
  int num_digits = 0;  // keypad: stop after this many digits (0 = until #)
};

struct Transfer {
  std::string destination;  // destination id in the contract
  std::string number;       // E.164
  std::string summary;      // what the staff member who answers is told first
  int dial_timeout_s = contract::default_dial_timeout_s;  // how long the phone rings
  // A person must take the call before it counts as answered (a phone); false for a voicemail
  // box, which answers itself.
  bool screened = true;
};

// Hands the call's summary to a staff destination outside the call: a text to a phone or SMS
// destination, an item in a queue, a voicemail box. How is the host's business.
struct Notify {
  std::string destination;  // destination id in the contract
  std::string kind;         // the destination's kind: phone, sms, queue, voicemail
  std::string address;      // its number or queue name
  std::string text;
};

struct CallTool {
  std::string name;  // "<system>.<operation>"
  int timeout_ms = 0;
  std::vector<std::pair<std::string, std::string>> arguments;  // slot name -> value
};

enum class Outcome { success, failure, escalated, abandoned };

struct EndCall {
  Outcome outcome = Outcome::failure;
  std::string event;  // the contract's success/failure event, or "escalation.<trigger>"
};

using Action = std::variant<Say, Gather, Transfer, Notify, CallTool, EndCall>;

const char* to_string(ToolStatus status);
const char* to_string(TransferStatus status);
const char* to_string(Outcome outcome);
std::optional<ToolStatus> tool_status_from(std::string_view text);
std::optional<TransferStatus> transfer_status_from(std::string_view text);

}  // namespace voiceops::engine
