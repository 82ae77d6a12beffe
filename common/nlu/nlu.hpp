#pragma once
// Understanding what callers say: normalisation, slot extraction, intent ranking and the
// turn-taking cues (backchannels, repeat requests, corrections) of CALLERS.md. Rules only,
// deterministic, no I/O. Input is what the carrier's speech recogniser delivers: lower case,
// little punctuation, number words, fillers, recogniser errors.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace voiceops::nlu {

namespace detail {
struct Token {
  std::string text;
  bool pause_after = false;  // a comma, full stop, question mark or dash followed the word
};
using Tokens = std::vector<Token>;
}  // namespace detail

// The engine matches the same phrase lists against every turn: it normalises a contract's
// phrases once (PhraseList, PreparedIntent) and each turn's words once (Utterance).
struct Utterance {
  explicit Utterance(std::string_view utterance);
  explicit Utterance(detail::Tokens normalised);  // tokens as detail::normalize_tokens gives them
  detail::Tokens tokens;
  std::vector<std::string> keys;  // the word key of each token (see detail::word_key)
};
struct PhraseList {
  struct Phrase {
    detail::Tokens tokens;
    std::vector<std::string> keys;
  };
  PhraseList() = default;
  explicit PhraseList(const std::vector<std::string>& phrases);
  bool empty() const { return phrases.empty(); }
  std::vector<Phrase> phrases;
};

// Lower case; punctuation dropped except inside numbers ("7:30", "3.5"); contractions expanded
// ("it's" -> "it is", "can't" -> "can not", "i'm" -> "i am"); fillers removed ("um", "uh", "er",
// "erm", "hmm", "like" used as a filler, "you know"); whitespace collapsed. Number words are kept.
// "like" is kept unless its surroundings make it a filler ("it smells like gas" keeps it, "it quit
// like an hour ago" drops it); "mm-hmm", "uh-huh" and "uh-uh" stay one token each; "'s" is "is"
// or "has" where a possessive cannot be ("the heat's out", "it's been", "nobody's dizzy") and
// stays otherwise ("rob's phone"); "9am" -> "9 am", "four-ish" -> "four ish", "+1" -> "plus 1".
std::string normalize(std::string_view utterance);
std::vector<std::string> tokens(std::string_view normalized);

// Number words to digits where the reading is unambiguous in context:
// "twenty one" -> "21", "forty one oh six" -> "4106", "twenty four oh nine" -> "2409",
// "nineteen seventy" -> "1970", "six eighteen" -> "618", "a hundred and five" -> "105".
std::string words_to_digits(std::string_view normalized);

// --- slots ---------------------------------------------------------------------------------------

// A spoken phone number to E.164: "five one two, five five five, zero one four two" ->
// "+15125550142"; "512 555 0142"; "one five one two ..." (leading country code); "double five" ->
// "55". `caller_id` answers "this number's fine" / "the one i'm calling from". Default country 1:
// 10 digits, or 11 starting with 1, must be a valid North American number (area code and
// exchange not starting with 0 or 1); other countries only when said with "+" / "plus". Digits
// said win over pointing at the caller ID; the last complete number said wins.
std::optional<std::string> extract_phone(std::string_view utterance,
                                         std::string_view caller_id = {});

// "my name is maria lopez" / "it's dana k o w a l s k i" / "this is tom reyes at 40 birch" ->
// "Maria Lopez", "Dana Kowalski", "Tom Reyes" (title case; spelled letters joined). Nothing when
// the words are clearly not a name ("it's the furnace", "i'm freezing", digits only).
std::optional<std::string> extract_name(std::string_view utterance);

// "twelve oak street" -> "12 Oak Street"; "forty one oh six elm" -> "4106 Elm"; with a unit and a
// city when said: "one twenty three main street apartment four b austin" -> "123 Main Street,
// Apartment 4B, Austin", "... elm street in round rock" -> "4106 Elm Street, Round Rock". Needs a
// house number ("same address as last time" -> nothing) and no count ("gave them 2 options");
// "it's 21 oak street not 12" handled by the correction logic, not here.
std::optional<std::string> extract_address(std::string_view utterance);

enum class YesNo { yes, no };
// yes/no and their variants ("yeah", "yep", "sure", "correct", "that's right", "uh-huh" as an
// answer, "nope", "nah", "not really", "no it isn't"). Negated yes ("not really") is no. The first
// answer wins ("no we're fine" is no, "yep, no gas leak" is yes) unless it is turned round at once
// ("yeah no" -> no) or corrected ("no wait, yes" -> yes); unsure answers ("i don't know",
// "maybe") give nothing. "okay" and "mm-hmm" count as yes here: said while the agent talks,
// is_backchannel() filters them first.
std::optional<YesNo> extract_yes_no(std::string_view utterance);

// A number in [low, high]; the last number stated wins ("a four, well, a three really" -> 3,
// "between two and three, say two" -> 2, "four-ish" -> 4, "dragging today, a two" -> 2). Counts
// ("about a three, two guys are out" -> 3), the scale itself ("3 out of 5") and digits read out
// ("two six oh one eight") are not ratings.
std::optional<int> extract_scale(std::string_view utterance, int low = 1, int high = 5);

struct Choice {
  std::string name;                   // e.g. "furnace"
  std::vector<std::string> synonyms;  // e.g. {"heater", "heat"}
};
// The choice whose name or synonym appears (whole words, after normalisation); the last mentioned
// wins when several do, the longer phrase at the same place ("water heater" over "heater"), and a
// rejected one does not count ("not the furnace", "the ac instead of the furnace"). Two choices
// named together ("the heating and the ac") are the choice named or aliased "both" / "all" when
// there is one.
std::optional<std::string> extract_choice(std::string_view utterance,
                                          const std::vector<Choice>& choices);

// Digits spoken or keyed: "job two six oh eight one, no, two six oh one eight" -> "26018"
// (a correction inside one utterance: the part after "no" wins; "26018 not 26081" -> "26018").
// expected_length 0 = any (the longest run of digits).
std::optional<std::string> extract_digits(std::string_view utterance, int expected_length = 0);

// A date/time relative to the call's local time. "tomorrow morning" -> next day, part_of_day
// "morning" (no clock time was said; "tomorrow morning at 9" -> 09:00),
// "next tuesday at 3" -> 15:00 (1-6 without am/pm means pm), "after 5" -> 17:00,
// "the thirtieth" -> that day this month (or next month if past), "noon", "two thirty" -> 14:30,
// "monday at 9 am". `now_local` is the call's local wall time (no time zone math here). Without a
// date the day is today, even when the time has passed. "tuesday" / "next tuesday": the next one
// after today; "this friday": today if it is Friday.
struct LocalDateTime {
  int year = 0, month = 0, day = 0;
  int hour = -1, minute = 0;  // hour -1: no time given
  std::string part_of_day;    // "morning", "afternoon", "evening" when said instead of a time
  std::string text() const;   // "2026-11-24 15:00" or "2026-11-24 morning" or "2026-11-24"
};
std::optional<LocalDateTime> extract_datetime(std::string_view utterance,
                                              std::chrono::sys_seconds now_local);

// --- intents and triggers ---------------------------------------------------------------------

struct IntentPattern {
  std::string id;
  std::vector<std::string> examples, keywords;
};
struct IntentScore {
  std::string id;
  double score = 0;  // 0..1
};
// Best first; deterministic order on ties (by id). Scores compare normalised token overlap with
// the examples (with a small stemming: plural s, -ing, -ed) and keyword hits.
std::vector<IntentScore> rank_intents(std::string_view utterance,
                                      const std::vector<IntentPattern>& intents);
// An intent's examples and keywords normalised once, for rank_intents on every turn.
struct PreparedIntent {
  std::string id;
  std::vector<std::vector<std::string>> example_keys;  // each example's content words
  std::vector<std::string> used_keys;                  // all of them, sorted, once each
  PhraseList keywords;
};
PreparedIntent prepare_intent(const IntentPattern& pattern);
std::vector<IntentScore> rank_intents(const Utterance& said,
                                      const std::vector<const PreparedIntent*>& intents);

// True when `phrase` (normalised, whole words) occurs in the utterance and is not negated: a
// negator ("no", "not", "never", "doesn't", "don't", "isn't", "without", "nothing", "no sign of")
// within the three words before it negates it ("doesn't smell like gas", "no alarms going off").
// Filler-like words do not use up the three ("doesn't smell like anything weird"). For safety the
// scope ends at a pause, a new subject or a conjunction, and a "no" that answers rather than
// negates does not count: "no, it smells like gas", "i don't know, it smells like gas" and
// "i don't think it's gas" all mention gas; "not" and "never" reach past a verb only when it
// perceives, has or is ("i don't see any smoke", "we don't have heat"), so "we can't get rid of
// the gas smell" mentions gas. A denial right after the phrase counts too: "the co detector is not
// going off", "checked for gas leaks, none found" (but not "the gas smell is not going away").
// Plurals and possessives match ("alarms" ~ "alarm"). The phrase "elderly" also matches an old
// person described by age ("my dad's eighty nine", "my 92 year old mother"; 70 and over), not a
// temperature ("it's eighty nine in the bedroom").
bool mentions(std::string_view utterance, std::string_view phrase);
bool mentions_any(std::string_view utterance, const std::vector<std::string>& phrases);

bool mentions_any(const Utterance& said, const PhraseList& phrases);

// "can i talk to somebody", "is there a real person", "operator", "representative", "a human",
// "speak to someone", "agent" (when asking for one), "0" keyed or "i pressed zero". Not "i need
// someone to come out" (a dispatch request) nor "i don't want to talk to anyone".
bool asks_for_person(std::string_view utterance);
bool asks_for_person(const Utterance& said);

// --- turn-taking
// ----------------------------------------------------------------------------------

// "mm-hmm", "uh-huh", "okay", "ok", "yeah", "right", "sure", "got it" on their own (or a few of
// them: "oh okay", "yeah yeah"); hesitations alone ("um") too. Silence is not a backchannel.
bool is_backchannel(std::string_view utterance);
// "hold on", "sorry what", "say that again", "can you repeat that", "what was that", "pardon".
// "what", "sorry", "wait" only on their own.
bool is_repeat_request(std::string_view utterance);
bool is_repeat_request(const detail::Tokens& normalised);

// A correction: "no, it's 21 not 12" -> {true, "21", "12"}; "actually wednesday" -> {true,
// "wednesday", ""}; "i said maria" -> {true, "maria", ""}; "no wait it's 21 oak street not 12" ->
// {true, "21 oak street", "12"}; "not the ninth, the nineteenth" -> {true, "the nineteenth", "the
// ninth"}; "job two six oh eight one, no, two six oh one eight" -> {true, "two six oh one eight",
// "two six oh eight one"}; "i said kowalski, with a k" -> {true, "kowalski", ""}. Not a correction:
// a bare "no", "no heat", "the heat is not working", "no that's wrong" (a rejection without a
// value).
// Which part of a name a correction is about, when the caller says so ("the first name is ...",
// "my last name is ...", "the surname is ...").
enum class NamePart { any, first, last };
struct Correction {
  bool is_correction = false;
  std::string replacement;  // the corrected value as said (normalised)
  std::string replaced;     // what it replaces, when said
  NamePart name_part = NamePart::any;
};
Correction detect_correction(std::string_view utterance);
Correction detect_correction(const detail::Tokens& normalised);

// --- speaking back
// --------------------------------------------------------------------------------

// "+15125550142" -> "5 1 2, 5 5 5, 0 1 4 2" (digit by digit in groups; never "four hundred").
std::string speak_phone(std::string_view e164);
// 15:00 -> "3 p.m.", 9:30 -> "9:30 a.m.", 12:00 -> "noon", 0:00 -> "midnight".
std::string speak_time(int hour, int minute);
// House numbers the way people say them: 415 -> "four fifteen", 4106 -> "forty one oh six",
// 21 -> "twenty one", 1200 -> "twelve hundred", 7 -> "seven"; 5 digits and more one by one.
std::string speak_house_number(int number);
// Digits one by one: "26018" -> "2 6 0 1 8".
std::string speak_digits(std::string_view digits);

}  // namespace voiceops::nlu
