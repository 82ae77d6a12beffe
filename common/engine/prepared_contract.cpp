#include "engine/prepared_contract.hpp"

#include <algorithm>
#include <deque>

namespace voiceops::engine {
namespace {

std::vector<std::string> list_of(const contract::TextList& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& t : list) out.push_back(t.value);
  return out;
}

// The questions asked on the steps reachable from `start`, breadth first: the order a caller
// meets them.
std::vector<const contract::Question*> questions_from(const contract::Contract& c,
                                                      const std::string& start) {
  std::vector<const contract::Question*> out;
  std::set<std::string> seen{start};
  std::deque<std::string> queue{start};
  while (!queue.empty()) {
    const contract::Step* step = c.step(queue.front());
    queue.pop_front();
    if (!step) continue;
    if (step->kind == contract::StepKind::ask) {
      if (const contract::Question* q = c.question(step->target.value);
          q && std::find(out.begin(), out.end(), q) == out.end()) {
        out.push_back(q);
      }
    }
    for (const contract::Text& next : step->successors()) {
      if (seen.insert(next.value).second) queue.push_back(next.value);
    }
  }
  return out;
}

// Words too common to show what a call is about.
bool is_common_word(const std::string& word) {
  static const std::set<std::string> common = {
      "a",    "an",   "the",  "is",   "are",  "was",  "it",   "i",     "my",   "we",   "our",
      "you",  "your", "to",   "of",   "and",  "or",   "in",   "on",    "at",   "for",  "with",
      "that", "this", "just", "so",   "um",   "uh",   "yeah", "like",  "have", "has",  "had",
      "be",   "been", "do",   "does", "did",  "not",  "no",   "there", "here", "can",  "could",
      "want", "need", "get",  "got",  "some", "any",  "from", "up",    "out",  "into", "me",
      "us",   "am",   "but",  "all",  "one",  "them", "they", "he",    "she",  "his",  "her"};
  return word.size() < 2 || common.count(word) > 0;
}

}  // namespace

PreparedContract::PreparedContract(const contract::Contract& c) : contract(c) {
  std::vector<nlu::ConceptSource> sources;
  for (const contract::Concept& concept_def : c.concepts) {
    nlu::ConceptSource source{concept_def.id,
                              list_of(concept_def.terms),
                              {},
                              list_of(concept_def.except),
                              list_of(concept_def.unless)};
    for (const auto& group : concept_def.near) source.near.push_back(list_of(group));
    sources.push_back(std::move(source));
  }
  for (std::size_t i = 0; i < c.escalation.size(); ++i) {
    if (!c.escalation[i].keywords.empty()) {
      sources.push_back({row_concept(i), list_of(c.escalation[i].keywords), {}, {}});
    }
  }
  for (const contract::Question& q : c.questions) {
    if (!q.labels.empty()) sources.push_back({label_concept(q.id), list_of(q.labels), {}, {}});
  }
  // Intents' and out-of-scope entries' keywords by word form too ("applying" is "apply").
  for (const contract::Intent& intent : c.intents) {
    if (!intent.keywords.empty()) {
      sources.push_back({intent_concept(intent.id), list_of(intent.keywords), {}, {}});
    }
  }
  for (const contract::OutOfScope& oos : c.out_of_scope) {
    if (!oos.keywords.empty()) {
      sources.push_back({out_of_scope_concept(oos.id), list_of(oos.keywords), {}, {}});
    }
  }
  for (const auto& row : c.escalation) {
    for (const auto* list : {&row.concepts, &row.with_any, &row.unless}) {
      for (const auto& t : *list) topical_concepts.insert(t.value);
    }
  }
  for (const auto& intent : c.intents) {
    for (const auto& t : intent.concepts) topical_concepts.insert(t.value);
  }
  for (const auto& q : c.questions) {
    for (const auto& label : q.labels) {
      if (label.value.size() > 1 && label.value[0] == '@')
        topical_concepts.insert(label.value.substr(1));
    }
  }
  nlu::WordForms forms;
  if (auto compiled = nlu::Lexicon::compile(sources, forms)) {
    lexicon = std::move(*compiled);
  } else {
    lexicon_error = compiled.error();
  }

  for (const contract::Intent& intent : c.intents) {
    intents.push_back(
        nlu::prepare_intent({intent.id, list_of(intent.examples), list_of(intent.keywords)}));
    intent_questions[intent.id] = questions_from(c, intent.start.value);
    for (const auto* list : {&intent.examples, &intent.keywords}) {
      for (const auto& text : *list) {
        for (const auto& word : nlu::tokens(nlu::normalize(text.value))) {
          if (!is_common_word(word)) domain_lemmas.insert(forms.lemma(word));
        }
      }
    }
  }
  for (const contract::OutOfScope& oos : c.out_of_scope) {
    out_of_scope.push_back(
        nlu::prepare_intent({"\x01" + oos.id, list_of(oos.examples), list_of(oos.keywords)}));
    out_of_scope_examples.push_back(nlu::prepare_intent({oos.id, list_of(oos.examples), {}}));
    out_of_scope_keywords.emplace_back(list_of(oos.keywords));
  }
}

}  // namespace voiceops::engine
