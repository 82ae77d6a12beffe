#include "nlu/word_forms.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <utility>

namespace voiceops::nlu {
namespace {

// Irregular forms Snowball leaves apart from their lemma, limited to words callers use about
// homes, equipment, bodies and time. Sorted by the form, for a binary search.
constexpr auto irregular = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"am", "be"},          {"are", "be"},        {"ate", "eat"},      {"began", "begin"},
    {"begun", "begin"},    {"bit", "bite"},      {"bitten", "bite"},  {"bled", "bleed"},
    {"blew", "blow"},      {"blown", "blow"},    {"broke", "break"},  {"broken", "break"},
    {"brought", "bring"},  {"burnt", "burn"},    {"came", "come"},    {"caught", "catch"},
    {"children", "child"}, {"did", "do"},        {"does", "do"},      {"done", "do"},
    {"drank", "drink"},    {"drove", "drive"},   {"dug", "dig"},      {"fallen", "fall"},
    {"feet", "foot"},      {"fell", "fall"},     {"felt", "feel"},    {"flew", "fly"},
    {"forgot", "forget"},  {"froze", "freez"},   {"frozen", "freez"}, {"gave", "give"},
    {"given", "give"},     {"goes", "go"},       {"gone", "go"},      {"got", "get"},
    {"gotten", "get"},     {"grew", "grow"},     {"had", "have"},     {"has", "have"},
    {"heard", "hear"},     {"held", "hold"},     {"hid", "hide"},     {"is", "be"},
    {"kept", "keep"},      {"knew", "know"},     {"known", "know"},   {"laid", "lay"},
    {"lain", "lie"},       {"lay", "lie"},       {"led", "lead"},     {"lit", "light"},
    {"lost", "lose"},      {"made", "make"},     {"meant", "mean"},   {"men", "man"},
    {"met", "meet"},       {"mice", "mous"},     {"oxen", "ox"},      {"paid", "pay"},
    {"people", "person"},  {"ran", "run"},       {"rang", "ring"},    {"rung", "ring"},
    {"said", "say"},       {"sang", "sing"},     {"sat", "sit"},      {"saw", "see"},
    {"seen", "see"},       {"sent", "send"},     {"shaken", "shake"}, {"shook", "shake"},
    {"shot", "shoot"},     {"slept", "sleep"},   {"slid", "slide"},   {"smelt", "smell"},
    {"sold", "sell"},      {"spent", "spend"},   {"spilt", "spill"},  {"spoke", "speak"},
    {"spoken", "speak"},   {"stank", "stink"},   {"stole", "steal"},  {"stood", "stand"},
    {"struck", "strike"},  {"stuck", "stick"},   {"stung", "sting"},  {"stunk", "stink"},
    {"swept", "sweep"},    {"swollen", "swell"}, {"taken", "take"},   {"taught", "teach"},
    {"teeth", "tooth"},    {"thought", "think"}, {"threw", "throw"},  {"thrown", "throw"},
    {"told", "tell"},      {"took", "take"},     {"tore", "tear"},    {"torn", "tear"},
    {"was", "be"},         {"went", "go"},       {"were", "be"},      {"woke", "wake"},
    {"woken", "wake"},     {"women", "woman"},   {"wore", "wear"},    {"worn", "wear"},
    {"written", "write"},  {"wrote", "write"},
});

constexpr bool sorted_by_form() {
  for (std::size_t i = 1; i < irregular.size(); ++i) {
    if (!(irregular[i - 1].first < irregular[i].first)) return false;
  }
  return true;
}
static_assert(sorted_by_form(), "keep the irregular forms sorted");

bool has_letter(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

void WordForms::Free::operator()(sb_stemmer* stemmer) const {
  sb_stemmer_delete(stemmer);
}

WordForms::WordForms() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}
WordForms::~WordForms() = default;
WordForms::WordForms(WordForms&&) noexcept = default;
WordForms& WordForms::operator=(WordForms&&) noexcept = default;

std::string WordForms::lemma(std::string_view word) {
  // The same words come back turn after turn and term after term: stem each once.
  if (const auto known = known_.find(word); known != known_.end()) return known->second;
  std::string found = stem(word);
  known_.emplace(std::string(word), found);
  return found;
}

std::string WordForms::stem(std::string_view word) {
  if (word.ends_with("'s")) {
    word.remove_suffix(2);
  } else if (word.ends_with("s'")) {
    word.remove_suffix(1);
  }
  if (word.size() < 2 || !has_letter(word)) return std::string(word);
  const auto found = std::lower_bound(irregular.begin(), irregular.end(), word,
                                      [](const std::pair<std::string_view, std::string_view>& entry,
                                         std::string_view w) { return entry.first < w; });
  if (found != irregular.end() && found->first == word) return std::string(found->second);
  // sb_stemmer_new only fails without memory; the word as it is still compares with itself.
  if (!stemmer_) return std::string(word);
  // Dropped g's: "blowin", "runnin", "nothin" are "blowing", "running", "nothing".
  if (word.size() >= 5 && word.ends_with("in") &&
      std::string_view("aeiouy").find(word[word.size() - 3]) == std::string_view::npos) {
    const std::string with_g = std::string(word) + "g";
    const sb_symbol* g =
        sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(with_g.data()),
                        static_cast<int>(with_g.size()));
    if (g && static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())) + 3 <= with_g.size()) {
      return std::string(reinterpret_cast<const char*>(g),
                         static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())));
    }
  }
  const sb_symbol* stemmed =
      sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                      static_cast<int>(word.size()));
  if (!stemmed) return std::string(word);
  return std::string(reinterpret_cast<const char*>(stemmed),
                     static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())));
}

}  // namespace voiceops::nlu
