#pragma once
// What an utterance shows by its words alone, before any contract is consulted: a question asked,
// a name given, a street or a number pointed at, a day wanted, a yes or a no near a label, a
// request. Tokens are normalised (nlu::detail::normalize_tokens).
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "nlu/detail.hpp"

namespace voiceops::engine {

namespace detail = nlu::detail;

// How many words of `phrase` (written as the normaliser writes words: "do not", "i am") start at
// `at`; 0 when it does not.
std::size_t phrase_at(const detail::Tokens& tokens, std::size_t at, std::string_view phrase);
bool contains_phrase(const detail::Tokens& tokens, std::string_view phrase);
bool contains_any(const detail::Tokens& tokens, std::initializer_list<std::string_view> phrases);

// Someone giving a name, not asking, refusing or complaining: "yeah it's maria lopez".
std::optional<std::string> name_given(const detail::Tokens& tokens, std::string_view text);
// Someone saying their name without being asked: only with an introduction.
bool introduces_name(const detail::Tokens& tokens);
bool mentions_street(const detail::Tokens& tokens);
// "this number's fine", "the one i'm calling from".
bool points_at_a_number(const detail::Tokens& tokens);
bool names_a_day(const detail::Tokens& tokens);
// "photos are up", "options no": a yes or a no in the words [from, to).
std::optional<std::string> yes_no_near(const detail::Tokens& tokens, std::size_t from,
                                       std::size_t to);
// The words left when times in the past are taken out ("it quit on monday, can you come friday").
std::string without_past_times(const detail::Tokens& tokens);
detail::Tokens tokens_without_past_times(const detail::Tokens& tokens);
// A question or request in the caller's words ("how much do you charge", "do you guys ...").
bool asks_a_question(const std::string& raw, const detail::Tokens& tokens);
// A request marker ("i need to", "can you") earlier in the clause of the word at `begin`.
bool asked_for_at(const detail::Tokens& tokens, std::size_t begin);

}  // namespace voiceops::engine
