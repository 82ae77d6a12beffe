#include "contract/validate_lexicon.hpp"

#include <algorithm>
#include <set>

#include "nlu/concepts.hpp"
#include "util/spelling.hpp"

namespace voiceops::contract {
namespace {

std::vector<std::string> concept_ids(const Contract& c) {
  std::vector<std::string> ids;
  for (const auto& concept_def : c.concepts) ids.push_back(concept_def.id);
  return ids;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         std::string fallback) {
  if (auto match = closest_match(word, std::span<const std::string>(candidates))) {
    return "did you mean '" + *match + "'?";
  }
  return fallback;
}

// A finding in the file that defines the concept (a lexicon file or the contract).
void error_in(Diagnostics& d, const std::string& file, std::string_view rule, SourceLocation where,
              std::string message, std::string hint) {
  if (file.empty() || file == d.file())
    return d.error(rule, where, std::move(message), std::move(hint));
  d.add({Severity::error, std::string(rule), file, where, std::move(message), std::move(hint)});
}

void check_references(const Contract& c, Diagnostics& d, const TextList& refs,
                      std::string_view what) {
  const auto ids = concept_ids(c);
  for (const Text& ref : refs) {
    if (c.concept_named(ref.value)) continue;
    d.error("undefined-concept", ref.where,
            std::string(what) + " '" + ref.value + "' is not a concept of the lexicon",
            did_you_mean(
                ref.value, ids,
                "define [concepts." + ref.value + "] or list a lexicon file in lexicon_files"));
  }
}

// "@name" inside labels: the same concept references a term may hold.
void check_label_terms(const Contract& c, Diagnostics& d, const Question& q) {
  const auto ids = concept_ids(c);
  for (const Text& label : q.labels) {
    std::string_view rest = label.value;
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      const std::string_view word = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
      if (word.size() > 1 && word.front() == '@' && !c.concept_named(word.substr(1))) {
        d.error("undefined-concept", label.where,
                "label \"" + label.value + "\" names the concept '" + std::string(word.substr(1)) +
                    "', which the lexicon does not define",
                did_you_mean(word.substr(1), ids, "define it under [concepts]"));
      }
    }
  }
}

}  // namespace

void validate_lexicon(const Contract& c, Diagnostics& d) {
  std::set<std::string> seen;
  for (const Concept& concept_def : c.concepts) {
    if (!seen.insert(concept_def.id).second) {
      error_in(d, concept_def.file, "duplicate-concept", concept_def.where,
               "the concept '" + concept_def.id + "' is defined twice",
               "keep one definition; a contract's lexicon files share one set of concept ids");
    }
  }
  // Compile the terms as the engine will: unknown "@concept", loops and bad numbers are errors.
  std::vector<nlu::ConceptSource> sources;
  for (const Concept& concept_def : c.concepts) {
    nlu::ConceptSource source{concept_def.id, {}, {}, {}};
    for (const Text& t : concept_def.terms) source.terms.push_back(t.value);
    for (const Text& t : concept_def.except) source.except.push_back(t.value);
    for (const Text& t : concept_def.unless) source.unless.push_back(t.value);
    for (const TextList& group : concept_def.near) {
      source.near.emplace_back();
      for (const Text& t : group) source.near.back().push_back(t.value);
    }
    sources.push_back(std::move(source));
  }
  nlu::WordForms forms;
  if (auto compiled = nlu::Lexicon::compile(sources, forms); !compiled) {
    // The message names the concept that is wrong; point at its definition.
    const std::string& message = compiled.error();
    const Concept* culprit = nullptr;
    for (const Concept& concept_def : c.concepts) {
      if (message.find("concept '" + concept_def.id + "'") != std::string::npos) {
        culprit = &concept_def;
        break;
      }
    }
    const std::string hint =
        "terms are words, #LOW-HIGH numbers and @concept references; see LEXICON in "
        "voiceops-contract(5)";
    if (culprit) {
      error_in(d, culprit->file, "bad-term", culprit->where, message, hint);
    } else {
      d.error("bad-term", {}, message, hint);
    }
  }
  for (const EscalationRow& row : c.escalation) {
    check_references(c, d, row.concepts, "escalation concept");
    check_references(c, d, row.unless, "escalation unless");
    for (const Text& ref : row.with_any) {
      const bool intent =
          std::any_of(c.workflow.allowed_intents.begin(), c.workflow.allowed_intents.end(),
                      [&](const Text& t) { return t.value == ref.value; });
      if (intent || c.concept_named(ref.value)) continue;
      std::vector<std::string> ids = concept_ids(c);
      for (const Text& t : c.workflow.allowed_intents) ids.push_back(t.value);
      d.error("undefined-concept", ref.where,
              "with_any '" + ref.value + "' is neither an allowed intent nor a concept",
              did_you_mean(ref.value, ids, "name an allowed intent or a concept"));
    }
  }
  for (const Intent& intent : c.intents) check_references(c, d, intent.concepts, "intent concept");
  for (const Question& q : c.questions) check_label_terms(c, d, q);
}

}  // namespace voiceops::contract
