#pragma once
// Every list of terms a contract holds, gathered once for the engine and for validation alike:
// the lexicon's concepts, then one pseudo-concept per escalation row with keywords ("row:<index>"),
// per question with labels ("label:<id>"), per intent with keywords ("intent:<id>") and per
// out-of-scope entry with keywords ("oos:<id>"). All are terms (voiceops-contract(5), LEXICON),
// so a keyword may say "@concept" and is matched by word form.
#include <cstddef>
#include <string>
#include <vector>

#include "contract/model.hpp"
#include "nlu/concepts.hpp"

namespace voiceops::contract {

struct LexiconSource {
  nlu::ConceptSource source;
  std::string file;      // where it is written: a lexicon file, or empty for the contract
  SourceLocation where;  // the concept's table, or the first keyword or label
  std::string what;      // how a person names it: "concepts.gas_smell", "escalation row 3 keywords"
  const TextList* terms;  // the terms as written, with their locations (null for a concept)
};

std::vector<LexiconSource> lexicon_sources(const Contract& contract);
std::vector<nlu::ConceptSource> concept_sources(const std::vector<LexiconSource>& sources);

std::string row_concept(std::size_t row);
std::string label_concept(const std::string& question);
std::string intent_concept(const std::string& intent);
std::string out_of_scope_concept(const std::string& id);

}  // namespace voiceops::contract
