#include "contract/validate_lexicon.hpp"

#include <algorithm>
#include <set>

#include "base/spelling.hpp"
#include "contract/lexicon_sources.hpp"
#include "nlu/concepts.hpp"

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

// "@name" inside keywords and labels: the same concept references a concept's terms may hold.
// Returns whether every reference names a defined concept.
bool check_term_references(const Contract& c, Diagnostics& d, const LexiconSource& source) {
  if (!source.terms) return true;
  const auto ids = concept_ids(c);
  bool all_defined = true;
  for (const Text& term : *source.terms) {
    std::string_view rest = term.value;
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      const std::string_view word = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
      if (word.size() > 1 && word.front() == '@' && !c.concept_named(word.substr(1))) {
        all_defined = false;
        d.error("undefined-concept", term.where,
                source.what + " \"" + term.value + "\" names the concept '" +
                    std::string(word.substr(1)) + "', which the lexicon does not define",
                did_you_mean(word.substr(1), ids, "define it under [concepts]"));
      }
    }
  }
  return all_defined;
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
  // Compile every list of terms as the engine will: unknown "@concept", loops and bad numbers
  // are errors, reported where the list is written.
  const std::vector<LexiconSource> sources = lexicon_sources(c);
  bool references_defined = true;
  for (const LexiconSource& source : sources) {
    references_defined = check_term_references(c, d, source) && references_defined;
  }
  nlu::WordForms forms;
  if (auto compiled = nlu::Lexicon::compile(concept_sources(sources), forms);
      !compiled && references_defined) {
    // The message names the concept that is wrong; point at its definition.
    const std::string& message = compiled.error();
    const LexiconSource* culprit = nullptr;
    for (const LexiconSource& source : sources) {
      if (message.find("concept '" + source.source.id + "'") != std::string::npos) {
        culprit = &source;
        break;
      }
    }
    const std::string hint =
        "terms are words, #LOW-HIGH numbers, =exact words and @concept references; see LEXICON "
        "in voiceops-contract(5)";
    if (culprit) {
      std::string text = message;
      if (culprit->terms) {
        // "concept 'row:3'" means nothing to the author: name the list instead.
        const std::string id = "concept '" + culprit->source.id + "'";
        text.replace(text.find(id), id.size(), culprit->what);
      }
      SourceLocation where = culprit->where;
      if (culprit->terms) {
        for (const Text& term : *culprit->terms) {
          if (message.find("\"" + term.value + "\"") != std::string::npos) where = term.where;
        }
      }
      error_in(d, culprit->file, "bad-term", where, text, hint);
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
}

}  // namespace voiceops::contract
