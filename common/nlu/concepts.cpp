// The lexicon built: an utterance's words as lemmas and numbers (Heard), and a contract's terms
// compiled to pieces, ordered by their references and indexed by the words they start with. The
// matching itself is in concepts_find.cpp (see concepts.hpp).
#include <algorithm>
#include <charconv>
#include <functional>

#include "nlu/concepts.hpp"
#include "nlu/detail.hpp"

namespace voiceops::nlu {
namespace {

bool parse_number(std::string_view text, long long& value) {
  if (text.empty()) return false;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

}  // namespace

Heard::Heard(std::string_view utterance, WordForms& forms)
    : Heard(detail::normalize_tokens(utterance), forms) {}

Heard::Heard(detail::Tokens normalised, WordForms& forms) : tokens(std::move(normalised)) {
  lemmas.reserve(tokens.size());
  for (const auto& token : tokens) lemmas.push_back(forms.lemma(token.text));
  numbers.assign(tokens.size(), {});
  const std::vector<std::string> words = detail::words_of(tokens);
  for (const auto& run : detail::number_runs(words)) {
    // Each number of a run on its own ("my dad's 91" is one segment; "three week old" another).
    for (const auto& segment : run.segments) {
      if (segment.begin < numbers.size() && segment.value >= 0) {
        numbers[segment.begin] = {segment.value, segment.end};
      }
    }
    if (run.segments.size() > 1 && run.begin < numbers.size()) {
      long long whole = -1;
      if (const std::string digits = run.concatenated(); digits.size() <= 6) {
        parse_number(digits, whole);
      }
      // "ninety one" may come as two segments; the run read as one number wins at its start.
      if (whole >= 0 && numbers[run.begin].end < run.end) numbers[run.begin] = {whole, run.end};
    }
  }
}

std::optional<Lexicon::Term> Lexicon::compile_term(
    std::string_view text, const std::vector<ConceptSource>& sources, WordForms& forms,
    std::unordered_map<std::string, int>& ids,
    std::unordered_map<std::string, std::vector<int>>& words, std::string& error) {
  const auto intern = [&](const std::string& word) {
    return ids.emplace(word, static_cast<int>(ids.size())).first->second;
  };
  Term term;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    std::string_view word = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    if (word.empty()) continue;
    Piece piece;
    if (word.front() == '@') {
      const std::string_view id = word.substr(1);
      const auto found = std::find_if(sources.begin(), sources.end(),
                                      [&](const ConceptSource& s) { return s.id == id; });
      if (found == sources.end()) {
        error = "\"" + std::string(text) + "\" names the concept '" + std::string(id) +
                "', which the lexicon does not define";
        return std::nullopt;
      }
      piece.kind = Piece::Kind::reference;
      piece.target = static_cast<std::size_t>(found - sources.begin());
    } else if (word.front() == '=' && word.size() > 1) {
      piece.kind = Piece::Kind::exact;
      piece.id = intern(nlu::normalize(word.substr(1)));
    } else if (word.front() == '#') {
      const std::size_t dash = word.find('-', 1);
      long long low = 0, high = 0;
      if (dash == std::string_view::npos || !parse_number(word.substr(1, dash - 1), low) ||
          !parse_number(word.substr(dash + 1), high) || low > high) {
        error = "\"" + std::string(text) + "\": a number is written #LOW-HIGH, as in #65-120";
        return std::nullopt;
      }
      piece.kind = Piece::Kind::number;
      piece.low = low;
      piece.high = high;
    } else {
      // The term's words go through the caller's normalisation: "it's" is "it is", "a/c" "a c".
      // Words recur across terms: each is normalised and stemmed once per compile.
      auto known = words.find(std::string(word));
      if (known == words.end()) {
        std::vector<int> lemma_ids;
        for (const auto& token : detail::normalize_tokens(word, /*drop_fillers=*/false)) {
          lemma_ids.push_back(intern(forms.lemma(token.text)));
        }
        known = words.emplace(std::string(word), std::move(lemma_ids)).first;
      }
      for (const int id : known->second) {
        Piece w;
        w.id = id;
        term.push_back(std::move(w));
      }
      continue;
    }
    term.push_back(std::move(piece));
  }
  if (term.empty()) {
    error = "an empty term";
    return std::nullopt;
  }
  return term;
}

Result<Lexicon, std::string> Lexicon::compile(const std::vector<ConceptSource>& sources,
                                              WordForms& forms) {
  Lexicon lexicon;
  std::string error;
  std::unordered_map<std::string, std::vector<int>> words;  // a term's word -> its lemmas' ids
  const auto compile_list = [&](const ConceptSource& source, const std::vector<std::string>& texts,
                                std::vector<Term>& into) {
    for (const auto& text : texts) {
      auto term = compile_term(text, sources, forms, lexicon.ids_, words, error);
      if (!term) {
        error = "concept '" + source.id + "': " + error;
        return false;
      }
      into.push_back(std::move(*term));
    }
    return true;
  };
  for (const auto& source : sources) {
    Compiled compiled;
    compiled.id = source.id;
    if (!compile_list(source, source.terms, compiled.terms)) return unexpected(error);
    for (const auto& group : source.near) {
      compiled.near.emplace_back();
      if (!compile_list(source, group, compiled.near.back())) return unexpected(error);
    }
    if (!compile_list(source, source.except, compiled.except)) return unexpected(error);
    if (!compile_list(source, source.unless, compiled.unless)) return unexpected(error);
    lexicon.concepts_.push_back(std::move(compiled));
  }
  // Evaluation order: depth first over references; a reference back to a concept being visited
  // is a cycle.
  const std::size_t n = lexicon.concepts_.size();
  std::vector<int> state(n, 0);  // 0 new, 1 visiting, 2 done
  std::function<bool(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] == 2) return true;
    if (state[i] == 1) {
      error = "concept '" + lexicon.concepts_[i].id + "' refers back to itself through '@'";
      return false;
    }
    state[i] = 1;
    const auto refs = [&](const std::vector<Term>& terms) {
      for (const auto& term : terms) {
        for (const auto& piece : term) {
          if (piece.kind == Piece::Kind::reference && !visit(piece.target)) return false;
        }
      }
      return true;
    };
    const Compiled& c = lexicon.concepts_[i];
    if (!refs(c.terms) || !refs(c.except) || !refs(c.unless)) return false;
    for (const auto& group : c.near) {
      if (!refs(group)) return false;
    }
    state[i] = 2;
    lexicon.order_.push_back(i);
    return true;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (!visit(i)) return unexpected(error);
  }
  lexicon.starting_with_.resize(lexicon.ids_.size());
  for (std::size_t i = 0; i < n; ++i) {
    Compiled& c = lexicon.concepts_[i];
    for (std::size_t t = 0; t < c.terms.size(); ++t) {
      const Piece& first = c.terms[t].front();
      if (first.kind == Piece::Kind::word || first.kind == Piece::Kind::exact) {
        lexicon.starting_with_[static_cast<std::size_t>(first.id)].push_back({i, t});
      } else {
        c.unanchored.push_back(t);
      }
    }
  }
  return lexicon;
}

}  // namespace voiceops::nlu
