// Intent ranking by word overlap and keywords, and requests for a person.
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {

namespace {

using detail::is_one_of;

bool is_stop_word(std::string_view w) {
  return is_one_of(
      w, {"a",     "an",   "the",  "is",    "are",   "am",    "was",    "were",   "be",     "been",
          "being", "it",   "its",  "i",     "me",    "my",    "we",     "our",    "us",     "you",
          "your",  "he",   "she",  "they",  "them",  "their", "his",    "her",    "to",     "of",
          "and",   "or",   "so",   "just",  "that",  "this",  "these",  "those",  "on",     "in",
          "at",    "for",  "with", "about", "from",  "by",    "as",     "do",     "does",   "did",
          "have",  "has",  "had",  "will",  "would", "can",   "could",  "should", "there",  "here",
          "yeah",  "yes",  "okay", "oh",    "well",  "like",  "really", "very",   "please", "hi",
          "hello", "get",  "got",  "some",  "any",   "if",    "then",   "than",   "too",    "also",
          "need",  "want", "know", "think", "um",    "uh",    "hey",    "all",    "right",  "now"});
}

// Content words as stems; a word in a negator's scope becomes "not_<stem>", so "it's not an
// emergency" shares nothing with "this is an emergency" while "no heat" matches "no heat".
std::vector<std::string> content_keys(const detail::Tokens& tokens) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].text;
    if (detail::is_negator(w) || is_stop_word(w)) continue;
    std::string key = detail::stem(w);
    if (detail::is_negated(tokens, i)) key = "not_" + key;
    keys.push_back(std::move(key));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<std::string> overlap(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b) {
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  return common;
}

bool mentioned(const Utterance& said, const PhraseList::Phrase& phrase) {
  for (auto at = detail::find_phrase(said, phrase); at;
       at = detail::find_phrase(said, phrase, *at + 1)) {
    if (!detail::is_negated(said.tokens, *at)) return true;
  }
  return false;
}

}  // namespace

PreparedIntent prepare_intent(const IntentPattern& pattern) {
  PreparedIntent prepared{pattern.id, {}, {}, PhraseList(pattern.keywords)};
  std::set<std::string> used;
  for (const auto& example : pattern.examples) {
    prepared.example_keys.push_back(content_keys(detail::normalize_tokens(example)));
    used.insert(prepared.example_keys.back().begin(), prepared.example_keys.back().end());
  }
  prepared.used_keys.assign(used.begin(), used.end());
  return prepared;
}

std::vector<IntentScore> rank_intents(std::string_view utterance,
                                      const std::vector<IntentPattern>& intents) {
  std::vector<PreparedIntent> prepared;
  prepared.reserve(intents.size());
  for (const auto& intent : intents) prepared.push_back(prepare_intent(intent));
  std::vector<const PreparedIntent*> pointers;
  for (const auto& intent : prepared) pointers.push_back(&intent);
  return rank_intents(Utterance(utterance), pointers);
}

std::vector<IntentScore> rank_intents(const Utterance& said_words,
                                      const std::vector<const PreparedIntent*>& intents) {
  const std::vector<std::string> said = content_keys(said_words.tokens);

  std::map<std::string, int> intents_using;  // how many intents' examples use each word
  for (const PreparedIntent* intent : intents) {
    for (const auto& key : intent->used_keys) ++intents_using[key];
  }
  // Words many intents share ("heat" in "heat pump" and "when the heat comes on") tell less than
  // words of one intent ("noise"): weights decrease with the number of intents that use them.
  const double intent_count = static_cast<double>(std::max<std::size_t>(1, intents.size()));
  const auto weight = [&](const std::string& key) {
    const auto found = intents_using.find(key);
    const int using_it = found == intents_using.end() ? 1 : found->second;
    return std::log(1.0 + intent_count / using_it);
  };
  const auto total = [&](const std::vector<std::string>& keys) {
    double sum = 0;
    for (const auto& key : keys) sum += weight(key);
    return sum;
  };
  const double said_weight = total(said);

  std::vector<IntentScore> ranked;
  ranked.reserve(intents.size());
  for (const PreparedIntent* intent : intents) {
    // Mostly how much of an example the caller said, a little how much of the caller's words the
    // example explains: long rambling turns still match a short example.
    double best_example = 0;
    for (const auto& wanted : intent->example_keys) {
      const double common = total(overlap(said, wanted));
      if (common <= 0) continue;
      const double covered = common / total(wanted);
      const double explained = common / said_weight;
      best_example = std::max(best_example, 0.6 * covered + 0.4 * explained);
    }
    int keyword_hits = 0;
    for (const auto& keyword : intent->keywords.phrases) {
      if (mentioned(said_words, keyword)) ++keyword_hits;
    }
    double score = best_example;
    if (keyword_hits > 0) {
      score = std::max(score, std::min(1.0, 0.6 + 0.4 * best_example + 0.1 * (keyword_hits - 1)));
    }
    ranked.push_back({intent->id, std::clamp(score, 0.0, 1.0)});
  }
  std::sort(ranked.begin(), ranked.end(), [](const IntentScore& a, const IntentScore& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return ranked;
}

bool asks_for_person(std::string_view utterance) {
  return asks_for_person(Utterance(utterance));
}

bool asks_for_person(const Utterance& said) {
  const detail::Tokens& words = said.tokens;
  if (words.empty()) return false;
  // Keyed or said: pressing 0. A spoken "zero" alone is more often an answer to a question.
  if (words.size() == 1 && words[0].text == "0") return true;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (is_one_of(words[i].text,
                  {"press", "pressed", "pressing", "push", "pushing", "hit", "dial"}) &&
        is_one_of(words[i + 1].text, {"0", "zero"})) {
      return true;
    }
  }
  // Asking for a person by naming one. Normalised once: the list never changes.
  static const PhraseList person_phrases(
      {"operator",      "representative",   "human",
       "real person",   "live person",      "actual person",
       "real human",    "live agent",       "real agent",
       "human agent",   "customer service", "customer support",
       "somebody real", "someone real",     "transfer me",
       "connect me",    "put me through",   "real live person",
       "human being",   "a person please",  "patch me through",
       "patch me in",   "put me on with",   "get me through to"});
  for (const auto& phrase : person_phrases.phrases) {
    if (mentioned(said, phrase)) return true;
  }
  // "can i talk to somebody", "let me speak with someone", "i want a person".
  constexpr auto targets = std::to_array<std::string_view>(
      {"someone", "somebody", "person", "human", "agent", "anyone", "anybody", "people", "operator",
       "representative", "rep", "manager", "supervisor", "dispatcher", "receptionist", "staff",
       "employee"});
  const auto target_within = [&](std::size_t from, std::size_t count,
                                 std::initializer_list<std::string_view> allowed) {
    for (std::size_t k = from; k < words.size() && k < from + count; ++k) {
      const std::string key = detail::word_key(words[k].text);
      for (const auto t : allowed) {
        if (key == detail::word_key(t)) return true;
      }
    }
    return false;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    // "put me through to someone", not "put in something efficient, can somebody ...".
    const bool put_me =
        w == "put" && i + 1 < words.size() && is_one_of(words[i + 1].text, {"me", "us"});
    const bool talk = put_me || is_one_of(w, {"talk", "speak", "speaking", "talking", "chat",
                                              "transfer", "connect"});
    const bool request = is_one_of(w, {"want", "need", "get", "give"});
    bool asks = false;
    if (talk) {
      for (std::size_t k = i + 1; k < words.size() && k <= i + 5 && !asks; ++k) {
        const std::string key = detail::word_key(words[k].text);
        asks = std::any_of(targets.begin(), targets.end(),
                           [&](std::string_view t) { return key == detail::word_key(t); });
      }
    } else if (request) {
      // Only words that can only mean a person: "i need someone" is usually "to come out".
      asks = target_within(i + 1, 4,
                           {"person", "human", "operator", "representative", "agent", "supervisor",
                            "manager", "dispatcher"});
    }
    if (asks && !detail::is_negated(words, i)) return true;
  }
  // "get me somebody who works there", "find us someone to talk to": a person for the caller,
  // not one sent out to the house ("get me someone out here today" is a visit).
  for (std::size_t i = 0; i + 2 < words.size(); ++i) {
    if (!is_one_of(words[i].text, {"get", "give", "find", "put"}) ||
        !is_one_of(words[i + 1].text, {"me", "us"}) ||
        !target_within(i + 2, 3, {"someone", "somebody", "person", "human", "anyone", "anybody"}) ||
        detail::is_negated(words, i)) {
      continue;
    }
    bool visit = false;
    for (std::size_t k = i + 2; k < words.size() && k < i + 8; ++k) {
      visit = visit || is_one_of(words[k].text, {"out", "over", "here", "come", "coming", "today",
                                                 "tomorrow", "look", "fix", "check", "send"});
    }
    if (!visit) return true;
  }
  // "is there anybody i can actually talk to tonight": the person first, the talking after.
  for (std::size_t i = 0; i + 2 < words.size(); ++i) {
    if (!is_one_of(words[i].text, {"anybody", "anyone", "somebody", "someone", "person"})) continue;
    bool by_caller = false;
    for (std::size_t k = i + 1; k < words.size() && k <= i + 5; ++k) {
      by_caller = by_caller || is_one_of(words[k].text, {"i", "we"});
      if (by_caller && is_one_of(words[k].text, {"talk", "speak", "speaking", "talking"})) {
        return true;
      }
    }
  }
  // "somebody who actually works there", "a person who works for you".
  static const PhraseList staff_phrases(
      {"who works there", "who actually works there", "that works there", "who works for you",
       "that works for you", "who works for y'all", "who works for the company"});
  for (const auto& phrase : staff_phrases.phrases) {
    if (mentioned(said, phrase)) return true;
  }
  // Refusing the machine: "i'm not going to do all this with a machine", "i hate these robots".
  // Only the agent is "a machine" or "these robots": "the machine" is often the equipment.
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    const bool machine = w.starts_with("machine") || w.starts_with("robot") ||
                         w.starts_with("computer") || w == "bot" || w == "bots" ||
                         w.starts_with("automat") || w == "recording";
    if (!machine || !is_one_of(words[i - 1].text, {"a", "an", "this", "these", "you"})) continue;
    for (std::size_t k = i > 8 ? i - 8 : 0; k < i; ++k) {
      if (is_one_of(words[k].text, {"not", "never", "hate", "tired", "sick", "refuse", "done"})) {
        return true;
      }
    }
  }
  // "agent" on its own or nearly: "agent", "agent please", "a live agent" - not "my agent said".
  const bool says_agent = std::any_of(words.begin(), words.end(), [](const detail::Token& w) {
    return detail::word_key(w.text) == "agent";
  });
  const bool only_asking = std::all_of(words.begin(), words.end(), [](const detail::Token& w) {
    return is_one_of(w.text, {"a", "an", "the", "agent", "agents", "please", "live", "real",
                              "human", "just", "now", "okay", "yes", "yeah"});
  });
  return says_agent && only_asking;
}

}  // namespace voiceops::nlu
