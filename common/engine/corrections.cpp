// Corrections (Rasa's correction pattern): a value said again with a sign of correcting it, or a
// correction cue ("no wait, it's 21 not 12"), replaces the value it refers to, whichever question
// asked it, and only the part it corrects.
#include <algorithm>
#include <cctype>

#include "base/spelling.hpp"
#include "engine/prepared_contract.hpp"
#include "engine/turn.hpp"
#include "engine/utterance_cues.hpp"
#include "nlu/detail.hpp"

namespace voiceops::engine {
namespace {

using contract::Question;
using contract::QuestionType;
using contract::Step;
using contract::StepKind;
namespace detail = nlu::detail;
using detail::is_one_of;

}  // namespace

// A value for a slot already filled, said again with a sign of correcting it: "oh actually
// wait, use my husband's cell instead, five one two ...", "wait go back, i didn't hit it".
bool Dialogue::Turn::restate_filled_value(const Analysis& a) {
  const detail::Tokens& tokens = a.heard.tokens;
  const bool correcting =
      contains_any(tokens, {"actually", "instead", "wait", "change", "correction", "i meant",
                            "scratch that", "rather", "go back", "take that back", "not right",
                            "wrong", "use my", "different number"});
  const Question* current = current_question();
  // "my first name's spelled with a y, l y n n": a spelling for one part of a name given.
  const bool names_a_part =
      contains_any(tokens, {"first name", "last name", "surname", "spelled", "spell"});
  std::string spelled;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    // "with a y, l y n n": the letter named as a hint is not part of the spelling.
    if (i + 2 < tokens.size() && tokens[i].text == "with" &&
        is_one_of(tokens[i + 1].text, {"a", "an", "two", "double"})) {
      i += 2;
      continue;
    }
    std::string run;
    std::size_t k = i;
    while (k < tokens.size() && tokens[k].text.size() == 1 && tokens[k].text[0] >= 'a' &&
           tokens[k].text[0] <= 'z') {
      run += tokens[k++].text;
    }
    if (run.size() > spelled.size()) spelled = run;
    if (k > i) i = k - 1;
  }
  if (names_a_part && spelled.size() >= 2) {
    for (const auto& [id, slot] : s_.slots) {
      const Question* q = c_.question(id);
      if (!q || q->type.value != QuestionType::name || q == current) continue;
      const nlu::NamePart part = contains_any(tokens, {"last name", "surname"})
                                     ? nlu::NamePart::last
                                 : contains_phrase(tokens, "first name") ? nlu::NamePart::first
                                                                         : nlu::NamePart::any;
      std::string word = spelled;
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      const std::string value = replace_name_part(slot.value, word, part);
      if (value == slot.value) continue;
      s_.slots[id] = {value, true, slot.asked_at};
      say("Got it, " + value + ".");
      repeat_prompt();
      return true;
    }
  }
  if (!correcting) return false;
  for (const auto& [id, slot] : s_.slots) {
    const Question* q = c_.question(id);
    if (!q || q == current) continue;
    std::optional<std::string> value;
    switch (q->type.value) {
      case QuestionType::phone: value = nlu::extract_phone(a.text); break;
      case QuestionType::address:
        if (mentions_street(tokens)) value = nlu::extract_address(a.text);
        break;
      case QuestionType::yes_no:
      case QuestionType::scale:
      case QuestionType::choice:
      case QuestionType::datetime:
        // Named by its label: "go back, put my energy down as a three, not a four".
        if (has_label(*q, a)) value = volunteered(*q, a);
        break;
      default: break;
    }
    if (!value || nlu::normalize(*value) == nlu::normalize(slot.value)) continue;
    s_.slots[id] = {*value, true, slot.asked_at};
    check_slot_rows(id, *value);
    if (s_.phase != Phase::ask && s_.phase != Phase::confirm) return true;
    say(q->type.value == QuestionType::yes_no ? "Got it, I've changed that."
                                              : "Got it, " + speakable(*q, *value) + ".");
    repeat_prompt();
    return true;
  }
  return false;
}

// Overwrites the slot a correction refers to, reads it back, and carries on where we were.
bool Dialogue::Turn::apply_correction(const Analysis& a) {
  const std::string& text = a.text;
  if (s_.phase != Phase::ask && s_.phase != Phase::confirm) return false;
  if (restate_filled_value(a)) return true;
  const nlu::Correction correction = nlu::detect_correction(a.heard.tokens);
  if (!correction.is_correction || correction.replacement.empty()) return false;
  // "no, we're one tech short" answers a yes/no question; it corrects nothing.
  if (correction.replaced.empty() && s_.phase == Phase::ask) {
    if (const Question* q = current_question(); q && extract(*q, text, text)) return false;
  }
  const Question* asked = current_question();
  const auto in_group = [&](const std::string& id) {
    return std::find(s_.confirm_group.begin(), s_.confirm_group.end(), id) !=
           s_.confirm_group.end();
  };
  // Which slot: the one holding the replaced words, else the last one filled of a fitting type.
  const Question* target = nullptr;
  std::string new_value;
  if (!correction.replaced.empty()) {
    // The slot being asked or read back first: "no it's twenty one not twelve" at the address.
    std::vector<std::pair<std::string, SlotValue>> candidates;
    if (asked && s_.slots.count(asked->id))
      candidates.emplace_back(asked->id, s_.slots.at(asked->id));
    for (const auto& entry : s_.slots) {
      if (!asked || entry.first != asked->id) candidates.push_back(entry);
    }
    // "a two not a four": the article is not part of the value.
    const auto bare = [](std::string text) {
      for (std::string_view article : {"a ", "an ", "the "}) {
        if (text.starts_with(article)) text.erase(0, article.size());
      }
      return nlu::words_to_digits(text);
    };
    const std::string replaced = bare(correction.replaced);
    const std::string replacement = bare(correction.replacement);
    for (const auto& [name, slot] : candidates) {
      const Question* q = c_.question(name);
      if (!q || q->type.value == QuestionType::text) continue;
      const std::string normalized = nlu::words_to_digits(nlu::normalize(slot.value));
      // Words are replaced whole ("street", not the "st" in "stone"); digits anywhere in a
      // number ("the end is 0147 not 0174").
      const bool digits_only = std::all_of(replaced.begin(), replaced.end(), [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch)) || ch == ' ';
      });
      std::size_t at = std::string::npos;
      if (digits_only &&
          (q->type.value == QuestionType::phone || q->type.value == QuestionType::digits)) {
        std::string compact = replaced;
        std::erase(compact, ' ');
        at = normalized.rfind(compact);
        if (at != std::string::npos && compact != replaced) at = std::string::npos;
      }
      if (at == std::string::npos) {
        const std::string padded = " " + normalized + " ";
        const auto found = padded.find(" " + replaced + " ");
        if (found == std::string::npos && !digits_only) continue;
        at = found == std::string::npos ? normalized.find(replaced) : found;
      }
      if (at == std::string::npos) continue;
      // In the value as kept, commas and all, so a city after it stays a city.
      std::string kept = nlu::words_to_digits(slot.value);
      for (char& ch : kept) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::size_t kept_at = std::string::npos;
      if (q->type.value != QuestionType::phone && q->type.value != QuestionType::digits) {
        const std::string padded = " " + kept + " ";
        for (const char after : {' ', ','}) {
          kept_at = padded.find(" " + replaced + after);
          if (kept_at != std::string::npos) break;
        }
      }
      const auto substitute = [&](const std::string& with) {
        if (kept_at != std::string::npos) {
          return kept.substr(0, kept_at) + with + kept.substr(kept_at + replaced.size());
        }
        return normalized.substr(0, at) + with + normalized.substr(at + replaced.size());
      };
      // "21 oak street" replaces the whole value; "21" only the "12"; for "street", "lane west
      // oak lane" puts in only the word it changes.
      std::vector<std::string> attempts;
      const std::vector<std::string> words = nlu::tokens(replacement);
      const bool one_word = replaced.find(' ') == std::string::npos;
      if (one_word && words.size() > 1) {
        attempts.push_back(substitute(words.back()));
        attempts.push_back(substitute(words.front()));
      }
      if (replacement.find(' ') != std::string::npos) attempts.push_back(replacement);
      attempts.push_back(substitute(replacement));
      for (const std::string& attempt : attempts) {
        auto parsed = extract(*q, attempt, attempt);
        if (!parsed || nlu::normalize(*parsed) == nlu::normalize(slot.value)) continue;
        if (q->type.value == QuestionType::address)
          *parsed = corrected_address(slot.value, *parsed);
        target = q;
        new_value = *parsed;
        break;
      }
      if (target) break;
    }
  }
  if (!target) {
    // The replacement alone, for the slot asked or read back, or one whose kind of value is
    // unmistakable (a name, a number, an address, a date): never a yes/no, a rating or a choice
    // somewhere else in the call ("make it by two" is no energy rating).
    for (const auto& q : c_.questions) {
      if (!s_.slots.count(q.id) || q.type.value == QuestionType::text ||
          q.type.value == QuestionType::yes_no) {
        continue;
      }
      const bool here = (asked && q.id == asked->id) || in_group(q.id);
      const bool distinctive =
          q.type.value == QuestionType::name || q.type.value == QuestionType::phone ||
          q.type.value == QuestionType::address || q.type.value == QuestionType::datetime;
      if (!here && !distinctive) continue;
      auto parsed = extract(q, correction.replacement, correction.replacement);
      if (q.type.value == QuestionType::name && !parsed) {
        // A bare word after "i said": the name extractor wants more context.
        parsed = nlu::extract_name(correction.replacement);
      }
      if (parsed && (!target || here)) {
        target = &q;
        new_value = *parsed;
      }
    }
    // "i said kowalski with a k": a one-word fix to a name replaces the word it resembles, or
    // the part named ("the first name is spelled s i o b h a n").
    if (target && target->type.value == QuestionType::name &&
        new_value.find(' ') == std::string::npos) {
      new_value = replace_name_part(s_.slots[target->id].value, new_value, correction.name_part);
    }
  }
  if (!target) return false;
  if (target->type.value == QuestionType::address) {
    new_value = corrected_address(s_.slots[target->id].value, new_value);
  }
  SlotValue& corrected = s_.slots[target->id];
  corrected.value = new_value;
  corrected.confirmed = true;
  const std::string ack = "Got it, " + speakable(*target, new_value) + ".";
  if (s_.phase == Phase::confirm && asked && (asked->id == target->id || in_group(target->id))) {
    say(ack);
    for (const std::string& id : s_.confirm_group) {
      if (auto slot = s_.slots.find(id); slot != s_.slots.end()) slot->second.confirmed = true;
    }
    if (s_.confirm_group.empty()) corrected.confirmed = true;
    after_read_back();
    return true;
  }
  say(ack);
  repeat_prompt();
  return true;
}

std::string Dialogue::Turn::replace_name_part(const std::string& value, const std::string& word,
                                              nlu::NamePart part) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find(' ', start), value.size());
    if (end > start) words.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  if (words.size() < 2) return word;
  if (part == nlu::NamePart::first) return word + value.substr(value.find(' '));
  if (part == nlu::NamePart::last) return words.front() + " " + word;
  std::size_t best = 0, best_distance = std::string::npos;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::size_t distance = edit_distance(nlu::normalize(words[i]), nlu::normalize(word));
    if (distance < best_distance) {
      best = i;
      best_distance = distance;
    }
  }
  if (best_distance > std::max<std::size_t>(2, word.size() / 2)) return word;
  words[best] = word;
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// An address said again to fix part of it keeps what was not taken back: "no, it's twenty one" to
// "12 Oak Hollow Drive, Pflugerville" is "21 Oak Hollow Drive, Pflugerville"; a new street is new.
std::string Dialogue::Turn::corrected_address(const std::string& before, const std::string& after) {
  const auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  const std::size_t before_space = before.find(' '), after_space = after.find(' ');
  if (before_space == std::string::npos) return after;
  const std::string before_rest = before.substr(before_space + 1);
  // Only the house number said: the street, unit and city stay.
  if (after_space == std::string::npos) {
    return std::all_of(after.begin(), after.end(), [](char c) { return std::isdigit(c); })
               ? after + " " + before_rest
               : after;
  }
  const std::string after_rest = after.substr(after_space + 1);
  // The same street, said shorter ("21 Oak Hollow" for "Oak Hollow Drive, Pflugerville").
  if (after_rest.find(',') == std::string::npos &&
      lower(before_rest).rfind(lower(after_rest), 0) == 0) {
    return after.substr(0, after_space) + " " + before_rest;
  }
  // A new street without a city: the city stays.
  if (after.find(',') == std::string::npos && before.find(',') != std::string::npos) {
    return after + before.substr(before.find(','));
  }
  return after;
}

// The words after a leading "no", "no no", "nope", "nah", "yeah" or "yes", as said (the caller's
// pauses kept, for "no, twenty one, twenty one oak hollow"). A bare no is nothing; a bare yes
// stays itself.
std::string Dialogue::Turn::without_leading_no(const std::string& text) {
  const auto is_gap = [](char c) { return c == ' ' || c == ',' || c == '.' || c == '!'; };
  std::size_t at = 0;
  int dropped = 0;
  bool was_no = false;
  while (dropped < 2) {
    std::size_t begin = at;
    while (begin < text.size() && is_gap(text[begin])) ++begin;
    std::size_t end = begin;
    while (end < text.size() && !is_gap(text[end])) ++end;
    std::string word = text.substr(begin, end - begin);
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool no = word == "no" || word == "nope" || word == "nah";
    const bool yes = word == "yeah" || word == "yes";
    // Only "no no" takes two words.
    if (!(no || yes) || (dropped == 1 && !(was_no && word == "no"))) break;
    was_no = no;
    at = end;
    ++dropped;
  }
  if (dropped == 0) return text;
  while (at < text.size() && is_gap(text[at])) ++at;
  if (at >= text.size()) return was_no ? std::string() : text;
  return text.substr(at);
}

}  // namespace voiceops::engine
