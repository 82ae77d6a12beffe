#pragma once
// A contract's words and flow prepared once for every turn of every call: its lexicon compiled
// with the escalation rows' keywords and the questions' labels, its intents ready for ranking,
// and which questions each intent's flow asks. Nothing here changes during a call, so one
// instance serves every thread.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "contract/lexicon_sources.hpp"
#include "contract/model.hpp"
#include "engine/business_hours.hpp"
#include "nlu/concepts.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::engine {

struct PreparedContract {
  explicit PreparedContract(const contract::Contract& contract);

  const contract::Contract& contract;
  // The contract's concepts, then one concept per escalation row with keywords ("row:<index>"),
  // per question with labels ("label:<question id>"), per intent with keywords
  // ("intent:<id>") and per out-of-scope entry with keywords ("oos:<id>").
  nlu::Lexicon lexicon;
  std::string lexicon_error;                      // set only for a contract that did not validate
  std::vector<nlu::PreparedIntent> intents;       // per allowed intent
  std::vector<nlu::PreparedIntent> out_of_scope;  // id "\x01<id>", examples and keywords
  std::vector<nlu::PreparedIntent> out_of_scope_examples;  // the same, examples only
  std::vector<nlu::PhraseList> out_of_scope_keywords;
  // Per intent, the questions its flow may ask, in the order it first asks them: the open slots
  // an utterance is offered to.
  std::map<std::string, std::vector<const contract::Question*>> intent_questions;
  // Lemmas of every intent's examples and keywords: words that show a caller is on topic even
  // when no intent is clear ("the thing upstairs" is not, "the vents" is).
  std::set<std::string> domain_lemmas;
  // Concepts the contract's rows, intents and labels name directly: what the line is about.
  // Building blocks ("not_working", "relative") say nothing on their own.
  std::set<std::string> topical_concepts;
  // Per choice question, every word of its choices and synonyms as callers' words are normalised:
  // an utterance with none of them names no choice.
  std::map<std::string, std::set<std::string>> choice_words;
  // The contract's time zone, looked up once; null when tzdata does not know it.
  const date::time_zone* zone = nullptr;

  static std::string row_concept(std::size_t row) { return contract::row_concept(row); }
  static std::string label_concept(const std::string& question) {
    return contract::label_concept(question);
  }
  static std::string intent_concept(const std::string& intent) {
    return contract::intent_concept(intent);
  }
  static std::string out_of_scope_concept(const std::string& id) {
    return contract::out_of_scope_concept(id);
  }
};

}  // namespace voiceops::engine
