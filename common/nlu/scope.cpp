// Polarity of a mention by trigger words scoped over its clause (see scope.hpp).
#include "nlu/scope.hpp"

#include <algorithm>
#include <array>

#include "nlu/detail.hpp"

namespace voiceops::nlu {
namespace {

using detail::is_one_of;

// How far triggers reach, in words, before and after a mention.
constexpr std::size_t reach_before = 8;
constexpr std::size_t reach_after = 4;

// Words that end the clause a hedge, supposition, request or history governs: "if the power goes
// out and i smell gas" keeps "i smell gas" a fact. Negation has its own, tighter scope
// (detail::is_negated).
bool ends_clause(const detail::Tokens& tokens, std::size_t i) {
  return is_one_of(tokens[i].text,
                   {"but", "though", "although", "however", "except", "so", "because", "cause",
                    "and", "anyway", "now", "plus", "also", "then"});
}

// A phrase of already-normalised words starting at `i`.
bool phrase_at(const detail::Tokens& tokens, std::size_t i, std::string_view phrase) {
  std::size_t k = i;
  while (!phrase.empty()) {
    const std::size_t space = phrase.find(' ');
    const std::string_view word = phrase.substr(0, space);
    if (k >= tokens.size() || tokens[k].text != word) return false;
    ++k;
    if (space == std::string_view::npos) break;
    phrase.remove_prefix(space + 1);
  }
  return true;
}

struct Trigger {
  std::string_view words;
  Polarity polarity;
};

// Triggers before a mention, longest first where they share words.
constexpr auto before_triggers = std::to_array<Trigger>({
    // Suppositions and questions about what might happen: nothing is happening now.
    {"what if", Polarity::hypothetical},
    {"in case", Polarity::hypothetical},
    {"if ever", Polarity::hypothetical},
    {"if", Polarity::hypothetical},
    {"suppose", Polarity::hypothetical},
    {"supposing", Polarity::hypothetical},
    {"unless", Polarity::hypothetical},
    {"whether", Polarity::hypothetical},
    {"in the event", Polarity::hypothetical},
    {"should it", Polarity::hypothetical},
    {"would it", Polarity::hypothetical},
    // Hedges: the caller is unsure whether it is happening.
    {"not sure", Polarity::hedged},
    {"not certain", Polarity::hedged},
    {"not positive", Polarity::hedged},
    {"do not know if", Polarity::hedged},
    {"do not know whether", Polarity::hedged},
    {"do not know", Polarity::hedged},
    {"do not think", Polarity::hedged},
    {"can not tell", Polarity::hedged},
    {"could not tell", Polarity::hedged},
    {"hard to tell", Polarity::hedged},
    {"hard to say", Polarity::hedged},
    {"maybe", Polarity::hedged},
    {"might", Polarity::hedged},
    {"may be", Polarity::hedged},
    {"could be", Polarity::hedged},
    {"could it be", Polarity::hedged},
    {"is it", Polarity::hedged},
    {"is that", Polarity::hedged},
    {"possibly", Polarity::hedged},
    {"wonder", Polarity::hedged},
    {"wondering", Polarity::hedged},
    {"i guess", Polarity::hedged},
    {"unsure", Polarity::hedged},
    {"do you think", Polarity::hedged},
    {"should i worry", Polarity::hedged},
    {"should i be worried", Polarity::hedged},
    {"check for", Polarity::hedged},
    {"test for", Polarity::hedged},
    {"look for", Polarity::hedged},
    // Requests for a thing: "can you put in a co detector" asks for equipment.
    {"install", Polarity::requested},
    {"installed", Polarity::requested},
    {"installing", Polarity::requested},
    {"put in", Polarity::requested},
    {"replace", Polarity::requested},
    {"replaced", Polarity::requested},
    {"replacing", Polarity::requested},
    {"buy", Polarity::requested},
    {"bought", Polarity::requested},
    {"sell", Polarity::requested},
    {"add", Polarity::requested},
    {"get a new", Polarity::requested},
    {"need a new", Polarity::requested},
    {"want a new", Polarity::requested},
    {"quote on", Polarity::requested},
    {"quote for", Polarity::requested},
    {"price on", Polarity::requested},
    {"hook up", Polarity::requested},
    {"mount", Polarity::requested},
    // A job done, named by its kind: "i ran that gas leak emergency saturday night".
    {"ran that", Polarity::historical},
    {"ran the", Polarity::historical},
    {"ran a", Polarity::historical},
    {"worked that", Polarity::historical},
    {"handled that", Polarity::historical},
    {"handled the", Polarity::historical},
    {"responded to", Polarity::historical},
    {"went out on", Polarity::historical},
    // A known event, named as past: "all saturday night with that gas leak at the pruitt house".
    {"with that", Polarity::historical},
    {"on that", Polarity::historical},
    {"from that", Polarity::historical},
});

// History: the clause places the mention well in the past ("we had a gas leak last year").
// Hours, nights and days ago are the present emergency, not history.
// A week back is history too ("the lady who smelled gas last week"), unless the clause says it
// goes on ("since last week", "for the last month", "still").
constexpr auto history_markers = std::to_array<std::string_view>({
    "last year",        "last winter",     "last summer",    "last spring",    "last fall",
    "last month",       "last season",     "last week",      "years ago",      "year ago",
    "months ago",       "month ago",       "weeks ago",      "week ago",       "years back",
    "year back",        "months back",     "a few years",    "a couple years", "a couple of years",
    "last weekend",     "the other night", "the other week", "a while back",   "a while ago",
    "used to",          "in the past",     "back in",        "previously",     "once before",
    "when we moved in", "before we moved",
});

// Words that make a past time the start of something still going on: "since last week", "for
// the last month", "it started a few weeks ago", "still", "again".
bool ongoing_before(const detail::Tokens& tokens, std::size_t start, std::size_t marker) {
  if (marker > 0 && is_one_of(tokens[marker - 1].text,
                              {"since", "for", "over", "during", "throughout", "past", "through",
                               "started", "starting", "began", "beginning", "all", "from"})) {
    return true;
  }
  for (std::size_t i = start; i < marker; ++i) {
    if (is_one_of(tokens[i].text, {"since", "still", "again", "keeps", "keep", "ongoing", "ever",
                                   "started", "began"})) {
      return true;
    }
  }
  return false;
}

// Dismissals right after a mention: "the detector is fine, it's just old".
bool dismissed_after(const detail::Tokens& tokens, std::size_t end) {
  std::size_t k = end;
  while (
      k < tokens.size() && k < end + 2 &&
      is_one_of(tokens[k].text, {"is", "are", "was", "were", "seems", "looks", "all", "totally"})) {
    ++k;
  }
  if (k == end || k >= tokens.size()) return false;
  return is_one_of(tokens[k].text, {"fine", "okay", "ok", "good", "normal", "quiet", "silent"}) ||
         phrase_at(tokens, k, "checked out");
}

// A request word used as a noun: "the install crew dumped the refrigerant", "our install today".
bool names_a_job(const detail::Tokens& tokens, std::size_t i) {
  if (i > 0 && is_one_of(tokens[i - 1].text, {"the", "an", "our", "my", "this", "that", "their"})) {
    return true;
  }
  return i + 1 < tokens.size() &&
         is_one_of(tokens[i + 1].text, {"crew", "crews", "job", "jobs", "team", "guys", "guy",
                                        "manager", "tech", "techs", "date", "day", "department"});
}

// Where the clause of the mention at `begin` starts, for modal triggers.
std::size_t clause_start(const detail::Tokens& tokens, std::size_t begin) {
  std::size_t start = begin;
  while (start > 0 && begin - start < reach_before) {
    const std::size_t k = start - 1;
    if (tokens[k].pause_after || ends_clause(tokens, k)) break;
    start = k;
  }
  return start;
}

}  // namespace

std::string_view to_string(Polarity polarity) {
  switch (polarity) {
    case Polarity::affirmed: return "affirmed";
    case Polarity::negated: return "negated";
    case Polarity::hedged: return "hedged";
    case Polarity::hypothetical: return "hypothetical";
    case Polarity::requested: return "requested";
    case Polarity::historical: return "historical";
  }
  return "?";
}

ScopeReader::ScopeReader(const detail::Tokens& tokens)
    : tokens_(tokens),
      trigger_(tokens.size(), -1),
      plain_trigger_(tokens.size(), -1),
      history_(tokens.size(), -1) {
  // Which trigger and which history marker start at each word, once per utterance: every
  // mention's scope then reads them.
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& word = tokens[i].text;
    if (word.empty()) continue;
    for (std::size_t t = 0; t < before_triggers.size(); ++t) {
      // The first letter rules out most triggers before any word is compared.
      if (before_triggers[t].words.front() != word.front() ||
          !phrase_at(tokens, i, before_triggers[t].words)) {
        continue;
      }
      // "the install crew", "our install": a noun, not someone asking for an installation.
      if (before_triggers[t].polarity == Polarity::requested && names_a_job(tokens, i)) continue;
      if (trigger_[i] < 0) trigger_[i] = static_cast<int>(t);
      const bool question =
          before_triggers[t].words == "is it" || before_triggers[t].words == "is that";
      if (!question) {
        plain_trigger_[i] = static_cast<int>(t);
        break;
      }
    }
    for (std::size_t m = 0; m < history_markers.size(); ++m) {
      if (history_markers[m].front() == word.front() && phrase_at(tokens, i, history_markers[m])) {
        history_[i] = static_cast<int>(m);
        break;
      }
    }
  }
}

Scope ScopeReader::of(std::size_t begin, std::size_t end) const {
  const detail::Tokens& tokens = tokens_;
  if (begin >= tokens.size() || end > tokens.size() || begin >= end) return {};
  // Denial first: "i don't think there's any gas" is denied, whatever else the clause says.
  if (detail::is_negated(tokens, begin)) {
    return {Polarity::negated, "before"};
  }
  if (detail::denied_after(tokens, end) || dismissed_after(tokens, end))
    return {Polarity::negated, "after"};

  const std::size_t start = clause_start(tokens, begin);
  Scope found;
  // The trigger nearest the mention governs it: "if it smells like gas, should i worry" is a
  // supposition; "i don't think so, maybe it's gas" a hedge.
  for (std::size_t i = start; i < begin; ++i) {
    // A question ("is it gas?") only where the clause starts: "the problem is it smells".
    const int t = i == start ? trigger_[i] : plain_trigger_[i];
    if (t < 0) continue;
    const Trigger& trigger = before_triggers[static_cast<std::size_t>(t)];
    found = {trigger.polarity, std::string(trigger.words)};
    // Skip the trigger's own words: "do not know if" is one hedge, not a hedge and an "if".
    i += static_cast<std::size_t>(std::count(trigger.words.begin(), trigger.words.end(), ' '));
  }
  // A hedge just after the mention: "it smells like gas maybe", "gas i'm not sure".
  if (found.polarity == Polarity::affirmed) {
    for (std::size_t i = end; i < tokens.size() && i < end + reach_after; ++i) {
      if (phrase_at(tokens, i, "maybe") || phrase_at(tokens, i, "not sure") ||
          phrase_at(tokens, i, "i am not sure") || phrase_at(tokens, i, "or not")) {
        found = {Polarity::hedged, tokens[i].text};
        break;
      }
      if (ends_clause(tokens, i)) break;
    }
  }
  if (found.polarity != Polarity::affirmed) return found;
  // History anywhere in the clause, before or just after.
  std::size_t clause_end = end;
  while (clause_end < tokens.size() && clause_end < end + reach_after &&
         !ends_clause(tokens, clause_end) && !tokens[clause_end - 1].pause_after) {
    ++clause_end;
  }
  for (std::size_t i = start; i < clause_end; ++i) {
    if (history_[i] >= 0 && !ongoing_before(tokens, start, i)) {
      return {Polarity::historical,
              std::string(history_markers[static_cast<std::size_t>(history_[i])])};
    }
  }
  return {};
}

Scope scope_of(const detail::Tokens& tokens, const std::vector<std::string>& lemmas,
               std::size_t begin, std::size_t end) {
  (void)lemmas;
  return ScopeReader(tokens).of(begin, end);
}

}  // namespace voiceops::nlu
