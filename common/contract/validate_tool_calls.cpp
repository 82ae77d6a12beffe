// [tool_calls]: each mapping names an operation voiceopsd knows, a plausible Odoo model, templates
// whose names the call has, and a call some step makes; and an Odoo step without one is pointed
// out, since on a live call it can only take its on_error path.
#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "contract/validator.hpp"

namespace voiceops::contract {
namespace {

// The facts of a call a template may name besides the contract's questions.
constexpr std::array<std::string_view, 9> call_facts = {"caller",     "called",     "call_id",
                                                        "intent",     "summary",    "workflow",
                                                        "started_at", "partner_id", "now"};

bool plausible_model(std::string_view model) {
  return !model.empty() && model.front() != '.' && model.back() != '.' &&
         std::all_of(model.begin(), model.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
         });
}

// The names a template refers to, each with its offset: "{caller_name} at {caller}".
std::vector<std::pair<std::string, std::size_t>> placeholders(std::string_view text) {
  std::vector<std::pair<std::string, std::size_t>> names;
  for (std::size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    names.emplace_back(std::string(text.substr(open + 1, close - open - 1)), open);
  }
  return names;
}

bool field_name(std::string_view name) {
  return plausible_model(name) && name.find('.') == std::string_view::npos && name != "id";
}

// A field, or a path through related records for a domain: "partner_ids.phone".
bool field_path(std::string_view path) {
  return plausible_model(path) && path.find("..") == std::string_view::npos;
}

// The placeholder a template is made of alone: "{arrival_window}" gives "arrival_window".
std::optional<std::string> sole_placeholder(std::string_view text) {
  const auto names = placeholders(text);
  if (names.size() != 1 || names[0].second != 0 || names[0].first.size() + 2 != text.size())
    return std::nullopt;
  return names[0].first;
}

}  // namespace

// The keys each operation reads; a key another operation reads would be ignored without a word.
const Validator::OperationKeys* Validator::keys_of(std::string_view operation) {
  static constexpr std::array<std::pair<std::string_view, OperationKeys>, 8> table = {{
      {"create", {KeyUse::required, KeyUse::required, KeyUse::never, KeyUse::never}},
      {"find", {KeyUse::required, KeyUse::never, KeyUse::required, KeyUse::never}},
      {"update", {KeyUse::required, KeyUse::required, KeyUse::never, KeyUse::never}},
      {"availability", {KeyUse::required, KeyUse::never, KeyUse::optional, KeyUse::required}},
      {"book", {KeyUse::required, KeyUse::required, KeyUse::optional, KeyUse::required}},
      {"move", {KeyUse::required, KeyUse::never, KeyUse::optional, KeyUse::required}},
      {"outbox", {KeyUse::never, KeyUse::never, KeyUse::never, KeyUse::never}},
      {"text", {KeyUse::never, KeyUse::never, KeyUse::never, KeyUse::never}},
  }};
  for (const auto& [name, keys] : table)
    if (name == operation) return &keys;
  return nullptr;
}

void Validator::check_operation_keys(const ToolCallMapping& mapping, const std::string& path,
                                     const OperationKeys& keys) {
  const std::string& operation = mapping.operation.value;
  const auto refuse = [&](KeyUse need, bool present, const SourceLocation& at,
                          std::string_view key) {
    if (need != KeyUse::never || !present) return;
    d_.error(
        "bad-value", at,
        path + " has " + std::string(key) + ", which operation '" + operation + "' does not use",
        operation == "outbox" ? "an outbox step sends nothing during the call: remove it"
        : operation == "text"
            ? "a text needs only to (a destination) and body (its template)"
            : "values are for create, update and book; domain for find, availability, book and "
              "move; day, window, windows, capacity and days for availability, book and move");
  };
  refuse(keys.model, !mapping.model.value.empty(), mapping.model.where, "model");
  refuse(keys.values, !mapping.values.empty(),
         mapping.values.empty() ? mapping.where : mapping.values.front().first.where, "values");
  refuse(keys.domain, !mapping.domain.empty(),
         mapping.domain.empty() ? mapping.where : mapping.domain.front()[0].where, "domain");
  refuse(keys.window, !mapping.day.value.empty(), mapping.day.where, "day");
  refuse(keys.window, !mapping.window.value.empty(), mapping.window.where, "window");
  refuse(keys.window, !mapping.windows.empty(),
         mapping.windows.empty() ? mapping.where : mapping.windows.front().name.where, "windows");
  refuse(keys.window, mapping.capacity.value > 0, mapping.capacity.where, "capacity");
  refuse(keys.window, !mapping.weekdays.empty(),
         mapping.weekdays.empty() ? mapping.where : mapping.weekdays.front().where, "days");
  refuse(keys.window, !mapping.start_field.value.empty(), mapping.start_field.where, "start_field");
  refuse(keys.window, !mapping.stop_field.value.empty(), mapping.stop_field.where, "stop_field");
  if (operation != "text") {
    for (const Text* key : {&mapping.to, &mapping.body}) {
      if (key->value.empty()) continue;
      d_.error("bad-value", key->where,
               path + " has " + std::string(key == &mapping.to ? "to" : "body") +
                   ", which only operation 'text' uses",
               "to and body are a text's destination and template");
    }
  }
  const auto missing = [&](KeyUse need, bool present, std::string_view what, std::string hint) {
    if (need == KeyUse::required && !present)
      d_.error("missing-field", mapping.where, path + " " + std::string(what), std::move(hint));
  };
  if (operation == "outbox" || operation == "text") return;
  missing(
      keys.values, !mapping.values.empty(),
      operation == "update" ? "changes a record with no values" : "makes a record with no values",
      "add values = { name = \"...\", ... }");
  missing(keys.domain, !mapping.domain.empty(), "finds a record with no domain",
          "add domain = [[\"phone\", \"=\", \"{caller}\"]]");
}

// A text during the call: to a destination with a number to text, with something to say.
void Validator::check_text_keys(const ToolCallMapping& mapping, const std::string& path) {
  std::vector<std::string> textable;
  for (const auto& d : c_.destinations) {
    if (d.kind.value == DestinationKind::sms || d.kind.value == DestinationKind::phone)
      textable.push_back(d.id);
  }
  if (mapping.to.value.empty()) {
    d_.error("missing-field", mapping.where, path + " texts no one: it has no to",
             "add to = \"<destination id>\", a destination of kind sms or phone");
  } else if (const Destination* d = c_.destination(mapping.to.value); !d) {
    d_.error("unknown-destination", mapping.to.where,
             path + ".to names '" + mapping.to.value + "', which is not a destination",
             suggest(mapping.to.value, textable, "name a destination of kind sms or phone"));
  } else if (d->kind.value != DestinationKind::sms && d->kind.value != DestinationKind::phone) {
    d_.error("bad-value", mapping.to.where,
             path + ".to names '" + mapping.to.value + "', a " +
                 std::string(to_string(d->kind.value)) + " destination: only a number is texted",
             suggest(mapping.to.value, textable, "name a destination of kind sms or phone"));
  }
  if (mapping.body.value.empty()) {
    d_.error("missing-field", mapping.where, path + " has no body",
             "add body = \"URGENT: call {callback_number} back. {summary}\"");
  }
}

// day, window, windows and capacity of availability, book and move: present, and fitting the
// questions they name.
void Validator::check_window_keys(
    const ToolCallMapping& mapping, const std::string& path,
    const std::function<void(const Text&, const std::string&)>& check_template) {
  const auto need = [&](bool present, std::string_view key, std::string hint) {
    if (!present)
      d_.error("missing-field", mapping.where, path + " has no " + std::string(key),
               std::move(hint));
  };
  need(!mapping.day.value.empty(), "day", "add day = \"{preferred_date}\": the visit's date");
  need(!mapping.window.value.empty(), "window",
       "add window = \"{arrival_window}\": the name of the window the caller chose");
  need(!mapping.windows.empty(), "windows",
       "add windows = { morning = \"08:00-12:00\", afternoon = \"12:00-17:00\" }");
  need(mapping.capacity.value > 0, "capacity",
       "add capacity = N: how many visits one window holds (the technicians on the road)");
  check_template(mapping.day, path + ".day");
  check_template(mapping.window, path + ".window");
  for (const Text* field : {&mapping.start_field, &mapping.stop_field}) {
    if (!field->value.empty() && !field_name(field->value)) {
      d_.error("bad-value", field->where,
               path + ": '" + field->value + "' is not an Odoo field name",
               "name the model's datetime fields, e.g. start_field = \"start\"");
    }
  }
  // The window sets the start and stop itself.
  for (const auto& [field, value] : mapping.values) {
    if (field.value != mapping.start_name() && field.value != mapping.stop_name()) continue;
    d_.error("bad-value", field.where,
             path + ".values sets " + field.value + ", which the booking's window sets",
             "remove it: a booking starts and stops with the caller's window");
  }
  if (const auto day = sole_placeholder(mapping.day.value)) {
    const Question* question = c_.question(*day);
    if (question && question->type.value != QuestionType::datetime) {
      d_.error("bad-value", mapping.day.where,
               path + ".day names '{" + *day + "}', which is not a datetime question",
               "name the question that asks for the day of the visit");
    }
  }
  // Every answer the window's question allows needs its hours, or that answer can never book.
  const auto window = sole_placeholder(mapping.window.value);
  const Question* question = window ? c_.question(*window) : nullptr;
  if (!question || question->type.value != QuestionType::choice) return;
  for (const auto& choice : question->choices) {
    const bool has_hours =
        std::any_of(mapping.windows.begin(), mapping.windows.end(),
                    [&](const ArrivalWindow& w) { return w.name.value == choice.value; });
    if (!has_hours && !mapping.windows.empty()) {
      d_.error(
          "bad-value", mapping.windows.front().name.where,
          path + ".windows has no hours for '" + choice.value + "', an answer to " + question->id,
          "add " + choice.value + " = \"HH:MM-HH:MM\" to windows");
    }
  }
}

// Odoo's Polish notation: each "|" and "&" takes the two terms after it, "!" the one after it,
// and the top-level terms are joined by an implicit "&".
void Validator::check_domain_shape(const ToolCallMapping& mapping, const std::string& path) {
  int terms = 0;  // complete terms after the current position, read from the end
  for (auto term = mapping.domain.rbegin(); term != mapping.domain.rend(); ++term) {
    if (!is_domain_operator(*term)) {
      ++terms;
      continue;
    }
    const int takes = (*term)[0].value == "!" ? 1 : 2;
    if (terms < takes) {
      d_.error("bad-value", (*term)[0].where,
               path + ".domain: '" + (*term)[0].value + "' is not followed by " +
                   (takes == 1 ? "a term" : "two terms"),
               "write an operator before its terms: [\"|\", [...], [...]]");
      return;
    }
    terms -= takes - 1;
  }
}

void Validator::check_tool_calls() {
  std::set<std::string> called;
  for (const auto& step : c_.steps)
    if (step.kind == StepKind::call) called.insert(step.target.value);

  std::vector<std::string> known_names(call_facts.begin(), call_facts.end());
  for (const auto& q : c_.questions) known_names.push_back(q.id);

  const auto check_template = [&](const Text& text, const std::string& where_named) {
    for (const auto& [name, offset] : placeholders(text.value)) {
      if (std::find(known_names.begin(), known_names.end(), name) != known_names.end()) continue;
      d_.error("unknown-placeholder", text.where,
               where_named + " names '{" + name +
                   "}', which is neither a question nor a fact of "
                   "the call",
               suggest(name, known_names,
                       "use a question id or one of caller, called, call_id, "
                       "intent, summary, workflow, started_at, partner_id, now"));
    }
  };

  // Which models some mapping makes or finds a record of: update and move change that record.
  std::set<std::string> held_models;
  for (const auto& mapping : c_.tool_calls) {
    const std::string& operation = mapping.operation.value;
    if (operation == "create" || operation == "find" || operation == "book")
      held_models.insert(mapping.model.value);
  }

  for (const auto& mapping : c_.tool_calls) {
    const std::string path = "tool_calls.\"" + mapping.call + "\"";
    const std::string& operation = mapping.operation.value;
    const OperationKeys* keys = keys_of(operation);
    if (!keys) {
      if (!operation.empty()) {
        d_.error("bad-value", mapping.operation.where,
                 path + ".operation '" + operation +
                     "' is not create, find, update, availability, book, move, outbox or text",
                 "create makes one record per call (retries update it), find looks one up, "
                 "update changes the record found, availability counts a window, book makes a "
                 "record in a window, move puts the record found in another, outbox leaves the "
                 "call's record to the export, text texts a destination during the call");
      }
      continue;
    }
    if (!called.contains(mapping.call)) {
      d_.warning("tool-call-unused", mapping.where, path + " maps a call no step makes",
                 suggest(mapping.call, std::vector<std::string>(called.begin(), called.end()),
                         "name it after a step's call, or remove it"));
    }
    check_operation_keys(mapping, path, *keys);
    if (operation == "outbox") continue;
    if (operation == "text") {
      check_text_keys(mapping, path);
      check_template(mapping.body, path + ".body");
      for (const auto& [name, offset] : placeholders(mapping.body.value)) {
        if (name != "partner_id") continue;
        d_.error("bad-value", mapping.body.where,
                 path +
                     ".body names '{partner_id}', an Odoo record id, which a text cannot "
                     "fill: texts are sent without asking Odoo",
                 "name the caller with {caller_name} or {caller}");
      }
      continue;
    }
    if (!plausible_model(mapping.model.value)) {
      d_.error(mapping.model.value.empty() ? "missing-field" : "bad-value",
               mapping.model.value.empty() ? mapping.where : mapping.model.where,
               path + (mapping.model.value.empty()
                           ? " has no model"
                           : ".model '" + mapping.model.value + "' is not an Odoo model name"),
               "name the Odoo model, e.g. model = \"helpdesk.ticket\"");
    }
    if ((operation == "update" || operation == "move") &&
        !held_models.contains(mapping.model.value) && plausible_model(mapping.model.value)) {
      d_.warning("tool-call-no-record", mapping.operation.where,
                 path + " changes the " + mapping.model.value +
                     " the call found or made, but no find, create or book mapping gives one: "
                     "on a live call it takes its on_error path",
                 "add a [tool_calls] find for " + mapping.model.value + " on an earlier step");
    }
    for (const auto& [field, value] : mapping.values) {
      if (!field_name(field.value)) {
        d_.error("bad-value", field.where,
                 path + ".values: '" + field.value + "' is not an Odoo field name",
                 "field names are lower_snake_case, e.g. partner_phone; id is voiceops' own "
                 "(the record's external ID)");
      }
      check_template(value, path + ".values." + field.value);
    }
    static constexpr std::array<std::string_view, 10> operators = {
        "=", "!=", "<", "<=", ">", ">=", "like", "ilike", "=like", "=ilike"};
    check_domain_shape(mapping, path);
    for (const auto& leaf : mapping.domain) {
      if (is_domain_operator(leaf)) continue;
      if (!field_path(leaf[0].value)) {
        d_.error("bad-value", leaf[0].where,
                 path + ".domain: '" + leaf[0].value + "' is not an Odoo field name",
                 "name a field of the model, or a path through one, e.g. [\"phone\", \"=\", "
                 "\"{caller}\"] or [\"partner_ids.phone\", \"=\", \"{caller}\"]");
      }
      if (std::find(operators.begin(), operators.end(), leaf[1].value) == operators.end()) {
        d_.error("bad-value", leaf[1].where,
                 path + ".domain: '" + leaf[1].value + "' is not an Odoo domain operator",
                 "use =, !=, <, <=, >, >=, like, ilike, =like or =ilike");
      }
      check_template(leaf[2], path + ".domain");
    }
    if (keys->window == KeyUse::required) check_window_keys(mapping, path, check_template);
  }
  // An Odoo step nobody mapped takes its on_error path on every live call.
  for (const auto& call : called) {
    if (!(call.starts_with("odoo.") || call.starts_with("sms.")) || c_.tool_call(call)) continue;
    for (const auto& step : c_.steps) {
      if (step.kind != StepKind::call || step.target.value != call) continue;
      d_.warning("tool-call-unmapped", step.target.where,
                 "call '" + call +
                     "' has no [tool_calls] entry: on a live call it takes its "
                     "on_error path",
                 call.starts_with("sms.")
                     ? "add [tool_calls.\"" + call +
                           "\"] with operation = \"text\", to (a destination) and body "
                           "(voiceops-contract(5), TOOL CALLS)"
                     : "add [tool_calls.\"" + call +
                           "\"] with operation, model and values "
                           "(voiceops-contract(5), TOOL CALLS)");
      break;
    }
  }
}

}  // namespace voiceops::contract
