// The lexicon matched against one utterance: terms by lemma ids with small words in the gaps,
// concept references, exceptions, near words in one sentence, and explanations that take a
// mention back (see concepts.hpp).
#include <algorithm>
#include <limits>

#include "nlu/concepts.hpp"
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
