// The voice the agent speaks in: [answers] voice and language, checked for the shapes the
// carrier's <Say> takes (an unknown voice or language fails the <Say> on a live call).
#include "contract/validator.hpp"

namespace voiceops::contract {
namespace {

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_alnum(char c) {
  return is_lower(c) || is_upper(c) || (c >= '0' && c <= '9');
}

// "en-US", "es-MX", "cmn-CN", "fr": a primary language subtag, then subtags of 2-8 letters or
// digits (BCP 47's shape, without checking the registry).
bool is_language_tag(std::string_view tag) {
  std::size_t i = 0;
  while (i < tag.size() && is_lower(tag[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < tag.size()) {
    if (tag[i] != '-') return false;
    const std::size_t start = ++i;
    while (i < tag.size() && is_alnum(tag[i])) ++i;
    if (i - start < 2 || i - start > 8) return false;
  }
  return true;
}

// "Joanna", "Joanna-Neural", "Ruth-Generative": an Amazon Polly voice id after "Polly.".
bool is_polly_name(std::string_view name) {
  std::size_t i = 0;
  while (i < name.size()) {
    if (i > 0 && name[i] == '-') ++i;
    if (i >= name.size() || !is_upper(name[i])) return false;
    const std::size_t start = i++;
    while (i < name.size() && is_alnum(name[i])) ++i;
    if (i - start < 2) return false;
  }
  return !name.empty();
}

// The locale a Google voice speaks, from its name: "en-US" of "Google.en-US-Neural2-F".
std::optional<std::string> google_locale(std::string_view name) {
  const std::size_t first = name.find('-');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = name.find('-', first + 1);
  if (second == std::string_view::npos || second + 1 >= name.size()) return std::nullopt;
  const std::string_view locale = name.substr(0, second);
  const std::string_view rest = name.substr(second + 1);
  if (!is_language_tag(locale) ||
      !std::all_of(rest.begin(), rest.end(), [](char c) { return is_alnum(c) || c == '-'; }))
    return std::nullopt;
  return std::string(locale);
}

bool same_tag(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

constexpr std::string_view voice_hint =
    "use \"man\", \"woman\", \"alice\", an Amazon Polly voice such as \"Polly.Joanna\", or a "
    "Google voice such as \"Google.en-US-Neural2-F\"; leave it out for the carrier's default";

}  // namespace

void Validator::check_voice() {
  const std::optional<Text>& language = c_.answers.language;
  if (language && !is_language_tag(language->value)) {
    d_.error("bad-value", language->where,
             "answers.language \"" + language->value + "\" is not a language tag",
             "write the language and region as BCP 47 does, e.g. \"en-US\" or \"es-MX\"");
  }
  const std::optional<Text>& voice = c_.answers.voice;
  if (!voice) return;  // the carrier's default voice
  const std::string& name = voice->value;
  std::optional<std::string> speaks;  // the locale a Google voice names
  bool known = name == "man" || name == "woman" || name == "alice";
  if (name.starts_with("Polly.")) {
    known = is_polly_name(std::string_view(name).substr(6));
  } else if (name.starts_with("Google.")) {
    speaks = google_locale(std::string_view(name).substr(7));
    known = speaks.has_value();
  }
  if (!known) {
    std::string hint(voice_hint);
    const std::vector<std::string> basic = {"man", "woman", "alice"};
    if (auto match = closest_match(name, std::span<const std::string>(basic))) {
      hint = "did you mean \"" + *match + "\"?";
    } else if (name.starts_with("Polly.")) {
      hint =
          "an Amazon Polly voice id starts with a capital letter: \"Polly.Joanna\", "
          "\"Polly.Joanna-Neural\"";
    } else if (name.starts_with("Google.")) {
      hint = "a Google voice's name starts with its locale: \"Google.en-US-Neural2-F\"";
    } else if (same_tag(name.substr(0, 6), "Polly.") || same_tag(name.substr(0, 7), "Google.")) {
      hint = "the carrier spells the prefix \"Polly.\" or \"Google.\", capitalised";
    }
    d_.error("bad-value", voice->where,
             "answers.voice \"" + name + "\" is not a voice the carrier's <Say> knows", hint);
    return;
  }
  if (speaks && language && is_language_tag(language->value) &&
      !same_tag(*speaks, language->value)) {
    d_.error("bad-value", language->where,
             "answers.voice \"" + name + "\" speaks " + *speaks + ", but answers.language is \"" +
                 language->value + "\"",
             "set language = \"" + *speaks + "\", or choose a voice for " + language->value);
  }
}

}  // namespace voiceops::contract
