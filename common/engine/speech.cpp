// What the agent says back: slot values spoken the way people say them, templates filled in, and
// several read-backs joined into one.
#include <cctype>
#include <charconv>

#include "engine/turn.hpp"

namespace voiceops::engine {
namespace {

constexpr const char* month_names[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

int number_at(const std::string& text, std::size_t at, std::size_t length) {
  int value = 0;
  if (at + length > text.size()) return -1;
  const auto result = std::from_chars(text.data() + at, text.data() + at + length, value);
  return result.ec == std::errc() ? value : -1;
}

// "I have Maria Lopez. Is that right?" -> "I have Maria Lopez."; "That's 12 Oak, right?" ->
// "That's 12 Oak."
std::string statement_of(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.empty() || text.back() != '?') return text;
  const std::size_t stop = text.find_last_of(".!");
  if (stop != std::string::npos) return text.substr(0, stop + 1);
  text.pop_back();
  for (std::string_view tag : {", is that right", ", right", ", correct", " right", " correct"}) {
    if (text.size() > tag.size() && text.ends_with(tag)) {
      text.resize(text.size() - tag.size());
      break;
    }
  }
  return text + ".";
}

}  // namespace

std::string Dialogue::Turn::speakable(const contract::Question& q, const std::string& value) const {
  using contract::QuestionType;
  switch (q.type.value) {
    case QuestionType::phone: return nlu::speak_phone(value);
    case QuestionType::digits: return nlu::speak_digits(value);
    case QuestionType::address: {
      // "415 Oak Street" is said "four fifteen Oak Street", never "four hundred fifteen".
      std::size_t digits = 0;
      while (digits < value.size() && std::isdigit(static_cast<unsigned char>(value[digits])))
        ++digits;
      if (digits > 0 && digits < 6) {
        return nlu::speak_house_number(number_at(value, 0, digits)) + value.substr(digits);
      }
      return value;
    }
    case QuestionType::datetime: {
      // "2026-11-24 15:00" -> "November 24 at 3 p.m."
      const int month = value.size() >= 10 && value[4] == '-' ? number_at(value, 5, 2) : -1;
      const int day = month > 0 ? number_at(value, 8, 2) : -1;
      if (month < 1 || month > 12 || day < 1) return value;
      std::string out = std::string(month_names[month - 1]) + " " + std::to_string(day);
      if (value.size() >= 16 && value[13] == ':') {
        const int hour = number_at(value, 11, 2), minute = number_at(value, 14, 2);
        if (hour >= 0 && minute >= 0) out += " at " + nlu::speak_time(hour, minute);
      } else if (value.size() > 11) {
        out += " in the " + value.substr(11);
      }
      return out;
    }
    default: return value;
  }
}

// Replaces {slot} placeholders with the slot's value as it should be spoken.
std::string Dialogue::Turn::render(const std::string& text) const {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close != std::string::npos) {
        const std::string name = text.substr(i + 1, close - i - 1);
        auto it = s_.slots.find(name);
        const contract::Question* q = c_.question(name);
        if (it != s_.slots.end()) out += q ? speakable(*q, it->second.value) : it->second.value;
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// One read-back for several values: each question's own words without its question, then one
// question for all of them.
std::string Dialogue::Turn::read_back_text(const std::vector<std::string>& slots) const {
  if (slots.size() == 1) {
    const contract::Question* q = c_.question(slots.front());
    return q ? render(q->confirm.value) : std::string();
  }
  std::string out;
  for (const std::string& id : slots) {
    const contract::Question* q = c_.question(id);
    if (!q) continue;
    out += (out.empty() ? "" : " ") + statement_of(render(q->confirm.value));
  }
  return out + " Is that all right?";
}

}  // namespace voiceops::engine
