// Which intent the caller's first words start: the contract's examples ranked, then the lexicon's
// evidence for each (keywords by word form, the intent's concepts), what is asked for counting
// over what is told; a question out of scope is that question.
#include <algorithm>

#include "engine/prepared_contract.hpp"
#include "engine/turn.hpp"
#include "engine/utterance_cues.hpp"
#include "nlu/detail.hpp"

namespace voiceops::engine {
namespace {

using contract::Question;
using contract::QuestionType;
using contract::Step;
using contract::StepKind;
namespace detail = nlu::detail;
using detail::is_one_of;

}  // namespace

// The lexicon's evidence for a candidate: its keywords by word form and, for an intent, the
// concepts the contract lists for it, each raised as a topic (ConceptHit). Words that two of them
// share count once.
Dialogue::Turn::Evidence Dialogue::Turn::lexicon_evidence(const std::string& candidate,
                                                          const Analysis& a) const {
  std::vector<std::string> wanted;
  if (!candidate.empty() && candidate[0] == '\x01') {
    wanted.push_back(PreparedContract::out_of_scope_concept(candidate.substr(1)));
  } else if (const contract::Intent* intent = c_.intent(candidate)) {
    wanted.push_back(PreparedContract::intent_concept(intent->id));
    for (const auto& t : intent->concepts) wanted.push_back(t.value);
  }
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  Evidence evidence;
  for (const nlu::ConceptHit& hit : a.hits) {
    if (!hit.raises_topic() ||
        std::find(wanted.begin(), wanted.end(), hit.concept_id) == wanted.end()) {
      continue;
    }
    evidence.longest = std::max(evidence.longest, hit.end - hit.begin);
    if (hit.concept_id != wanted.front()) evidence.from_concepts = true;
    if (asked_for_at(a.heard.tokens, hit.begin)) {
      evidence.first_asked = std::min(evidence.first_asked, hit.begin);
    }
    const bool overlaps = std::any_of(spans.begin(), spans.end(), [&](const auto& span) {
      return hit.begin < span.second && span.first < hit.end;
    });
    if (!overlaps) spans.emplace_back(hit.begin, hit.end);
  }
  evidence.pieces = static_cast<int>(spans.size());
  return evidence;
}

std::vector<nlu::IntentScore> Dialogue::Turn::rank_candidates(const Analysis& a) const {
  if (a.ranked) return *a.ranked;
  std::vector<const nlu::PreparedIntent*> patterns;
  for (const auto& intent : p_.intents) {
    if (may_use(intent.id)) patterns.push_back(&intent);
  }
  for (const auto& oos : p_.out_of_scope) patterns.push_back(&oos);
  auto ranked = nlu::rank_intents(a.said, patterns);
  std::vector<Evidence> evidence;
  std::size_t first_asked = std::string::npos;
  for (const auto& score : ranked) {
    evidence.push_back(lexicon_evidence(score.id, a));
    first_asked = std::min(first_asked, evidence.back().first_asked);
  }
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const Evidence& e = evidence[i];
    if (e.pieces == 0) continue;
    // More evidence wins; then the head of what is asked for, the first thing a request names
    // ("i need to cancel the repair visit" cancels; "the gas company already came out" only
    // tells); then more specific evidence ("change the day" over "appointment").
    const bool head_of_request = e.first_asked != std::string::npos && e.first_asked == first_asked;
    // A concept of the intent's own ("heat_not_working": "quit blowing warm air") says what the
    // call is about; a keyword ("furnace", "blowing warm") only points at it, and a close likeness
    // to an example may outweigh it.
    ranked[i].score = std::max(ranked[i].score,
                               0.6 + 0.1 * std::min(3, e.pieces) + (head_of_request ? 0.05 : 0) +
                                   0.02 * static_cast<double>(std::min<std::size_t>(e.longest, 5)) +
                                   (e.from_concepts ? 0.15 : 0));
  }
  std::stable_sort(
      ranked.begin(), ranked.end(),
      [](const nlu::IntentScore& x, const nlu::IntentScore& y) { return x.score > y.score; });
  a.ranked = ranked;
  return ranked;
}

void Dialogue::Turn::choose_intent(const Analysis& a) {
  const auto ranked = rank_candidates(a);
  // A question about something out of scope is that question, whatever else its words touch:
  // "what do you charge to come out and look at a furnace" asks a price.
  if (asks_a_question(a.raw, a.heard.tokens)) {
    for (const auto& score : ranked) {
      if (score.id[0] == '\x01' && lexicon_evidence(score.id, a).pieces > 0) {
        route_out_of_scope(score.id.substr(1), a.text);
        return;
      }
    }
  }
  if (ranked.empty() || ranked.front().score < d_.settings_.min_intent_score) {
    // A topic of its own that nothing covers goes to the out-of-scope row, not to "pardon?".
    if (uncovered_topic(a, s_.clarifications == 0) &&
        find_row(contract::Trigger::out_of_scope) >= 0) {
      route_out_of_scope("", a.text);
      return;
    }
    return failed_attempt("Sorry, I'm not sure I follow. ");
  }
  if (ranked.front().id[0] == '\x01') {
    route_out_of_scope(ranked.front().id.substr(1), a.text);
    return;
  }
  start_intent(ranked.front().id, &a);
}

void Dialogue::Turn::start_intent(const std::string& intent, const Analysis* a) {
  s_.intent = intent;
  s_.attempts = 0;
  s_.phase = Phase::choose_intent;
  if (a) {
    pick_role_named(a->text);
    keep_volunteered(*a, nullptr);
    if (s_.phase != Phase::choose_intent) return;  // a value raised a row
  }
  go_to(c_.intent(s_.intent)->start.value);
}

}  // namespace voiceops::engine
