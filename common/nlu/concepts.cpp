// Concept matching by lemmas, number ranges and concept references (see concepts.hpp).
#include "nlu/concepts.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <limits>

#include "nlu/detail.hpp"

namespace voiceops::nlu {
namespace {

using detail::is_one_of;

constexpr std::size_t max_gap = 3;       // small words allowed between two words of a term
constexpr std::size_t max_near_gap = 6;  // any words between near words that still say it

// Words that may sit inside a term without changing it: "smells like gas", "smell of gas",
// "a kind of burning smell", "gas is leaking", "my mom is 91".
bool is_small_word(std::string_view word) {
  return is_one_of(
      word,
      {"a",          "an",         "the",       "of",         "like",     "kind",      "sort",
       "some",       "any",        "bit",       "little",     "lot",      "real",      "really",
       "very",       "so",         "pretty",    "this",       "that",     "these",     "those",
       "my",         "our",        "your",      "his",        "her",      "their",     "its",
       "just",       "too",        "all",       "weird",      "strange",  "funny",     "faint",
       "strong",     "slight",     "bad",       "awful",      "terrible", "big",       "small",
       "whole",      "heavy",      "is",        "are",        "was",      "were",      "be",
       "been",       "being",      "it",        "there",      "still",    "kinda",     "sorta",
       "definitely", "totally",    "almost",    "bunch",      "lots",     "slightly",  "super",
       "crazy",      "major",      "minor",     "huge",       "tiny",     "rotten",    "nasty",
       "keep",       "keeps",      "kept",      "started",    "starts",   "start",     "now",
       "again",      "suddenly",   "has",       "have",       "had",      "will",      "would",
       "always",     "constantly", "literally", "us",         "me",       "him",       "them",
       "on",         "you",        "itself",    "themselves", "upstairs", "downstairs"});
}

// A sentence for near hits ends at a contrast or a change of subject the caller marks: "the gas
// water heater is fine but there's a weird smell" keeps the gas apart from the smell.
bool ends_sentence(std::string_view word) {
  return is_one_of(word, {"but", "though", "although", "however", "except", "anyway"});
}

bool parse_number(std::string_view text, long long& value) {
  if (text.empty()) return false;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

std::string words_of_span(const detail::Tokens& tokens, std::size_t begin, std::size_t end) {
  return detail::join(tokens, begin, end);
}

Scope combined_scope(const std::vector<Scope>& parts) {
  // Denied if any part is; a fact if any part is ("i replaced the detector's batteries and it's
  // still going off"); otherwise the first part's doubt.
  for (const Scope& s : parts) {
    if (s.polarity == Polarity::negated) return s;
  }
  for (const Scope& s : parts) {
    if (s.polarity == Polarity::affirmed) return s;
  }
  return parts.empty() ? Scope{} : parts.front();
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

struct Lexicon::Probe {
  Probe(const Heard& said, const std::unordered_map<std::string, int>& ids)
      : heard(said), scopes(said.tokens), present(ids.size(), false) {
    const auto id_of = [&](const std::string& word) {
      const auto found = ids.find(word);
      return found == ids.end() ? -1 : found->second;
    };
    for (std::size_t i = 0; i < said.tokens.size(); ++i) {
      lemma_ids.push_back(id_of(said.lemmas[i]));
      text_ids.push_back(id_of(said.tokens[i].text));
      small.push_back(is_small_word(said.tokens[i].text));
      for (const int id : {lemma_ids.back(), text_ids.back()}) {
        if (id >= 0 && !present[static_cast<std::size_t>(id)]) {
          present[static_cast<std::size_t>(id)] = true;
          present_ids.push_back(static_cast<std::size_t>(id));
        }
      }
    }
  }
  const Heard& heard;
  ScopeReader scopes;
  std::vector<int> lemma_ids, text_ids;  // -1: in no term
  std::vector<bool> small;               // may sit inside a term
  std::vector<bool> present;             // per id: said somewhere
  std::vector<std::size_t> present_ids;  // the ids said, each once
};

// Depth first over the gaps: each piece after the first may start up to max_gap small words
// after the last. Returns where the rest of the term from `piece` ends, matched from `pos`.
std::optional<std::size_t> Lexicon::match_at(
    const Term& term, const Probe& probe, std::size_t piece_index, std::size_t pos,
    const std::vector<std::vector<Span>>& term_hits) const {
  if (piece_index == term.size()) return pos;
  const std::size_t size = probe.heard.tokens.size();
  const Piece& piece = term[piece_index];
  const std::size_t gaps = piece_index == 0 ? 0 : max_gap;
  for (std::size_t skip = 0; skip <= gaps && pos + skip < size; ++skip) {
    const std::size_t p = pos + skip;
    if (skip > 0 && !probe.small[p - 1]) break;
    switch (piece.kind) {
      case Piece::Kind::word:
        if (probe.lemma_ids[p] == piece.id) {
          if (auto end = match_at(term, probe, piece_index + 1, p + 1, term_hits)) return end;
        }
        break;
      case Piece::Kind::exact:
        if (probe.text_ids[p] == piece.id) {
          if (auto end = match_at(term, probe, piece_index + 1, p + 1, term_hits)) return end;
        }
        break;
      case Piece::Kind::number: {
        const Heard::Number& number = probe.heard.numbers[p];
        if (number.value >= piece.low && number.value <= piece.high) {
          if (auto end = match_at(term, probe, piece_index + 1, number.end, term_hits)) return end;
        }
        break;
      }
      case Piece::Kind::reference:
        for (const Span& hit : term_hits[piece.target]) {
          if (hit.begin == p) {
            if (auto end = match_at(term, probe, piece_index + 1, hit.end, term_hits)) return end;
          }
        }
        break;
    }
  }
  return std::nullopt;
}

std::vector<Lexicon::Span> Lexicon::matches(const Term& term, const Probe& probe,
                                            const std::vector<std::vector<Span>>& term_hits) const {
  std::vector<Span> out;
  // Every word of the term must be said somewhere: most terms fail here, at no cost per word.
  for (const Piece& piece : term) {
    if ((piece.kind == Piece::Kind::word || piece.kind == Piece::Kind::exact) &&
        !probe.present[static_cast<std::size_t>(piece.id)]) {
      return out;
    }
    if (piece.kind == Piece::Kind::reference && term_hits[piece.target].empty()) return out;
  }
  const Piece& first = term.front();
  for (std::size_t at = 0; at < probe.heard.tokens.size(); ++at) {
    // Cheap first test before the search.
    if (first.kind == Piece::Kind::word && probe.lemma_ids[at] != first.id) continue;
    if (first.kind == Piece::Kind::exact && probe.text_ids[at] != first.id) continue;
    if (first.kind == Piece::Kind::number && probe.heard.numbers[at].value < 0) continue;
    if (auto end = match_at(term, probe, 0, at, term_hits)) out.push_back({at, *end});
  }
  return out;
}

std::vector<ConceptHit> Lexicon::find(const Heard& heard) const {
  const Probe probe(heard, ids_);
  const std::size_t n = concepts_.size();
  // The terms each concept may match here: those its words start, and those starting with a
  // number or a reference, grouped by concept.
  std::vector<std::vector<std::size_t>> candidates(n);
  for (const std::size_t id : probe.present_ids) {
    for (const TermRef& ref : starting_with_[id]) candidates[ref.concept_index].push_back(ref.term);
  }
  std::vector<std::vector<Span>> term_hits(n);
  std::vector<std::vector<ConceptHit>> hits(n);
  std::vector<char> masked;  // per word: part of an exception of the concept at hand
  for (const std::size_t i : order_) {
    const Compiled& c = concepts_[i];
    // Most concepts have nothing here to start from: no work, no allocation.
    if (candidates[i].empty() && c.unanchored.empty() && c.near.empty()) continue;
    masked.assign(heard.tokens.size(), 0);
    for (const auto& term : c.except) {
      for (const Span& span : matches(term, probe, term_hits)) {
        std::fill(masked.begin() + static_cast<std::ptrdiff_t>(span.begin),
                  masked.begin() + static_cast<std::ptrdiff_t>(span.end), 1);
      }
    }
    const auto free = [&](const Span& span) {
      return std::none_of(masked.begin() + static_cast<std::ptrdiff_t>(span.begin),
                          masked.begin() + static_cast<std::ptrdiff_t>(span.end),
                          [](char m) { return m != 0; });
    };
    const auto try_term = [&](std::size_t t) {
      for (const Span& span : matches(c.terms[t], probe, term_hits)) {
        if (!free(span)) continue;
        // One hit per place: the longer term wins where two start together.
        auto same = std::find_if(term_hits[i].begin(), term_hits[i].end(),
                                 [&](const Span& s) { return s.begin == span.begin; });
        if (same != term_hits[i].end()) {
          same->end = std::max(same->end, span.end);
          continue;
        }
        term_hits[i].push_back(span);
      }
    };
    for (const std::size_t t : c.unanchored) try_term(t);
    for (const std::size_t t : candidates[i]) try_term(t);
    std::sort(term_hits[i].begin(), term_hits[i].end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    for (const Span& span : term_hits[i]) {
      hits[i].push_back({c.id, span.begin, span.end,
                         words_of_span(heard.tokens, span.begin, span.end), false,
                         probe.scopes.of(span.begin, span.end)});
    }
    if (!c.near.empty()) find_near(c, i, probe, term_hits, masked, hits[i]);
    if (!c.unless.empty()) explain_away(c, probe, term_hits, hits[i]);
  }
  std::vector<ConceptHit> out;
  for (auto& list : hits) {
    for (auto& hit : list) out.push_back(std::move(hit));
  }
  return out;
}

// Sentences for near and unless: a contrast ends one ("the gas water heater is fine but ...").
static std::vector<std::pair<std::size_t, std::size_t>> sentences_of(const detail::Tokens& tokens) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  for (std::size_t k = 0; k <= tokens.size(); ++k) {
    if (k < tokens.size() && !ends_sentence(tokens[k].text)) continue;
    out.emplace_back(begin, k);
    begin = k + 1;
  }
  return out;
}

void Lexicon::explain_away(const Compiled& c, const Probe& probe,
                           const std::vector<std::vector<Span>>& term_hits,
                           std::vector<ConceptHit>& hits) const {
  const Heard& heard = probe.heard;
  for (const auto& [begin, end] : sentences_of(heard.tokens)) {
    std::optional<Span> reason;
    for (const auto& term : c.unless) {
      for (const Span& span : matches(term, probe, term_hits)) {
        if (span.begin < begin || span.end > end) continue;
        if (probe.scopes.of(span.begin, span.end).polarity == Polarity::negated) {
          continue;  // "it's not the battery"
        }
        reason = span;
        break;
      }
      if (reason) break;
    }
    if (!reason) continue;
    for (ConceptHit& hit : hits) {
      if (hit.begin >= begin && hit.end <= end && hit.scope.polarity != Polarity::negated) {
        hit.scope = {Polarity::negated,
                     "explained: " + words_of_span(heard.tokens, reason->begin, reason->end)};
      }
    }
  }
}

void Lexicon::find_near(const Compiled& c, std::size_t i, const Probe& probe,
                        const std::vector<std::vector<Span>>& term_hits,
                        const std::vector<char>& masked, std::vector<ConceptHit>& hits) const {
  const Heard& heard = probe.heard;
  const auto free = [&](const Span& span) {
    return std::none_of(masked.begin() + static_cast<std::ptrdiff_t>(span.begin),
                        masked.begin() + static_cast<std::ptrdiff_t>(span.end),
                        [](char m) { return m != 0; });
  };
  {
    // Near: each group heard in one sentence, outside the term hits already found.
    std::size_t sentence_begin = 0;
    for (std::size_t k = 0; k <= heard.tokens.size(); ++k) {
      if (k < heard.tokens.size() && !ends_sentence(heard.tokens[k].text)) continue;
      const std::size_t sentence_end = k;
      std::vector<Span> parts;
      // Every place each group is heard in the sentence; then the closest set, one per group.
      std::vector<std::vector<Span>> heard_groups;
      for (const auto& group : c.near) {
        std::vector<Span> spans;
        for (const auto& term : group) {
          for (const Span& span : matches(term, probe, term_hits)) {
            if (span.begin < sentence_begin || span.end > sentence_end || !free(span)) continue;
            const bool inside_term_hit = std::any_of(
                term_hits[i].begin(), term_hits[i].end(),
                [&](const Span& t) { return span.begin < t.end && t.begin < span.end; });
            if (!inside_term_hit && spans.size() < 8) spans.push_back(span);
          }
        }
        if (spans.empty()) break;
        heard_groups.push_back(std::move(spans));
      }
      if (heard_groups.size() == c.near.size()) {
        std::vector<std::size_t> pick(heard_groups.size(), 0), best;
        std::size_t best_width = std::numeric_limits<std::size_t>::max();
        // At most 8 spans a group and a few groups: trying every set is cheap.
        for (;;) {
          std::size_t lo = std::numeric_limits<std::size_t>::max(), hi = 0;
          for (std::size_t g = 0; g < heard_groups.size(); ++g) {
            lo = std::min(lo, heard_groups[g][pick[g]].begin);
            hi = std::max(hi, heard_groups[g][pick[g]].end);
          }
          if (hi - lo < best_width) {
            best_width = hi - lo;
            best = pick;
          }
          std::size_t g = 0;
          while (g < pick.size() && ++pick[g] == heard_groups[g].size()) pick[g++] = 0;
          if (g == pick.size()) break;
        }
        for (std::size_t g = 0; g < heard_groups.size(); ++g)
          parts.push_back(heard_groups[g][best[g]]);
      }
      if (parts.size() == c.near.size() && !parts.empty()) {
        std::vector<Scope> scopes;
        std::string words;
        std::size_t begin = parts.front().begin, end = parts.front().end;
        std::sort(parts.begin(), parts.end(),
                  [](const Span& a, const Span& b) { return a.begin < b.begin; });
        for (const Span& part : parts) {
          scopes.push_back(probe.scopes.of(part.begin, part.end));
          words +=
              (words.empty() ? "" : " ... ") + words_of_span(heard.tokens, part.begin, part.end);
          begin = std::min(begin, part.begin);
          end = std::max(end, part.end);
        }
        // Close together in one clause ("the alarm thing in the hallway is going off"), the
        // words say it, not just suggest it.
        bool close = true;
        for (std::size_t p = 1; p < parts.size() && close; ++p) {
          if (parts[p].begin > parts[p - 1].end + max_near_gap) close = false;
          for (std::size_t k = parts[p - 1].end; close && k < parts[p].begin; ++k) {
            if (heard.tokens[k].pause_after ||
                is_one_of(heard.tokens[k].text,
                          {"and", "but", "so", "because", "cause", "though", "or", "if", "when"})) {
              close = false;
            }
          }
          if (close && parts[p - 1].end > 0 && heard.tokens[parts[p - 1].end - 1].pause_after) {
            close = false;
          }
        }
        hits.push_back({c.id, begin, end, std::move(words), !close, combined_scope(scopes)});
      }
      sentence_begin = k + 1;
    }
  }
}

}  // namespace voiceops::nlu
