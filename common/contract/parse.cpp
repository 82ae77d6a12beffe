#include "contract/parse.hpp"

#include <algorithm>
#include <array>

#include "base/input_file.hpp"
#include "base/spelling.hpp"
#include "base/toml_reader.hpp"

namespace voiceops::contract {
namespace {

bool is_identifier(std::string_view id, bool allow_dash = false) {
  if (id.empty() || id.size() > 64 || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
  });
}

class ContractParser {
 public:
  ContractParser(const toml::table& root, Diagnostics& diagnostics)
      : root_(root), diagnostics_(diagnostics) {}

  Contract parse(const std::string& file) {
    Contract contract;
    contract.file = file;
    TableReader top(root_, "", diagnostics_,
                    {"schema_version", "workflow",   "answers",   "hours",         "destinations",
                     "owners",         "systems",    "questions", "intents",       "out_of_scope",
                     "steps",          "escalation", "recording", "rollback",      "cost",
                     "identification", "roles",      "odoo",      "lexicon_files", "concepts"});
    if (auto t = top.table("workflow", Need::required)) parse_workflow(*t, contract.workflow);
    if (auto t = top.table("answers", Need::required)) parse_answers(*t, contract.answers);
    if (auto t = top.table("hours", Need::required)) parse_hours(*t, contract.hours);
    for_each_entry(top, "destinations", true, [&](const toml::table& t, std::string id) {
      contract.destinations.push_back(parse_destination(t, std::move(id)));
    });
    if (auto t = top.table("owners", Need::required)) parse_owners(*t, contract.owners);
    for_each_entry(top, "systems", true, [&](const toml::table& t, std::string id) {
      contract.systems.push_back(parse_system(t, std::move(id)));
    });
    for_each_entry(top, "questions", true, [&](const toml::table& t, std::string id) {
      contract.questions.push_back(parse_question(t, std::move(id)));
    });
    for_each_entry(top, "intents", true, [&](const toml::table& t, std::string id) {
      contract.intents.push_back(parse_intent(t, std::move(id)));
    });
    for_each_entry(top, "out_of_scope", false, [&](const toml::table& t, std::string id) {
      TableReader r(t, "out_of_scope." + id, diagnostics_, {"examples", "keywords"});
      OutOfScope entry{id, r.where(), {}, {}};
      entry.examples = r.text_list("examples", Need::optional).value_or(TextList{});
      entry.keywords = r.text_list("keywords", Need::optional).value_or(TextList{});
      contract.out_of_scope.push_back(std::move(entry));
    });
    for_each_entry(top, "steps", true, [&](const toml::table& t, std::string id) {
      contract.steps.push_back(parse_step(t, std::move(id)));
    });
    if (auto rows = top.table_array("escalation", Need::required)) {
      for (const auto& row : *rows)
        contract.escalation.push_back(parse_escalation(*row.as_table()));
    }
    if (auto t = top.table("recording", Need::required)) parse_recording(*t, contract.recording);
    if (auto t = top.table("rollback", Need::required)) parse_rollback(*t, contract.rollback);
    if (auto t = top.table("cost", Need::required)) parse_cost(*t, contract.cost);
    if (auto t = top.table("identification", Need::optional)) {
      parse_identification(*t, contract.identification);
    }
    for_each_entry(top, "roles", false, [&](const toml::table& t, std::string id) {
      contract.roles.push_back(parse_role(t, std::move(id)));
    });
    if (auto t = top.table("odoo", Need::optional)) parse_odoo(*t, contract.odoo);
    contract.lexicon_files = top.text_list("lexicon_files", Need::optional).value_or(TextList{});
    parse_concepts(top, file, contract.concepts);
    return contract;
  }

 private:
  // Visits each sub-table of a table of named entries ([systems.<id>] and friends).
  template <typename Visit>
  void for_each_entry(TableReader& top, std::string_view key, bool required, Visit visit) {
    const toml::table* entries = top.table(key, required ? Need::required : Need::optional);
    if (!entries) return;
    if (required && entries->empty()) {
      diagnostics_.error("empty-field", location_of(entries->source()),
                         "[" + std::string(key) + "] has no entries",
                         "define at least one [" + std::string(key) + ".<id>] table");
    }
    for (const auto& [name, value] : *entries) {
      const std::string id(name.str());
      if (!is_identifier(id)) {
        diagnostics_.error("bad-identifier", location_of(name.source()),
                           "'" + id + "' is not a valid " + std::string(key) + " id",
                           "ids are lower_snake_case: a letter, then letters, digits or _");
      }
      if (const auto* t = value.as_table()) {
        visit(*t, id);
      } else {
        top.wrong_type(std::string(key) + "." + id, value, "a table",
                       "write it as a [" + std::string(key) + "." + id + "] section");
      }
    }
  }

  Text enum_text(TableReader& r, std::string_view key, Need need,
                 std::initializer_list<std::string_view> allowed, std::string fallback = {}) {
    return enum_text(r, key, need,
                     std::span<const std::string_view>(allowed.begin(), allowed.size()),
                     std::move(fallback));
  }

  Text enum_text(TableReader& r, std::string_view key, Need need,
                 std::span<const std::string_view> allowed, std::string fallback = {}) {
    auto value = r.text(key, need);
    if (!value) return {std::move(fallback), r.key_location(key)};
    if (std::find(allowed.begin(), allowed.end(), value->value) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      auto suggestion = closest_match(value->value, allowed);
      diagnostics_.error(
          "bad-value", value->where,
          r.qualified(key) + " is \"" + value->value + "\", which is not one of: " + list,
          suggestion ? "did you mean \"" + *suggestion + "\"?" : "use one of: " + list);
      return {std::move(fallback), value->where};
    }
    return *value;
  }

  // A kind spelled with one of its enum's words; `fallback` when absent or misspelled (reported).
  template <SpelledEnum E>
  Located<E> enum_value(TableReader& r, std::string_view key, Need need, E fallback) {
    std::vector<std::string_view> allowed;
    for (std::string_view word : spellings(E{})) {
      if (!word.empty()) allowed.push_back(word);
    }
    const Text text = enum_text(r, key, need, std::span<const std::string_view>(allowed));
    return {enum_from<E>(text.value).value_or(fallback), text.where};
  }

  Located<Hours> hours_value(TableReader& r, std::string_view key, Hours fallback,
                             bool allow_never) {
    Text text = allow_never ? enum_text(r, key, Need::optional,
                                        {"always", "business_hours", "after_hours", "never"})
                            : enum_text(r, key, Need::optional,
                                        {"always", "business_hours", "after_hours"});
    Hours hours = fallback;
    if (text.value == "always") hours = Hours::always;
    if (text.value == "business_hours") hours = Hours::business_hours;
    if (text.value == "after_hours") hours = Hours::after_hours;
    if (text.value == "never") hours = Hours::never;
    return {hours, text.where};
  }

  void identifier_list(const TextList& list, std::string_view what) {
    for (const auto& item : list) {
      if (!is_identifier(item.value)) {
        diagnostics_.error("bad-identifier", item.where,
                           "'" + item.value + "' is not a valid " + std::string(what) + " id",
                           "ids are lower_snake_case: a letter, then letters, digits or _");
      }
    }
  }

  void parse_workflow(const toml::table& t, Workflow& w) {
    TableReader r(t, "workflow", diagnostics_,
                  {"id", "name", "description", "audience", "caller_type", "allowed_intents",
                   "out_of_scope_intents", "required_questions", "systems_touched",
                   "human_fallback", "success_event", "failure_event", "analytics_owner"});
    w.where = r.where();
    w.id = r.text("id", Need::nonempty).value_or(Text{});
    if (!w.id.value.empty() && !is_identifier(w.id.value, true)) {
      diagnostics_.error("bad-identifier", w.id.where,
                         "'" + w.id.value + "' is not a valid workflow id",
                         "use lower case letters, digits, - and _, starting with a letter");
    }
    w.name = r.text("name", Need::nonempty).value_or(Text{});
    w.description = r.text_or("description", "");
    w.audience = enum_value(r, "audience", Need::optional, Audience::external);
    w.caller_type = r.text("caller_type", Need::nonempty).value_or(Text{});
    w.allowed_intents = r.text_list("allowed_intents", Need::nonempty).value_or(TextList{});
    w.out_of_scope_intents =
        r.text_list("out_of_scope_intents", Need::nonempty).value_or(TextList{});
    w.required_questions = r.text_list("required_questions", Need::nonempty).value_or(TextList{});
    w.systems_touched = r.text_list("systems_touched", Need::nonempty).value_or(TextList{});
    identifier_list(w.allowed_intents, "intent");
    identifier_list(w.out_of_scope_intents, "intent");
    identifier_list(w.required_questions, "question");
    identifier_list(w.systems_touched, "system");
    w.human_fallback = r.text("human_fallback", Need::nonempty).value_or(Text{});
    w.success_event = r.text("success_event", Need::nonempty).value_or(Text{});
    w.failure_event = r.text("failure_event", Need::nonempty).value_or(Text{});
    for (const Text* event : {&w.success_event, &w.failure_event}) {
      if (!event->value.empty() && !is_identifier(event->value)) {
        diagnostics_.error("bad-identifier", event->where,
                           "'" + event->value + "' is not a valid event name",
                           "event names are lower_snake_case, e.g. service_ticket_created");
      }
    }
    if (!w.success_event.value.empty() && w.success_event.value == w.failure_event.value) {
      diagnostics_.error("bad-value", w.failure_event.where,
                         "failure_event is the same as success_event",
                         "a failed call must be distinguishable from a successful one");
    }
    w.analytics_owner = r.text("analytics_owner", Need::nonempty).value_or(Text{});
  }

  void parse_answers(const toml::table& t, Answers& a) {
    TableReader r(t, "answers", diagnostics_, {"numbers", "when", "greeting"});
    a.where = r.where();
    a.numbers = r.text_list("numbers", Need::nonempty).value_or(TextList{});
    a.when = hours_value(r, "when", Hours::always, false);
    a.greeting = r.text("greeting", Need::nonempty).value_or(Text{});
  }

  static std::optional<int> parse_clock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (std::size_t i : {0, 1, 3, 4}) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    const int hour = (text[0] - '0') * 10 + (text[1] - '0');
    const int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) return std::nullopt;
    return hour * 60 + minute;
  }

  void parse_hours(const toml::table& t, BusinessHours& h) {
    static constexpr std::array<std::string_view, 7> day_names = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    TableReader r(t, "hours", diagnostics_,
                  {"time_zone", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                   "sunday", "holidays"});
    h.where = r.where();
    h.time_zone = r.text("time_zone", Need::nonempty).value_or(Text{});
    for (std::size_t day = 0; day < day_names.size(); ++day) {
      auto text = r.text(day_names[day], Need::optional);
      if (!text) continue;
      DayHours& d = h.days[day];
      d.where = text->where;
      if (text->value == "closed") continue;
      const auto dash = text->value.find('-');
      std::optional<int> opens, closes;
      if (dash != std::string::npos) {
        opens = parse_clock(std::string_view(text->value).substr(0, dash));
        closes = parse_clock(std::string_view(text->value).substr(dash + 1));
      }
      if (!opens || !closes || *opens >= *closes) {
        diagnostics_.error(
            "bad-value", text->where,
            "hours." + std::string(day_names[day]) + " is \"" + text->value +
                "\", not an opening range",
            "write \"HH:MM-HH:MM\" in 24-hour time with opening before closing, e.g. "
            "\"07:30-17:30\", or \"closed\"");
        continue;
      }
      d.open = true;
      d.opens_minute = *opens;
      d.closes_minute = *closes;
    }
    if (const toml::node* node = r.node("holidays")) {
      const auto* array = node->as_array();
      if (!array) {
        r.wrong_type("holidays", *node, "an array of dates", "holidays = [2026-12-25]");
        return;
      }
      for (const auto& item : *array) {
        const SourceLocation where = location_of(item.source());
        if (const auto* d = item.as_date()) {
          char text[16];
          std::snprintf(text, sizeof text, "%04u-%02u-%02u", unsigned(d->get().year),
                        unsigned(d->get().month), unsigned(d->get().day));
          h.holidays.push_back({text, where});
        } else if (const auto* s = item.as_string(); s && is_valid_date(s->get())) {
          h.holidays.push_back({s->get(), where});
        } else {
          diagnostics_.error("bad-value", where, "a holiday must be a calendar date",
                             "write holidays as YYYY-MM-DD, e.g. holidays = [2026-12-25]");
        }
      }
    }
  }

  Destination parse_destination(const toml::table& t, std::string id) {
    TableReader r(t, "destinations." + id, diagnostics_,
                  {"kind", "number", "queue", "staffed", "description"});
    Destination d;
    d.id = std::move(id);
    d.where = r.where();
    d.kind = enum_value(r, "kind", Need::required, DestinationKind::unknown);
    d.number = r.text_or("number", "");
    d.queue = r.text_or("queue", "");
    d.staffed = hours_value(r, "staffed", Hours::business_hours, true);
    d.description = r.text("description", Need::nonempty).value_or(Text{});
    if ((d.kind.value == DestinationKind::phone || d.kind.value == DestinationKind::sms) &&
        !r.has("number")) {
      r.missing("number", "\"+15125550100\"");
    }
    if (d.kind.value == DestinationKind::queue && d.queue.value.empty())
      r.missing("queue", "\"dispatch\"");
    return d;
  }

  void parse_owners(const toml::table& t, Owners& o) {
    TableReader r(t, "owners", diagnostics_,
                  {"phone_routing", "booking", "crm_ticketing", "knowledge_base",
                   "privacy_reviewer", "transcript_reviewer", "vendor_support"});
    o.where = r.where();
    o.phone_routing = r.text("phone_routing", Need::nonempty).value_or(Text{});
    o.booking = r.text("booking", Need::nonempty).value_or(Text{});
    o.crm_ticketing = r.text("crm_ticketing", Need::nonempty).value_or(Text{});
    o.knowledge_base = r.text("knowledge_base", Need::nonempty).value_or(Text{});
    o.privacy_reviewer = r.text("privacy_reviewer", Need::nonempty).value_or(Text{});
    o.transcript_reviewer = r.text("transcript_reviewer", Need::nonempty).value_or(Text{});
    o.vendor_support = r.text("vendor_support", Need::nonempty).value_or(Text{});
  }

  System parse_system(const toml::table& t, std::string id) {
    TableReader r(t, "systems." + id, diagnostics_,
                  {"kind", "description", "read", "write", "risk", "owner", "failure_path"});
    System s;
    s.id = std::move(id);
    s.where = r.where();
    s.kind = enum_text(r, "kind", Need::required,
                       {"phone_routing", "calendar", "crm", "ticketing", "odoo", "sms", "analytics",
                        "transcript_storage", "knowledge_base", "other"});
    s.description = r.text("description", Need::nonempty).value_or(Text{});
    s.read = r.text_list("read", Need::optional).value_or(TextList{});
    s.write = r.text_list("write", Need::optional).value_or(TextList{});
    s.risk = r.text("risk", Need::nonempty).value_or(Text{});
    s.owner = r.text("owner", Need::nonempty).value_or(Text{});
    s.failure_path = r.text("failure_path", Need::nonempty).value_or(Text{});
    return s;
  }

  Question parse_question(const toml::table& t, std::string id) {
    TableReader r(t, "questions." + id, diagnostics_,
                  {"type", "prompt", "reprompt", "confirm", "choices", "synonyms", "max_attempts",
                   "answer_seconds", "digits", "labels"});
    Question q;
    q.id = std::move(id);
    q.where = r.where();
    q.type = enum_value(r, "type", Need::required, QuestionType::unknown);
    q.prompt = r.text("prompt", Need::nonempty).value_or(Text{});
    q.reprompt = r.text("reprompt", Need::nonempty).value_or(Text{});
    q.confirm = r.text_or("confirm", "");
    q.choices = r.text_list("choices", Need::optional).value_or(TextList{});
    if (q.type.value == QuestionType::choice && q.choices.size() < 2) {
      if (!r.has("choices")) {
        r.missing("choices", "[\"a\", \"b\"]");
      } else {
        diagnostics_.error("bad-value", r.key_location("choices"),
                           "questions." + q.id + ".choices needs at least two choices",
                           "a choice between fewer than two options is not a question");
      }
    } else if (q.type.value != QuestionType::choice && r.has("choices")) {
      diagnostics_.error("bad-value", r.key_location("choices"),
                         "questions." + q.id + ".choices is only for type = \"choice\"",
                         "remove choices, or set type = \"choice\"");
    }
    if (const toml::table* synonyms = r.table("synonyms", Need::optional)) {
      for (const auto& [choice, list] : *synonyms) {
        const auto* array = list.as_array();
        const std::string_view choice_name = choice.str();
        const bool known = std::any_of(q.choices.begin(), q.choices.end(),
                                       [&](const Text& c) { return c.value == choice_name; });
        if (!known) {
          diagnostics_.error(
              "bad-value", location_of(choice.source()),
              "synonyms for '" + std::string(choice.str()) + "', which is not a choice",
              "synonyms are keyed by one of this question's choices");
        }
        TextList words;
        if (array) {
          for (const auto& word : *array) {
            if (const auto* s = word.as_string())
              words.push_back({s->get(), location_of(word.source())});
          }
        }
        if (!array || words.size() != array->size()) {
          r.wrong_type("synonyms." + std::string(choice.str()), list, "an array of strings",
                       "synonyms = { choice = [\"word\", \"other words\"] }");
        }
        q.synonyms[std::string(choice.str())] = std::move(words);
      }
    }
    if (auto n = r.integer("max_attempts", Need::optional, 1, 5)) q.max_attempts = int(n->value);
    if (auto n = r.integer("answer_seconds", Need::optional, 1, 120))
      q.answer_seconds = int(n->value);
    if (auto n = r.integer("digits", Need::optional, 1, 32)) q.digits = int(n->value);
    q.labels = r.text_list("labels", Need::optional).value_or(TextList{});
    if (r.has("labels") &&
        (q.type.value == QuestionType::name || q.type.value == QuestionType::phone ||
         q.type.value == QuestionType::address)) {
      diagnostics_.error("bad-value", r.key_location("labels"),
                         "questions." + q.id +
                             ".labels is only for yes_no, scale, choice, datetime, digits and text",
                         "a " + std::string(to_string(q.type.value)) +
                             " answer is recognised by its form; remove labels");
    }
    if (r.has("digits") && q.type.value != QuestionType::digits) {
      diagnostics_.error("bad-value", r.key_location("digits"),
                         "questions." + q.id + ".digits is only for type = \"digits\"",
                         "remove digits, or set type = \"digits\"");
    }
    return q;
  }

  Intent parse_intent(const toml::table& t, std::string id) {
    TableReader r(t, "intents." + id, diagnostics_,
                  {"description", "examples", "keywords", "start", "concepts"});
    Intent i;
    i.id = std::move(id);
    i.where = r.where();
    i.description = r.text("description", Need::nonempty).value_or(Text{});
    i.examples = r.text_list("examples", Need::nonempty).value_or(TextList{});
    if (i.examples.size() == 1) {
      diagnostics_.error("bad-value", i.examples[0].where,
                         "intents." + i.id + ".examples has one example",
                         "give at least two ways a caller might say it");
    }
    i.keywords = r.text_list("keywords", Need::optional).value_or(TextList{});
    i.concepts = r.text_list("concepts", Need::optional).value_or(TextList{});
    i.start = r.text("start", Need::nonempty).value_or(Text{});
    return i;
  }

  Step parse_step(const toml::table& t, std::string id) {
    TableReader r(t, "steps." + id, diagnostics_,
                  {"ask", "say", "call", "transfer", "end", "writes", "timeout_ms", "summary",
                   "say_before_end", "next", "branch", "on_ok", "on_error"});
    Step s;
    s.id = std::move(id);
    s.where = r.where();
    static constexpr std::array<std::pair<std::string_view, StepKind>, 5> kinds = {{
        {"ask", StepKind::ask},
        {"say", StepKind::say},
        {"call", StepKind::call},
        {"transfer", StepKind::transfer},
        {"end", StepKind::end},
    }};
    std::vector<std::string_view> present;
    for (const auto& [key, kind] : kinds) {
      if (r.has(key)) {
        present.push_back(key);
        s.kind = kind;
      }
    }
    s.kind_known = present.size() == 1;
    if (present.size() != 1) {
      std::string hint = present.empty()
                             ? "give the step exactly one of ask, say, call, transfer, end"
                             : "split it into one step per action, joined by next";
      diagnostics_.error("step-kind", present.size() > 1 ? r.key_location(present[1]) : s.where,
                         present.empty()
                             ? "step '" + s.id + "' does nothing"
                             : "step '" + s.id + "' has both " + std::string(present[0]) + " and " +
                                   std::string(present[1]),
                         hint);
    }
    if (!present.empty()) {
      const std::string_view kind_key = present.back();
      if (s.kind == StepKind::end) {
        s.target = enum_text(r, "end", Need::required, {"success", "failure"});
      } else {
        s.target = r.text(kind_key, Need::nonempty).value_or(Text{});
      }
    }
    if (auto w = r.boolean("writes", Need::optional)) s.writes = w->value;
    if (auto n = r.integer(
            "timeout_ms",
            s.kind == StepKind::call && present.size() == 1 ? Need::required : Need::optional, 100,
            15000)) {
      s.timeout_ms = int(n->value);
    }
    s.summary = r.text_or("summary", "");
    s.say_before_end = r.text_or("say_before_end", "");
    s.next = r.text_or("next", "");
    s.on_ok = r.text_or("on_ok", "");
    s.on_error = r.text_or("on_error", "");
    if (const toml::table* branch = r.table("branch", Need::optional)) {
      for (const auto& [answer, target] : *branch) {
        const auto* step = target.as_string();
        if (!step) {
          r.wrong_type("branch." + std::string(answer.str()), target, "a step id",
                       "branch = { yes = \"step_id\", no = \"other_step\" }");
          continue;
        }
        s.branch.push_back({Text{std::string(answer.str()), location_of(answer.source())},
                            Text{step->get(), location_of(target.source())}});
      }
    }
    // Keys that belong to another kind of step are mistakes worth naming.
    auto only_for = [&](std::string_view key, std::initializer_list<StepKind> allowed) {
      if (!r.has(key) || present.size() != 1) return;
      if (std::find(allowed.begin(), allowed.end(), s.kind) != allowed.end()) return;
      diagnostics_.error("bad-value", r.key_location(key),
                         std::string(key) + " does not apply to a " + to_string(s.kind) + " step",
                         "remove it; see STEPS in voiceops-contract(5) for the keys of each kind");
    };
    only_for("writes", {StepKind::call});
    only_for("timeout_ms", {StepKind::call});
    only_for("on_ok", {StepKind::call});
    only_for("on_error", {StepKind::call});
    only_for("summary", {StepKind::transfer});
    only_for("say_before_end", {StepKind::end});
    only_for("branch", {StepKind::ask});
    only_for("next", {StepKind::ask, StepKind::say, StepKind::transfer});
    return s;
  }

  EscalationRow parse_escalation(const toml::table& t) {
    TableReader r(t, "escalation", diagnostics_,
                  {"trigger", "name", "keywords", "dtmf", "slot", "values", "action", "destination",
                   "promise", "hours", "after_hours_destination", "after_hours_promise", "concepts",
                   "with_any", "unless", "priority"});
    EscalationRow row;
    row.where = r.where();
    row.trigger = enum_value(r, "trigger", Need::required, Trigger::unknown);
    row.name = r.text_or("name", "");
    if (row.trigger.value == Trigger::custom && row.name.value.empty())
      r.missing("name", "\"...\"");
    row.keywords = r.text_list("keywords", Need::optional).value_or(TextList{});
    row.concepts = r.text_list("concepts", Need::optional).value_or(TextList{});
    row.with_any = r.text_list("with_any", Need::optional).value_or(TextList{});
    row.unless = r.text_list("unless", Need::optional).value_or(TextList{});
    if (auto n = r.integer("priority", Need::optional, 1, 99)) {
      row.priority = Located<int>{int(n->value), n->where};
    }
    row.dtmf = r.text_or("dtmf", "");
    if (!row.dtmf.value.empty() &&
        row.dtmf.value.find_first_not_of("0123456789*#") != std::string::npos) {
      diagnostics_.error("bad-value", row.dtmf.where,
                         "dtmf \"" + row.dtmf.value + "\" is not keypad keys",
                         "use digits, * and #, e.g. dtmf = \"0\"");
    }
    row.slot = r.text_or("slot", "");
    row.values = r.text_list("values", Need::optional).value_or(TextList{});
    if (!row.slot.value.empty() && row.values.empty()) r.missing("values", "[\"yes\"]");
    if (row.slot.value.empty() && r.has("values")) r.missing("slot", "\"question_id\"");
    row.action = enum_value(r, "action", Need::required, RowAction::unknown);
    row.destination = r.text("destination", Need::nonempty).value_or(Text{});
    row.promise = r.text("promise", Need::nonempty).value_or(Text{});
    row.hours = hours_value(r, "hours", Hours::always, false);
    row.after_hours_destination = r.text_or("after_hours_destination", "");
    row.after_hours_promise = r.text_or("after_hours_promise", "");
    if ((r.has("after_hours_destination") || r.has("after_hours_promise")) &&
        row.hours.value != Hours::always) {
      diagnostics_.error("bad-value", row.hours.where,
                         "after-hours alternatives on a row that applies only " +
                             std::string(to_string(row.hours.value)),
                         "after_hours_destination and after_hours_promise need hours = \"always\"");
    }
    return row;
  }

  // [concepts.<id>] tables, in a contract or a lexicon file (voiceops-contract(5), LEXICON).
 public:
  void parse_concepts(TableReader& top, const std::string& file, std::vector<Concept>& into) {
    for_each_entry(top, "concepts", false, [&](const toml::table& t, std::string id) {
      TableReader r(t, "concepts." + id, diagnostics_,
                    {"description", "question", "terms", "near", "except", "unless"});
      Concept c;
      c.id = std::move(id);
      c.file = file;
      c.where = r.where();
      c.description = r.text("description", Need::nonempty).value_or(Text{});
      c.question = r.text_or("question", "");
      c.terms = r.text_list("terms", Need::optional).value_or(TextList{});
      c.except = r.text_list("except", Need::optional).value_or(TextList{});
      c.unless = r.text_list("unless", Need::optional).value_or(TextList{});
      if (const toml::node* near = r.node("near")) {
        const toml::array* groups = near->as_array();
        bool shaped = groups != nullptr && groups->size() >= 2;
        if (groups) {
          for (const auto& group : *groups) {
            const toml::array* words = group.as_array();
            TextList list;
            if (words) {
              for (const auto& word : *words) {
                if (const auto* text = word.as_string()) {
                  list.push_back({text->get(), location_of(word.source())});
                }
              }
            }
            shaped = shaped && words && !list.empty() && list.size() == words->size();
            c.near.push_back(std::move(list));
          }
        }
        if (!shaped) {
          r.wrong_type("near", *near, "an array of at least two arrays of strings",
                       "near = [[\"smell\", \"odor\"], [\"gas\", \"propane\"]]");
          c.near.clear();
        }
      }
      if (c.terms.empty() && c.near.empty()) {
        diagnostics_.error("empty-field", c.where, "concepts." + c.id + " has no terms and no near",
                           "list the ways callers say it: terms = [\"...\"]");
      }
      into.push_back(std::move(c));
    });
  }

 private:
  void parse_recording(const toml::table& t, Recording& rec) {
    TableReader r(
        t, "recording", diagnostics_,
        {"record_calls", "disclosure", "approved_by", "approved_on", "transcripts_retention_days"});
    rec.where = r.where();
    if (auto b = r.boolean("record_calls", Need::required)) rec.record_calls = b->value;
    if (rec.record_calls) {
      rec.disclosure = r.text("disclosure", Need::nonempty).value_or(Text{});
    } else {
      rec.disclosure = r.text_or("disclosure", "");
    }
    rec.approved_by = r.text("approved_by", Need::nonempty).value_or(Text{});
    rec.approved_on = r.date("approved_on", Need::required).value_or(Text{});
    if (auto n = r.integer("transcripts_retention_days", Need::optional, 1, 3650)) {
      rec.retention_days = int(n->value);
    }
  }

  void parse_rollback(const toml::table& t, Rollback& rb) {
    TableReader r(t, "rollback", diagnostics_,
                  {"forward_to", "disable_intents", "after_hours_only", "owner"});
    rb.where = r.where();
    rb.forward_to = r.text("forward_to", Need::nonempty).value_or(Text{});
    rb.disable_intents = r.text_list("disable_intents", Need::optional).value_or(TextList{});
    if (auto b = r.boolean("after_hours_only", Need::optional)) rb.after_hours_only = b->value;
    rb.owner = r.text("owner", Need::nonempty).value_or(Text{});
  }

  void parse_cost(const toml::table& t, CostModel& c) {
    TableReader r(t, "cost", diagnostics_,
                  {"currency", "telephony_per_minute", "speech_per_request", "tts_per_1k_chars",
                   "llm_per_call", "budget_per_call"});
    c.where = r.where();
    c.currency = r.text("currency", Need::nonempty).value_or(Text{});
    const std::string& currency = c.currency.value;
    if (!currency.empty() &&
        (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(),
                                              [](char ch) { return ch >= 'A' && ch <= 'Z'; }))) {
      diagnostics_.error("bad-value", c.currency.where,
                         "currency \"" + currency + "\" is not an ISO 4217 code",
                         "use three capital letters, e.g. \"USD\"");
    }
    if (auto n = r.number("telephony_per_minute", Need::required, 0))
      c.telephony_per_minute = n->value;
    if (auto n = r.number("speech_per_request", Need::optional, 0)) c.speech_per_request = n->value;
    if (auto n = r.number("tts_per_1k_chars", Need::optional, 0)) c.tts_per_1k_chars = n->value;
    if (auto n = r.number("llm_per_call", Need::optional, 0)) c.llm_per_call = n->value;
    if (auto n = r.number("budget_per_call", Need::optional, 0)) c.budget_per_call = n->value;
  }

  void parse_identification(const toml::table& t, Identification& id) {
    TableReader r(t, "identification", diagnostics_,
                  {"caller_id", "pin_fallback", "directory", "pin_digits", "max_pin_attempts",
                   "confirm_shared_phone"});
    id.present = true;
    id.where = r.where();
    if (auto b = r.boolean("caller_id", Need::optional)) id.caller_id = b->value;
    if (auto b = r.boolean("pin_fallback", Need::optional)) id.pin_fallback = b->value;
    if (auto b = r.boolean("confirm_shared_phone", Need::optional))
      id.confirm_shared_phone = b->value;
    id.directory = r.text("directory", Need::nonempty).value_or(Text{});
    if (auto n = r.integer("pin_digits", Need::optional, 4, 8)) id.pin_digits = int(n->value);
    if (auto n = r.integer("max_pin_attempts", Need::optional, 1, 5))
      id.max_pin_attempts = int(n->value);
  }

  Role parse_role(const toml::table& t, std::string id) {
    TableReader r(t, "roles." + id, diagnostics_,
                  {"title", "kpis", "daily_focus", "micro_commitment", "coaching", "flows"});
    Role role;
    role.id = std::move(id);
    role.where = r.where();
    role.title = r.text("title", Need::nonempty).value_or(Text{});
    role.kpis = r.text_list("kpis", Need::nonempty).value_or(TextList{});
    if (const toml::node* focus = r.node("daily_focus"); focus && focus->is_array()) {
      const auto& items = *focus->as_array();
      if (items.size() > 1) {
        diagnostics_.error(
            "multiple-daily-focus", location_of(items[1].source()),
            "role '" + role.id + "' has " + std::to_string(items.size()) + " daily focuses",
            "the Ops line gives each role one daily focus; keep the most important");
      } else if (items.size() == 1 && items[0].is_string()) {
        role.daily_focus = {*items[0].value<std::string>(), location_of(items[0].source())};
      } else {
        r.wrong_type("daily_focus", *focus, "a string", "daily_focus = \"...\"");
      }
    } else {
      role.daily_focus = r.text("daily_focus", Need::nonempty).value_or(Text{});
    }
    role.micro_commitment = r.text("micro_commitment", Need::nonempty).value_or(Text{});
    role.coaching = r.text_list("coaching", Need::optional).value_or(TextList{});
    role.flows = r.text_list("flows", Need::nonempty).value_or(TextList{});
    return role;
  }

  void parse_odoo(const toml::table& t, OdooMapping& o) {
    TableReader r(t, "odoo", diagnostics_, {"model", "fields", "system"});
    o.present = true;
    o.where = r.where();
    o.model = r.text("model", Need::nonempty).value_or(Text{});
    o.fields = r.text_list("fields", Need::nonempty).value_or(TextList{});
    o.system = r.text("system", Need::nonempty).value_or(Text{});
  }

  const toml::table& root_;
  Diagnostics& diagnostics_;
};

}  // namespace

ParseOutcome parse_contract(std::string_view text, const std::string& file,
                            Diagnostics& diagnostics) {
  ParseOutcome outcome;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.error("empty-file", {}, "the file is empty",
                      "start from a template: voiceops contract init > " + file);
    outcome.status = ExitStatus::data_error;
    return outcome;
  }
  if (auto problem = check_text(text)) {
    diagnostics.error(problem->rule, problem->where, problem->message, problem->hint);
    outcome.status = ExitStatus::data_error;
    return outcome;
  }
  auto root = parse_toml(text, file);
  if (!root) {
    const Diagnostic& d = root.error();
    diagnostics.error(d.rule, d.where, d.message, d.hint);
    outcome.status = ExitStatus::data_error;
    return outcome;
  }

  // `contract validate contracts/*.toml` also meets the Ops line's staff directory.
  if (root->contains("person") && !root->contains("workflow")) {
    outcome.is_staff_directory = true;
    return outcome;
  }

  // The version decides how to read everything else, so check it before anything else.
  const toml::node* version = root->get("schema_version");
  if (!version) {
    diagnostics.error("schema-version", {}, "missing schema_version",
                      "put schema_version = 1 at the top of the file");
  } else if (!version->is_integer()) {
    diagnostics.error(
        "schema-version", location_of(version->source()),
        std::string("schema_version must be an integer, not ") + toml_type_name(*version),
        "schema_version = 1");
  } else {
    const auto number = version->as_integer()->get();
    if (number > current_schema_version) {
      diagnostics.error("schema-newer", location_of(version->source()),
                        "this contract is written for schema version " + std::to_string(number) +
                            "; this voiceops understands version " +
                            std::to_string(current_schema_version),
                        "upgrade voiceops, or write the contract for schema_version = 1");
      outcome.status = ExitStatus::data_error;
      return outcome;
    }
    if (number < 1) {
      diagnostics.error("schema-version", location_of(version->source()),
                        "schema_version " + std::to_string(number) + " does not exist",
                        "schema_version = 1");
    }
  }
  ContractParser parser(*root, diagnostics);
  outcome.contract = parser.parse(file);
  if (version && version->is_integer()) {
    outcome.contract->schema_version = int(version->as_integer()->get());
  }
  return outcome;
}

std::optional<std::vector<Concept>> parse_lexicon(std::string_view text, const std::string& file,
                                                  Diagnostics& diagnostics) {
  if (auto problem = check_text(text)) {
    diagnostics.error(problem->rule, problem->where, problem->message, problem->hint);
    return std::nullopt;
  }
  auto root = parse_toml(text, file);
  if (!root) {
    const Diagnostic& d = root.error();
    diagnostics.error(d.rule, d.where, d.message, d.hint);
    return std::nullopt;
  }
  TableReader top(*root, "", diagnostics, {"schema_version", "description", "concepts"});
  if (auto version = top.integer("schema_version", Need::required, 1, current_schema_version);
      !version) {
    return std::nullopt;
  }
  top.text_or("description", "");
  if (!top.has("concepts")) top.missing("concepts", "[concepts.<id>] tables");
  std::vector<Concept> concepts;
  ContractParser parser(*root, diagnostics);
  parser.parse_concepts(top, file, concepts);
  return concepts;
}

}  // namespace voiceops::contract
