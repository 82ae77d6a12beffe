#pragma once
// The workflow contract as data: what voiceops-contract(5) describes, with the source position of
// every value so later checks can point at it.
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"

namespace voiceops::contract {

using voiceops::Located;
using voiceops::Text;
using voiceops::TextList;

enum class Hours { always, business_hours, after_hours, never };

// The kinds a contract names with fixed words. Each enum's spellings() lists the words in
// declaration order; `unknown` (spelled "") stands for a value already reported as an error.
enum class Audience { external, internal };
enum class DestinationKind { unknown, phone, sms, queue, voicemail };
enum class QuestionType {
  unknown,
  name,
  phone,
  address,
  datetime,
  yes_no,
  scale,
  choice,
  text,
  digits
};
enum class Trigger {
  unknown,
  asks_for_person,
  safety,
  tool_failure,
  out_of_scope,
  high_value_lead,
  repeated_confusion,
  custom,
};
enum class RowAction {
  unknown,
  transfer,
  callback,
  take_message,
  create_ticket,
  send_sms,
  end_workflow
};

constexpr auto spellings(Audience) {
  return std::to_array<std::string_view>({"external", "internal"});
}
constexpr auto spellings(DestinationKind) {
  return std::to_array<std::string_view>({"", "phone", "sms", "queue", "voicemail"});
}
constexpr auto spellings(QuestionType) {
  return std::to_array<std::string_view>(
      {"", "name", "phone", "address", "datetime", "yes_no", "scale", "choice", "text", "digits"});
}
constexpr auto spellings(Trigger) {
  return std::to_array<std::string_view>({"", "asks_for_person", "safety", "tool_failure",
                                          "out_of_scope", "high_value_lead", "repeated_confusion",
                                          "custom"});
}
constexpr auto spellings(RowAction) {
  return std::to_array<std::string_view>(
      {"", "transfer", "callback", "take_message", "create_ticket", "send_sms", "end_workflow"});
}

template <typename E>
concept SpelledEnum = requires(E e) {
  spellings(e);
};

template <SpelledEnum E>
constexpr std::string_view to_string(E value) {
  return spellings(value)[static_cast<std::size_t>(value)];
}

template <SpelledEnum E>
constexpr std::optional<E> enum_from(std::string_view word) {
  const auto words = spellings(E{});
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!words[i].empty() && words[i] == word) return static_cast<E>(i);
  }
  return std::nullopt;
}

struct Workflow {
  SourceLocation where;
  Text id, name, description;
  Located<Audience> audience{Audience::external, {}};
  Text caller_type;
  TextList allowed_intents, out_of_scope_intents, required_questions, systems_touched;
  Text human_fallback, success_event, failure_event, analytics_owner;
  bool internal() const { return audience.value == Audience::internal; }
};

struct Answers {
  SourceLocation where;
  TextList numbers;
  Located<Hours> when{Hours::always, {}};
  Text greeting;
  // How the agent sounds on this line: the carrier's text-to-speech voice ("Polly.Joanna") and
  // its language ("en-US"), for every word the agent says, to callers and to staff. Not given:
  // the carrier's default.
  std::optional<Text> voice, language;
};

struct DayHours {
  bool open = false;
  int opens_minute = 0;   // minutes after midnight, local time
  int closes_minute = 0;  // exclusive
  SourceLocation where;
};

struct BusinessHours {
  SourceLocation where;
  Text time_zone;
  DayHours days[7];  // monday = 0
  TextList holidays;
};

// How long a transfer lets a staff phone ring, in seconds (destinations' dial_timeout_s).
inline constexpr int default_dial_timeout_s = 20;
inline constexpr int min_dial_timeout_s = 5;
inline constexpr int max_dial_timeout_s = 600;

struct Destination {
  std::string id;
  SourceLocation where;
  Located<DestinationKind> kind;
  Text number, queue, description;
  Located<Hours> staffed{Hours::business_hours, {}};
  Located<int> dial_timeout_s{default_dial_timeout_s, {}};  // phone and voicemail: ring time
  // A transfer dials it (a phone, or a voicemail box reached by a number).
  bool dialled() const {
    return kind.value == DestinationKind::phone || kind.value == DestinationKind::voicemail;
  }
  // A transfer to it counts only once a person takes the call (a voicemail box answers itself).
  bool screened() const { return kind.value == DestinationKind::phone; }
};

struct Owners {
  SourceLocation where;
  Text phone_routing, booking, crm_ticketing, knowledge_base, privacy_reviewer, transcript_reviewer,
      vendor_support;
};

struct System {
  std::string id;
  SourceLocation where;
  Text kind, description, risk, owner, failure_path;
  TextList read, write;
};

struct Question {
  std::string id;
  SourceLocation where;
  Located<QuestionType> type;
  Text prompt, reprompt, confirm;
  TextList choices;
  std::map<std::string, TextList> synonyms;
  // Words that name the question, so an answer to it given unasked counts: "photos are up,
  // options no" fills photos_uploaded and options_presented (yes_no, scale and choice only).
  TextList labels;
  int max_attempts = 2;
  int answer_seconds = 5;
  int digits = 0;
};

struct Intent {
  std::string id;
  SourceLocation where;
  Text description, start;
  TextList examples, keywords;
  TextList concepts;  // lexicon concepts that point to the intent, like keywords
};

struct OutOfScope {
  std::string id;
  SourceLocation where;
  TextList examples, keywords;
};

enum class StepKind { ask, say, call, transfer, end };

struct Step {
  std::string id;
  SourceLocation where;
  StepKind kind = StepKind::say;
  bool kind_known = false;  // exactly one kind key; otherwise already reported as step-kind
  Text target;  // ask: question id; say: text; call: "system.operation"; transfer: destination;
                // end: outcome
  bool writes = false;
  int timeout_ms = 0;
  Text summary, say_before_end;
  Text next, on_ok, on_error;
  std::vector<std::pair<Text, Text>> branch;  // answer -> step id
  // Every step id this step may continue to, with the position of the reference.
  std::vector<Text> successors() const;
};

struct EscalationRow {
  SourceLocation where;
  Located<Trigger> trigger;
  Text name;
  Located<RowAction> action;
  Text destination, promise, after_hours_destination, after_hours_promise;
  Text dtmf, slot;
  TextList keywords, values;
  TextList concepts;  // lexicon concepts that fire the row when the caller states them
  TextList with_any;  // the row fires only with one of these intents or concepts in the call
  TextList unless;    // concepts that, heard in the same utterance, stop it ("you installed it")
  std::optional<Located<int>> priority;  // lower first; default by trigger (see default_priority)
  Located<Hours> hours{Hours::always, {}};
};

// Rows that fire on the same utterance compete: safety, then a person, then custom rows, then a
// high-value lead, then out of scope, unless the contract sets `priority`.
int default_priority(Trigger trigger);
int priority_of(const EscalationRow& row);

// A concept of the contract's lexicon (nlu/concepts.hpp): the ways callers say one thing.
struct Concept {
  std::string id;
  std::string file;  // the file that defines it: the contract or one of its lexicon files
  SourceLocation where;
  Text description;
  Text question;  // the one direct question asked when the concept is heard only in a hedge
  TextList terms, except, unless;
  std::vector<TextList> near;
};

struct Recording {
  SourceLocation where;
  bool record_calls = false;
  Text disclosure, approved_by, approved_on;
  int retention_days = 0;
};

struct Rollback {
  SourceLocation where;
  Text forward_to, owner;
  TextList disable_intents;
  bool after_hours_only = false;
};

struct CostModel {
  SourceLocation where;
  Text currency;
  double telephony_per_minute = 0, speech_per_request = 0, tts_per_1k_chars = 0, llm_per_call = 0;
  std::optional<double> budget_per_call;
};

struct Identification {
  SourceLocation where;
  bool present = false;
  bool caller_id = true, pin_fallback = false, confirm_shared_phone = false;
  Text directory;
  int pin_digits = 4, max_pin_attempts = 3;
};

struct Role {
  std::string id;
  SourceLocation where;
  Text title, daily_focus, micro_commitment;
  TextList kpis, coaching, flows;
};

struct OdooMapping {
  SourceLocation where;
  bool present = false;
  Text model, system;
  TextList fields;
};

// [tool_calls."<system>.<operation>"]: how a call step reaches Odoo on a live call. Templates
// name the call's answers and facts in braces: "{callback_number}", "{summary}".
// A named arrival window of a booking calendar: "morning" is 08:00 to 12:00, local time.
struct ArrivalWindow {
  Text name;
  int starts_minute = 0;  // minutes after midnight, local time
  int ends_minute = 0;    // exclusive
};

struct ToolCallMapping {
  std::string call;  // the steps' call name, "odoo.helpdesk.ticket.create"
  SourceLocation where;
  // create (a record, keyed to the call), find (one record), update (the record the call found),
  // availability (room in a window), book (a record in a window), move (the record the call
  // found, to another window), outbox (the export)
  Text operation;
  Text model;                                 // every operation but outbox: the Odoo model
  std::vector<std::pair<Text, Text>> values;  // create, update, book: field -> template
  // find: the record's conditions; availability, book, move: which records fill a window.
  // Odoo's Polish notation: a leaf is field, operator, template; a prefix operator ("|", "&",
  // "!") is a term of its own, in [0] with [1] and [2] empty.
  std::vector<std::array<Text, 3>> domain;
  // availability, book, move: the day ("{preferred_date}") and the window's name
  // ("{arrival_window}") as templates, the windows by name, how many records a window holds,
  // the weekdays visits are booked on (0 = Monday; empty: the days [hours] opens), and the
  // model's start and stop fields.
  Text day, window;
  std::vector<ArrivalWindow> windows;
  Located<std::int64_t> capacity{0, {}};
  std::vector<Located<int>> weekdays;
  Text start_field, stop_field;  // as written; empty when not given
  // text: the destination (of kind sms or phone) texted during the call, and the text's template.
  Text to, body;
  std::string start_name() const { return start_field.value.empty() ? "start" : start_field.value; }
  std::string stop_name() const { return stop_field.value.empty() ? "stop" : stop_field.value; }
};

// Whether a domain term is a prefix operator ("|", "&", "!") rather than a leaf.
inline bool is_domain_operator(const std::array<Text, 3>& term) {
  return term[1].value.empty() && term[2].value.empty() &&
         (term[0].value == "|" || term[0].value == "&" || term[0].value == "!");
}

struct Contract {
  std::string file;
  int schema_version = 0;
  Workflow workflow;
  Answers answers;
  BusinessHours hours;
  std::vector<Destination> destinations;
  Owners owners;
  std::vector<System> systems;
  std::vector<Question> questions;
  std::vector<Intent> intents;
  std::vector<OutOfScope> out_of_scope;
  std::vector<Step> steps;
  std::vector<EscalationRow> escalation;
  Recording recording;
  Rollback rollback;
  CostModel cost;
  Identification identification;
  std::vector<Role> roles;
  OdooMapping odoo;
  std::vector<ToolCallMapping> tool_calls;
  TextList lexicon_files;         // as written, relative to the contract's folder
  std::vector<Concept> concepts;  // the contract's own and those of its lexicon files

  const Destination* destination(std::string_view id) const;
  const System* system(std::string_view id) const;
  const Question* question(std::string_view id) const;
  const Intent* intent(std::string_view id) const;
  const Step* step(std::string_view id) const;
  const Concept* concept_named(std::string_view id) const;
  const ToolCallMapping* tool_call(std::string_view call) const;
};

const char* to_string(Hours hours);
const char* to_string(StepKind kind);

inline constexpr int current_schema_version = 1;

}  // namespace voiceops::contract
