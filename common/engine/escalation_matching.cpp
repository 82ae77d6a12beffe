#include "engine/escalation_matching.hpp"

#include "engine/business_hours.hpp"

#include <algorithm>

namespace voiceops::engine {
namespace {

using contract::EscalationRow;
using contract::Trigger;

bool listed(const contract::TextList& list, std::string_view id) {
  return std::any_of(list.begin(), list.end(),
                     [&](const contract::Text& t) { return t.value == id; });
}

// with_any: one of the listed intents is the call's, or one of the listed concepts was stated
// in this call (before or now).
bool condition_holds(const EscalationRow& row, const CallState& state,
                     const std::vector<nlu::ConceptHit>& hits, const std::string& intent) {
  if (row.with_any.empty()) return true;
  for (const contract::Text& want : row.with_any) {
    if (want.value == intent || want.value == state.intent) return true;
    if (std::find(state.concepts_heard.begin(), state.concepts_heard.end(), want.value) !=
        state.concepts_heard.end()) {
      return true;
    }
    for (const nlu::ConceptHit& hit : hits) {
      if (hit.concept_id == want.value && hit.affirmed() && !hit.near) return true;
    }
  }
  return false;
}

bool blocked(const EscalationRow& row, const std::vector<nlu::ConceptHit>& hits) {
  for (const nlu::ConceptHit& hit : hits) {
    if (listed(row.unless, hit.concept_id) && hit.scope.polarity != nlu::Polarity::negated) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool row_applies(const EscalationRow& row, bool after_hours) {
  return hours_apply(row.hours.value, !after_hours);
}

void rank(std::vector<RowMatch>& matches) {
  std::stable_sort(matches.begin(), matches.end(), [](const RowMatch& a, const RowMatch& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.specificity != b.specificity) return a.specificity > b.specificity;
    return a.row < b.row;
  });
}

RowMatches match_rows(const PreparedContract& prepared, const CallState& state,
                      const std::vector<nlu::ConceptHit>& hits, const nlu::Utterance& said,
                      bool low_confidence, const std::string& intent) {
  const contract::Contract& c = prepared.contract;
  RowMatches out;
  for (std::size_t i = 0; i < c.escalation.size(); ++i) {
    const EscalationRow& row = c.escalation[i];
    if (!row_applies(row, state.after_hours)) continue;
    const Trigger trigger = row.trigger.value;
    if (trigger == Trigger::tool_failure || trigger == Trigger::repeated_confusion ||
        trigger == Trigger::out_of_scope) {
      continue;  // fired by the flow, not by words
    }
    const int priority = contract::priority_of(row);
    // The best evidence for this row: a fact beats a doubt beats a denial.
    std::optional<RowMatch> fact, doubt, denial;
    const std::string keywords = PreparedContract::row_concept(i);
    for (const nlu::ConceptHit& hit : hits) {
      const bool own_keywords = hit.concept_id == keywords;
      if (!own_keywords && !listed(row.concepts, hit.concept_id)) continue;
      RowMatch match{int(i),
                     own_keywords ? "keywords" : hit.concept_id,
                     hit.words,
                     hit.scope,
                     hit.near,
                     priority,
                     hit.end - hit.begin};
      const bool safety = trigger == Trigger::safety;
      // Safety acts on what is happening now; a lead, a person asked for or a custom flag on a
      // topic raised, wanted or wondered about ("we'd rather just replace it", "thinking about a
      // new system"), never denied or past.
      const bool stated = safety ? hit.affirmed() && !hit.near : hit.raises_topic();
      if (stated && !(safety && low_confidence)) {
        if (!fact || match.specificity > fact->specificity) fact = match;
      } else if (safety && (hit.affirmed() || hit.scope.polarity == nlu::Polarity::hedged)) {
        // Heard, but unsure: near words only, a hedge, or a recogniser that was unsure.
        if (!doubt) doubt = match;
      } else if (!denial) {
        denial = match;
      }
    }
    if (trigger == Trigger::asks_for_person && nlu::asks_for_person(said)) {
      fact = RowMatch{int(i), "person request", "", {}, false, priority, said.tokens.size()};
    }
    if (fact && (blocked(row, hits) || !condition_holds(row, state, hits, intent))) {
      denial = fact;
      denial->scope = {nlu::Polarity::negated, blocked(row, hits) ? "unless" : "with_any"};
      fact.reset();
    }
    if (doubt && !condition_holds(row, state, hits, intent)) doubt.reset();
    if (fact) {
      out.fired.push_back(*fact);
    } else if (doubt) {
      out.unsure.push_back(*doubt);
    } else if (denial) {
      out.quiet.push_back(*denial);
    }
  }
  rank(out.fired);
  rank(out.unsure);
  return out;
}

}  // namespace voiceops::engine
