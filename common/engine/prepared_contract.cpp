#include "engine/prepared_contract.hpp"

#include "contract/lexicon_sources.hpp"
#include "nlu/detail.hpp"

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
      "a",    "an",   "the",   "is",   "are",  "was",  "it",     "i",     "my",    "we",    "our",
      "you",  "your", "to",    "of",   "and",  "or",   "in",     "on",    "at",    "for",   "with",
      "that", "this", "just",  "so",   "um",   "uh",   "yeah",   "like",  "have",  "has",   "had",
      "be",   "been", "do",    "does", "did",  "not",  "no",     "there", "here",  "can",   "could",
      "want", "need", "get",   "got",  "some", "any",  "from",   "up",    "out",   "into",  "me",
      "us",   "am",   "but",   "all",  "one",  "them", "they",   "he",    "she",   "his",   "her",
      "hi",   "hey",  "hello", "oh",   "okay", "ok",   "well",   "doing", "going", "gonna", "let",
      "make", "go",   "say",   "said", "too",  "very", "really", "still", "now",   "then",  "day"};
  return word.size() < 2 || common.count(word) > 0;
}

}  // namespace

PreparedContract::PreparedContract(const contract::Contract& c)
    : contract(c), zone(time_zone_named(c.hours.time_zone.value)) {
  const std::vector<nlu::ConceptSource> sources =
      contract::concept_sources(contract::lexicon_sources(c));
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
          const std::string lemma = forms.lemma(word);
          if (!is_common_word(word) && !is_common_word(lemma)) domain_lemmas.insert(lemma);
        }
      }
    }
  }
  for (const contract::Question& q : c.questions) {
    if (q.type.value != contract::QuestionType::choice) continue;
    std::set<std::string>& words = choice_words[q.id];
    const auto add = [&](const std::string& phrase) {
      for (const auto& token : nlu::detail::normalize_tokens(phrase, false))
        words.insert(token.text);
    };
    for (const auto& choice : q.choices) add(choice.value);
    for (const auto& [choice, synonyms] : q.synonyms) {
      for (const auto& synonym : synonyms) add(synonym.value);
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
