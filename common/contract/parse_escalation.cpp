// The escalation table and the contract's own concepts.
#include "contract/parser.hpp"

namespace voiceops::contract {

EscalationRow ContractParser::parse_escalation(const toml::table& t) {
  TableReader r(t, "escalation", diagnostics_,
                {"trigger", "name", "keywords", "dtmf", "slot", "values", "action", "destination",
                 "promise", "hours", "after_hours_destination", "after_hours_promise", "concepts",
                 "with_any", "unless", "priority"});
  EscalationRow row;
  row.where = r.where();
  row.trigger = enum_value(r, "trigger", Need::required, Trigger::unknown);
  row.name = r.text_or("name", "");
  if (row.trigger.value == Trigger::custom && row.name.value.empty()) r.missing("name", "\"...\"");
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

void ContractParser::parse_concepts(TableReader& top, const std::string& file,
                                    std::vector<Concept>& into) {
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

}  // namespace voiceops::contract
