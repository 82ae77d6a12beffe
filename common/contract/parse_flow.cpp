// Questions, intents and steps: the call's flow as the contract writes it.
#include "contract/parser.hpp"

namespace voiceops::contract {

Question ContractParser::parse_question(const toml::table& t, std::string id) {
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

Intent ContractParser::parse_intent(const toml::table& t, std::string id) {
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

Step ContractParser::parse_step(const toml::table& t, std::string id) {
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
                       present.empty() ? "step '" + s.id + "' does nothing"
                                       : "step '" + s.id + "' has both " + std::string(present[0]) +
                                             " and " + std::string(present[1]),
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

}  // namespace voiceops::contract
