// Contract files parsed: the whole file's frame, its workflow, answers and hours; the other tables
// are read in parse_flow.cpp, parse_escalation.cpp and parse_policies.cpp.
#include "contract/parser.hpp"

namespace voiceops::contract {

Contract ContractParser::parse(const std::string& file) {
  Contract contract;
  contract.file = file;
  TableReader top(
      root_, "", diagnostics_,
      {"schema_version", "workflow",      "answers", "hours",          "destinations", "owners",
       "systems",        "questions",     "intents", "out_of_scope",   "steps",        "escalation",
       "recording",      "rollback",      "cost",    "identification", "roles",        "odoo",
       "tool_calls",     "lexicon_files", "concepts"});
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
    for (const auto& row : *rows) contract.escalation.push_back(parse_escalation(*row.as_table()));
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
  // Keyed by the steps' call names, which hold dots: [tool_calls."odoo.helpdesk.ticket.create"].
  if (const toml::table* calls = top.table("tool_calls", Need::optional)) {
    for (const auto& [name, value] : *calls) {
      if (const auto* t = value.as_table()) {
        contract.tool_calls.push_back(parse_tool_call(*t, std::string(name.str())));
      } else {
        top.wrong_type("tool_calls." + std::string(name.str()), value, "a table",
                       "write it as a [tool_calls.\"" + std::string(name.str()) + "\"] section");
      }
    }
  }
  contract.lexicon_files = top.text_list("lexicon_files", Need::optional).value_or(TextList{});
  parse_concepts(top, file, contract.concepts);
  return contract;
}

Text ContractParser::enum_text(TableReader& r, std::string_view key, Need need,
                               std::initializer_list<std::string_view> allowed,
                               std::string fallback) {
  return enum_text(r, key, need, std::span<const std::string_view>(allowed.begin(), allowed.size()),
                   std::move(fallback));
}

Text ContractParser::enum_text(TableReader& r, std::string_view key, Need need,
                               std::span<const std::string_view> allowed, std::string fallback) {
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

Located<Hours> ContractParser::hours_value(TableReader& r, std::string_view key, Hours fallback,
                                           bool allow_never) {
  Text text =
      allow_never
          ? enum_text(r, key, Need::optional, {"always", "business_hours", "after_hours", "never"})
          : enum_text(r, key, Need::optional, {"always", "business_hours", "after_hours"});
  Hours hours = fallback;
  if (text.value == "always") hours = Hours::always;
  if (text.value == "business_hours") hours = Hours::business_hours;
  if (text.value == "after_hours") hours = Hours::after_hours;
  if (text.value == "never") hours = Hours::never;
  return {hours, text.where};
}

void ContractParser::identifier_list(const TextList& list, std::string_view what) {
  for (const auto& item : list) {
    if (!is_identifier(item.value)) {
      diagnostics_.error("bad-identifier", item.where,
                         "'" + item.value + "' is not a valid " + std::string(what) + " id",
                         "ids are lower_snake_case: a letter, then letters, digits or _");
    }
  }
}

void ContractParser::parse_workflow(const toml::table& t, Workflow& w) {
  TableReader r(t, "workflow", diagnostics_,
                {"id", "name", "description", "audience", "caller_type", "allowed_intents",
                 "out_of_scope_intents", "required_questions", "systems_touched", "human_fallback",
                 "success_event", "failure_event", "analytics_owner"});
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
  w.out_of_scope_intents = r.text_list("out_of_scope_intents", Need::nonempty).value_or(TextList{});
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

void ContractParser::parse_answers(const toml::table& t, Answers& a) {
  TableReader r(t, "answers", diagnostics_, {"numbers", "when", "greeting", "voice", "language"});
  a.where = r.where();
  a.numbers = r.text_list("numbers", Need::nonempty).value_or(TextList{});
  a.when = hours_value(r, "when", Hours::always, false);
  a.greeting = r.text("greeting", Need::nonempty).value_or(Text{});
  a.voice = r.text("voice", Need::optional);  // checked in validate_voice.cpp
  a.language = r.text("language", Need::optional);
}

std::optional<int> ContractParser::parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) return std::nullopt;
  return hour * 60 + minute;
}

std::optional<std::pair<int, int>> ContractParser::parse_clock_range(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto starts = parse_clock(text.substr(0, dash));
  const auto ends = parse_clock(text.substr(dash + 1));
  if (!starts || !ends || *starts >= *ends) return std::nullopt;
  return std::pair{*starts, *ends};
}

void ContractParser::parse_hours(const toml::table& t, BusinessHours& h) {
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
    const auto range = parse_clock_range(text->value);
    if (!range) {
      diagnostics_.error("bad-value", text->where,
                         "hours." + std::string(day_names[day]) + " is \"" + text->value +
                             "\", not an opening range",
                         "write \"HH:MM-HH:MM\" in 24-hour time with opening before closing, e.g. "
                         "\"07:30-17:30\", or \"closed\"");
      continue;
    }
    d.open = true;
    d.opens_minute = range->first;
    d.closes_minute = range->second;
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
