#include "contract/lexicon_sources.hpp"

namespace voiceops::contract {
namespace {

std::vector<std::string> list_of(const TextList& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& t : list) out.push_back(t.value);
  return out;
}

SourceLocation first_of(const TextList& list, SourceLocation fallback) {
  return list.empty() ? fallback : list.front().where;
}

}  // namespace

std::string row_concept(std::size_t row) {
  return "row:" + std::to_string(row);
}
std::string label_concept(const std::string& question) {
  return "label:" + question;
}
std::string intent_concept(const std::string& intent) {
  return "intent:" + intent;
}
std::string out_of_scope_concept(const std::string& id) {
  return "oos:" + id;
}

std::vector<LexiconSource> lexicon_sources(const Contract& c) {
  std::vector<LexiconSource> out;
  for (const Concept& concept_def : c.concepts) {
    nlu::ConceptSource source{concept_def.id,
                              list_of(concept_def.terms),
                              {},
                              list_of(concept_def.except),
                              list_of(concept_def.unless)};
    for (const auto& group : concept_def.near) source.near.push_back(list_of(group));
    out.push_back({std::move(source), concept_def.file, concept_def.where,
                   "concepts." + concept_def.id, nullptr});
  }
  for (std::size_t i = 0; i < c.escalation.size(); ++i) {
    const EscalationRow& row = c.escalation[i];
    if (row.keywords.empty()) continue;
    out.push_back({{row_concept(i), list_of(row.keywords), {}, {}, {}},
                   "",
                   first_of(row.keywords, row.where),
                   "escalation row " + std::to_string(i + 1) + " keywords",
                   &row.keywords});
  }
  for (const Question& q : c.questions) {
    if (q.labels.empty()) continue;
    out.push_back({{label_concept(q.id), list_of(q.labels), {}, {}, {}},
                   "",
                   first_of(q.labels, q.where),
                   "questions." + q.id + ".labels",
                   &q.labels});
  }
  for (const Intent& intent : c.intents) {
    if (intent.keywords.empty()) continue;
    out.push_back({{intent_concept(intent.id), list_of(intent.keywords), {}, {}, {}},
                   "",
                   first_of(intent.keywords, intent.where),
                   "intents." + intent.id + ".keywords",
                   &intent.keywords});
  }
  for (const OutOfScope& oos : c.out_of_scope) {
    if (oos.keywords.empty()) continue;
    out.push_back({{out_of_scope_concept(oos.id), list_of(oos.keywords), {}, {}, {}},
                   "",
                   first_of(oos.keywords, oos.where),
                   "out_of_scope." + oos.id + ".keywords",
                   &oos.keywords});
  }
  return out;
}

std::vector<nlu::ConceptSource> concept_sources(const std::vector<LexiconSource>& sources) {
  std::vector<nlu::ConceptSource> out;
  out.reserve(sources.size());
  for (const auto& s : sources) out.push_back(s.source);
  return out;
}

}  // namespace voiceops::contract
