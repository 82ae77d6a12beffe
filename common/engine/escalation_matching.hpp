#pragma once
// Which escalation rows an utterance fires, by the contract's rules and never by judgment: a row
// fires on its keywords or concepts stated as a present fact, on a request for a person, on a
// keypad key or on a slot's value. A safety row whose words were heard only in a hedge, only as
// words near each other, or at low recogniser confidence does not fire: it asks one direct
// question first. Rows that fire together compete by priority (the contract's, or safety, then a
// person, then custom rows, then a high-value lead, then out of scope), then by how many words
// matched, then by their order in the table.
#include <set>
#include <string>
#include <vector>

#include "engine/call_state.hpp"
#include "engine/prepared_contract.hpp"
#include "nlu/concepts.hpp"

namespace voiceops::engine {

struct RowMatch {
  int row = -1;
  std::string concept_id;  // the concept, "keywords", "person request" or "" (slot, keypad, topic)
  std::string words;       // the caller's words that matched
  nlu::Scope scope;
  bool near = false;
  int priority = 0;
  std::size_t specificity = 0;  // words matched
};

struct RowMatches {
  std::vector<RowMatch> fired;   // fire now, best first
  std::vector<RowMatch> unsure;  // safety rows to ask about first, best first
  std::vector<RowMatch> quiet;   // matched words that were denied, supposed, asked for or past
};

// Whether a row applies at this call's hour (its `hours`).
bool row_applies(const contract::EscalationRow& row, bool after_hours);

// The rows `hits` (nlu::Lexicon::find on the utterance) and `said` fire, for a call in `state`.
// `low_confidence`: the recogniser was unsure of the words. `intent` is the intent chosen so far
// or the one this utterance points to, for rows limited by with_any.
RowMatches match_rows(const PreparedContract& prepared, const CallState& state,
                      const std::vector<nlu::ConceptHit>& hits, const nlu::Utterance& said,
                      bool low_confidence, const std::string& intent);

// Orders matches best first (priority, then specificity, then table order).
void rank(std::vector<RowMatch>& matches);

}  // namespace voiceops::engine
