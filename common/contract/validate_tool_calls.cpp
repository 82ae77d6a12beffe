// [tool_calls]: each mapping names an operation voiceopsd knows, a plausible Odoo model, templates
// whose names the call has, and a call some step makes; and an Odoo step without one is pointed
// out, since on a live call it can only take its on_error path.
#include <algorithm>
#include <set>

#include "contract/validator.hpp"

namespace voiceops::contract {
namespace {

// The facts of a call a template may name besides the contract's questions.
constexpr std::array<std::string_view, 8> call_facts = {
    "caller", "called", "call_id", "intent", "summary", "workflow", "started_at", "partner_id"};

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

}  // namespace

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
                       "intent, summary, workflow, started_at, partner_id"));
    }
  };

  for (const auto& mapping : c_.tool_calls) {
    const std::string path = "tool_calls.\"" + mapping.call + "\"";
    const std::string& operation = mapping.operation.value;
    if (operation != "create" && operation != "find" && operation != "outbox") {
      if (!operation.empty()) {
        d_.error("bad-value", mapping.operation.where,
                 path + ".operation '" + operation + "' is not create, find or outbox",
                 "create makes one record per call (retries update it), find looks one up, "
                 "outbox leaves the call's record to the export");
      }
      continue;
    }
    if (!called.contains(mapping.call)) {
      d_.warning("tool-call-unused", mapping.where, path + " maps a call no step makes",
                 suggest(mapping.call, std::vector<std::string>(called.begin(), called.end()),
                         "name it after a step's call, or remove it"));
    }
    // Each operation's own keys; another's would be ignored without a word.
    const auto refuse = [&](bool present, const SourceLocation& at, std::string_view key) {
      if (!present) return;
      d_.error(
          "bad-value", at,
          path + " has " + std::string(key) + ", which operation '" + operation + "' does not use",
          operation == "outbox" ? "an outbox step sends nothing during the call: remove it"
                                : "values are for create, domain for find");
    };
    refuse(operation == "outbox" && !mapping.model.value.empty(), mapping.model.where, "model");
    refuse(operation != "create" && !mapping.values.empty(),
           mapping.values.empty() ? mapping.where : mapping.values.front().first.where, "values");
    refuse(operation != "find" && !mapping.domain.empty(),
           mapping.domain.empty() ? mapping.where : mapping.domain.front()[0].where, "domain");
    if (operation == "outbox") continue;
    if (!plausible_model(mapping.model.value)) {
      d_.error(mapping.model.value.empty() ? "missing-field" : "bad-value",
               mapping.model.value.empty() ? mapping.where : mapping.model.where,
               path + (mapping.model.value.empty()
                           ? " has no model"
                           : ".model '" + mapping.model.value + "' is not an Odoo model name"),
               "name the Odoo model, e.g. model = \"helpdesk.ticket\"");
    }
    if (operation == "create" && mapping.values.empty()) {
      d_.error("missing-field", mapping.where, path + " creates a record with no values",
               "add values = { name = \"...\", ... }");
    }
    if (operation == "find" && mapping.domain.empty()) {
      d_.error("missing-field", mapping.where, path + " finds a record with no domain",
               "add domain = [[\"phone\", \"=\", \"{caller}\"]]");
    }
    const auto field_name = [](std::string_view name) {
      return plausible_model(name) && name.find('.') == std::string_view::npos && name != "id";
    };
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
    for (const auto& leaf : mapping.domain) {
      if (!field_name(leaf[0].value)) {
        d_.error("bad-value", leaf[0].where,
                 path + ".domain: '" + leaf[0].value + "' is not an Odoo field name",
                 "name a field of the model, e.g. [\"phone\", \"=\", \"{caller}\"]");
      }
      if (std::find(operators.begin(), operators.end(), leaf[1].value) == operators.end()) {
        d_.error("bad-value", leaf[1].where,
                 path + ".domain: '" + leaf[1].value + "' is not an Odoo domain operator",
                 "use =, !=, <, <=, >, >=, like, ilike, =like or =ilike");
      }
      check_template(leaf[2], path + ".domain");
    }
  }
  // An Odoo step nobody mapped takes its on_error path on every live call.
  for (const auto& call : called) {
    if (!call.starts_with("odoo.") || c_.tool_call(call)) continue;
    for (const auto& step : c_.steps) {
      if (step.kind != StepKind::call || step.target.value != call) continue;
      d_.warning("tool-call-unmapped", step.target.where,
                 "call '" + call +
                     "' has no [tool_calls] entry: on a live call it takes its "
                     "on_error path",
                 "add [tool_calls.\"" + call +
                     "\"] with operation, model and values "
                     "(voiceops-contract(5), TOOL CALLS)");
      break;
    }
  }
}

}  // namespace voiceops::contract
