// Short answers: yes/no, a number on a scale, one of a list of choices.
#include <algorithm>
#include <array>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {

namespace {

using detail::is_one_of;

enum class Answer { yes, no, unsure, neither };

struct AnswerPhrase {
  std::string_view words;
  Answer answer;
  bool only_at_end = false;  // "i do", "it is not": answers only when nothing follows
};

constexpr std::array kAnswerPhrases = {
    // Unsure: no answer at all, whatever came before.
    AnswerPhrase{"not sure", Answer::unsure},
    AnswerPhrase{"do not know", Answer::unsure},
    AnswerPhrase{"no idea", Answer::unsure},
    AnswerPhrase{"maybe", Answer::unsure},
    AnswerPhrase{"not certain", Answer::unsure},
    AnswerPhrase{"possibly", Answer::unsure},
    AnswerPhrase{"perhaps", Answer::unsure},
    AnswerPhrase{"kind of", Answer::unsure},
    AnswerPhrase{"sort of", Answer::unsure},
    AnswerPhrase{"it depends", Answer::unsure},
    AnswerPhrase{"hard to say", Answer::unsure},
    AnswerPhrase{"yes and no", Answer::unsure},
    // Words that look like answers but are not.
    AnswerPhrase{"never mind", Answer::neither},
    AnswerPhrase{"good morning", Answer::neither},
    AnswerPhrase{"good afternoon", Answer::neither},
    AnswerPhrase{"good evening", Answer::neither},
    AnswerPhrase{"right now", Answer::neither},
    AnswerPhrase{"right away", Answer::neither},
    AnswerPhrase{"right here", Answer::neither},
    AnswerPhrase{"right there", Answer::neither},
    AnswerPhrase{"right side", Answer::neither},
    AnswerPhrase{"right after", Answer::neither},
    AnswerPhrase{"right before", Answer::neither},
    AnswerPhrase{"right next", Answer::neither},
    AnswerPhrase{"the right", Answer::neither},
    AnswerPhrase{"sure if", Answer::neither},
    // No.
    AnswerPhrase{"no", Answer::no},
    AnswerPhrase{"nope", Answer::no},
    AnswerPhrase{"nah", Answer::no},
    AnswerPhrase{"negative", Answer::no},
    AnswerPhrase{"uh-uh", Answer::no},
    AnswerPhrase{"never", Answer::no},
    AnswerPhrase{"not really", Answer::no},
    AnswerPhrase{"not at all", Answer::no},
    AnswerPhrase{"not quite", Answer::no},
    AnswerPhrase{"not exactly", Answer::no},
    AnswerPhrase{"incorrect", Answer::no},
    AnswerPhrase{"wrong", Answer::no},
    AnswerPhrase{"do not think so", Answer::no},
    AnswerPhrase{"absolutely not", Answer::no},
    AnswerPhrase{"definitely not", Answer::no},
    AnswerPhrase{"of course not", Answer::no},
    AnswerPhrase{"certainly not", Answer::no},
    AnswerPhrase{"not yet", Answer::no},
    AnswerPhrase{"no way", Answer::no},
    AnswerPhrase{"that is not it", Answer::no},
    AnswerPhrase{"not that", Answer::no},
    AnswerPhrase{"i do not", Answer::no, true},
    AnswerPhrase{"it is not", Answer::no, true},
    AnswerPhrase{"it does not", Answer::no, true},
    AnswerPhrase{"we do not", Answer::no, true},
    AnswerPhrase{"i have not", Answer::no, true},
    AnswerPhrase{"it was not", Answer::no, true},
    AnswerPhrase{"i did not", Answer::no, true},
    AnswerPhrase{"is not", Answer::no, true},
    AnswerPhrase{"does not", Answer::no, true},
    AnswerPhrase{"do not", Answer::no, true},
    AnswerPhrase{"did not", Answer::no, true},
    AnswerPhrase{"was not", Answer::no, true},
    AnswerPhrase{"have not", Answer::no, true},
    AnswerPhrase{"has not", Answer::no, true},
    AnswerPhrase{"are not", Answer::no, true},
    AnswerPhrase{"am not", Answer::no, true},
    AnswerPhrase{"can not", Answer::no, true},
    AnswerPhrase{"will not", Answer::no, true},
    // Yes.
    AnswerPhrase{"no problem", Answer::yes},
    AnswerPhrase{"no worries", Answer::yes},
    AnswerPhrase{"no doubt", Answer::yes},
    AnswerPhrase{"yes", Answer::yes},
    AnswerPhrase{"yeah", Answer::yes},
    AnswerPhrase{"yep", Answer::yes},
    AnswerPhrase{"yup", Answer::yes},
    AnswerPhrase{"ya", Answer::yes},
    AnswerPhrase{"sure", Answer::yes},
    AnswerPhrase{"correct", Answer::yes},
    AnswerPhrase{"right", Answer::yes},
    AnswerPhrase{"exactly", Answer::yes},
    AnswerPhrase{"absolutely", Answer::yes},
    AnswerPhrase{"definitely", Answer::yes},
    AnswerPhrase{"certainly", Answer::yes},
    AnswerPhrase{"of course", Answer::yes},
    AnswerPhrase{"affirmative", Answer::yes},
    AnswerPhrase{"uh-huh", Answer::yes},
    AnswerPhrase{"mm-hmm", Answer::yes},
    AnswerPhrase{"okay", Answer::yes},
    AnswerPhrase{"all right", Answer::yes},
    AnswerPhrase{"fine", Answer::yes},
    AnswerPhrase{"sounds good", Answer::yes},
    AnswerPhrase{"sounds great", Answer::yes},
    AnswerPhrase{"that works", Answer::yes},
    AnswerPhrase{"works for me", Answer::yes},
    AnswerPhrase{"perfect", Answer::yes},
    AnswerPhrase{"go ahead", Answer::yes},
    AnswerPhrase{"true", Answer::yes},
    AnswerPhrase{"i think so", Answer::yes},
    AnswerPhrase{"i guess so", Answer::yes},
    AnswerPhrase{"i believe so", Answer::yes},
    AnswerPhrase{"you bet", Answer::yes},
    AnswerPhrase{"you got it", Answer::yes},
    AnswerPhrase{"that is it", Answer::yes},
    AnswerPhrase{"that is the one", Answer::yes},
    AnswerPhrase{"indeed", Answer::yes},
    AnswerPhrase{"totally", Answer::yes},
    AnswerPhrase{"for sure", Answer::yes},
    AnswerPhrase{"good", Answer::yes},
    AnswerPhrase{"great", Answer::yes},
    AnswerPhrase{"please do", Answer::yes, true},
    AnswerPhrase{"please", Answer::yes, true},
    AnswerPhrase{"i do", Answer::yes, true},
    AnswerPhrase{"it is", Answer::yes, true},
    AnswerPhrase{"it does", Answer::yes, true},
    AnswerPhrase{"we do", Answer::yes, true},
    AnswerPhrase{"i am", Answer::yes, true},
    AnswerPhrase{"i have", Answer::yes, true},
    AnswerPhrase{"we have", Answer::yes, true},
    AnswerPhrase{"it was", Answer::yes, true},
    AnswerPhrase{"i did", Answer::yes, true},
    AnswerPhrase{"we did", Answer::yes, true},
    AnswerPhrase{"there is", Answer::yes, true},
    AnswerPhrase{"they are", Answer::yes, true},
    AnswerPhrase{"it has", Answer::yes, true},
    AnswerPhrase{"that is", Answer::yes, true},
};

struct AnswerWords {
  std::vector<std::string> words;
  Answer answer;
  bool only_at_end;
};

// Split once, on first use; immutable after.
const std::vector<AnswerWords>& answer_words() {
  static const std::vector<AnswerWords> split = [] {
    std::vector<AnswerWords> out;
    out.reserve(kAnswerPhrases.size());
    for (const auto& phrase : kAnswerPhrases) {
      out.push_back({tokens(phrase.words), phrase.answer, phrase.only_at_end});
    }
    return out;
  }();
  return split;
}

// The longest answer phrase starting at `i`: its answer and length.
std::optional<std::pair<Answer, std::size_t>> answer_at(const std::vector<AnswerWords>& phrases,
                                                        const std::vector<std::string>& words,
                                                        std::size_t i) {
  std::optional<std::pair<Answer, std::size_t>> best;
  for (const auto& phrase : phrases) {
    const std::size_t length = phrase.words.size();
    if (i + length > words.size() || (phrase.only_at_end && i + length != words.size())) continue;
    if (!std::equal(phrase.words.begin(), phrase.words.end(),
                    words.begin() + static_cast<std::ptrdiff_t>(i))) {
      continue;
    }
    if (!best || length > best->second) best = std::pair{phrase.answer, length};
  }
  return best;
}

}  // namespace

std::optional<YesNo> extract_yes_no(std::string_view utterance) {
  const std::vector<std::string> words = detail::words_of(detail::normalize_tokens(utterance));
  const std::vector<AnswerWords>& phrases = answer_words();
  // The first answer given wins ("no that's okay", "no we're fine" are no; "yep, no gas leak" is
  // yes), unless the caller turns it round at once ("yeah no") or corrects it ("no wait, yes").
  std::optional<Answer> last;
  std::size_t previous_end = std::string::npos;
  auto take = [&](Answer answer, std::size_t begin, std::size_t end) {
    const bool adjacent = previous_end == begin;
    const bool corrected =
        begin > 0 && (words[begin - 1] == "actually" || words[begin - 1] == "wait" ||
                      words[begin - 1] == "mean" || words[begin - 1] == "sorry");
    if (!last || adjacent || corrected) last = answer;
    previous_end = end;
  };
  for (std::size_t i = 0; i < words.size();) {
    const auto found = answer_at(phrases, words, i);
    if (found) {
      if (found->first != Answer::neither) take(found->first, i, i + found->second);
      i += found->second;
      continue;
    }
    // "not" before a yes: "not okay", "not true", "not good".
    if (words[i] == "not" && i + 1 < words.size()) {
      if (const auto next = answer_at(phrases, words, i + 1); next && next->first == Answer::yes) {
        take(Answer::no, i, i + 1 + next->second);
        i += 1 + next->second;
        continue;
      }
    }
    ++i;
  }
  if (!last || *last == Answer::unsure || *last == Answer::neither) return std::nullopt;
  return *last == Answer::yes ? YesNo::yes : YesNo::no;
}

std::optional<int> extract_scale(std::string_view utterance, int low, int high) {
  const std::vector<std::string> words = detail::words_of(detail::normalize_tokens(utterance));
  std::optional<int> result;
  std::size_t excluded_end = std::string::npos;  // where the last "out of 5" / "scale of 1" ended
  for (const auto& run : detail::number_runs(words)) {
    if (run.segments.size() >= 3) continue;  // digits read out: "two six oh one eight"
    for (const auto& segment : run.segments) {
      const std::string_view before =
          segment.begin > 0 ? std::string_view(words[segment.begin - 1]) : std::string_view{};
      // The scale itself is not the answer: "a 3 out of 5", "on a scale of 1 to 5, a 4".
      if (before == "of" || before == "from" ||
          (before == "to" && segment.begin >= 2 && excluded_end == segment.begin - 1)) {
        excluded_end = segment.end;
        continue;
      }
      bool negated = false;
      for (std::size_t back = 1; back <= 3 && back <= segment.begin; ++back) {
        const std::string& w = words[segment.begin - back];
        if (w == "not") negated = true;
        if (!is_one_of(w, {"a", "an", "like", "even", "quite", "really"})) break;
      }
      if (negated || segment.value < low || segment.value > high) continue;
      if (segment.end < words.size() && detail::counts_things(words[segment.end])) continue;
      result = static_cast<int>(segment.value);
    }
  }
  return result;
}

std::optional<std::string> extract_choice(std::string_view utterance,
                                          const std::vector<Choice>& choices) {
  const detail::Tokens words = detail::normalize_tokens(utterance);
  // Rejected options: "not the furnace", "the ac instead of the furnace".
  const auto rejected = [&](std::size_t at) {
    std::size_t k = at;
    while (k > 0 && is_one_of(words[k - 1].text, {"the", "a", "an", "my", "our", "that", "this"})) {
      --k;
    }
    if (k == 0) return false;
    const std::string& before = words[k - 1].text;
    if (before == "not" || before == "never") return true;
    return k >= 2 && ((words[k - 2].text == "instead" && before == "of") ||
                      (words[k - 2].text == "rather" && before == "than"));
  };
  struct Mention {
    std::size_t choice = 0, begin = 0, end = 0;
  };
  std::vector<Mention> mentions;
  std::optional<std::size_t> both_choice;  // a choice that means all of them: "both"
  for (std::size_t c = 0; c < choices.size(); ++c) {
    std::vector<std::string_view> phrases = {choices[c].name};
    phrases.insert(phrases.end(), choices[c].synonyms.begin(), choices[c].synonyms.end());
    for (const auto phrase : phrases) {
      const detail::Tokens wanted = detail::normalize_tokens(phrase, false);
      if (wanted.size() == 1 && is_one_of(wanted[0].text, {"both", "all"})) both_choice = c;
      for (auto at = detail::find_phrase(words, wanted); at;
           at = detail::find_phrase(words, wanted, *at + 1)) {
        if (!rejected(*at)) mentions.push_back({c, *at, *at + wanted.size()});
      }
    }
  }
  if (mentions.empty()) return std::nullopt;
  // The last mention wins; at the same place, the longer phrase ("water heater" over "heater").
  const auto later = [](const Mention& a, const Mention& b) {
    return a.end != b.end ? a.end > b.end : a.end - a.begin > b.end - b.begin;
  };
  std::sort(mentions.begin(), mentions.end(), later);
  const Mention& last = mentions.front();
  // Two options named together are both of them: "both, i guess, the heating and the ac".
  if (both_choice && last.choice != *both_choice) {
    for (std::size_t i = 1; i < mentions.size(); ++i) {
      const Mention& other = mentions[i];
      if (other.end > last.begin || other.choice == last.choice) continue;
      bool joined = false, only_joiners = true;
      for (std::size_t k = other.end; k < last.begin; ++k) {
        joined = joined || is_one_of(words[k].text, {"and", "plus"});
        only_joiners = only_joiners && is_one_of(words[k].text, {"and", "plus", "the", "my", "our",
                                                                 "a", "also", "both"});
      }
      if (joined && only_joiners && other.choice != *both_choice) {
        return choices[*both_choice].name;
      }
      break;
    }
  }
  return choices[last.choice].name;
}

}  // namespace voiceops::nlu
