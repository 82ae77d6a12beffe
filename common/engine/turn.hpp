#pragma once
// One event's worth of work on one call (internal to the engine). The class is split by concern
// across files, in the spirit of Rasa's split of understanding, commands and flow:
//   turn.cpp                 events in, actions out: what each kind of event does first
//   escalation.cpp           acting on escalation rows: safety questions, transfers, messages
//   intent_choice.cpp        which intent the first words start
//   form_filling.cpp         the form: answers, progress, read-backs, failed attempts
//   slot_values.cpp          values in an utterance, asked for or given unasked
//   corrections.cpp          a value said again to correct it
//   utterance_cues.cpp       what words show alone (a question, a name given, a request)
//   flow.cpp                 stepping through the contract's steps, tools and transfers
//   identification.cpp       the Ops line: who is calling
//   speech.cpp               what the agent says: prompts, read-backs, values spoken
#include <optional>
#include <string>
#include <vector>

#include "engine/dialogue.hpp"
#include "engine/escalation_matching.hpp"
#include "engine/utterance_cues.hpp"
#include "nlu/concepts.hpp"
#include "nlu/word_forms.hpp"

namespace voiceops::engine {

class Dialogue::Turn {
 public:
  Turn(const Dialogue& dialogue, CallState& state);

  std::vector<Action> take() { return std::move(actions_); }

  // --- events (turn.cpp) ---
  void arrive(const CallArrived& arrived, std::chrono::sys_seconds now);
  void speech(const SpeechHeard& heard);
  void keypad(const KeypadDigits& keys);
  void no_input();
  void tool_result(const ToolResult& result);
  void transfer_result(const TransferResult& result);
  void hung_up();

  // What the engine makes of one utterance at this point of the call (contract try).
  Explanation explain(const std::string& utterance, double confidence);
  // Moves the call to `step` of `intent` without speaking (contract try --intent/--step).
  void position(const std::string& intent, const std::string& step);

 private:
  // The analysis of one utterance, made once and shared by every matcher.
  struct Analysis {
    std::string text;  // normalised
    std::string raw;   // as the recogniser gave it
    double confidence = 1;
    nlu::Utterance said;
    nlu::Heard heard;
    std::vector<nlu::ConceptHit> hits;
    // The intents ranked for these words, once a turn asks (rank_candidates).
    mutable std::optional<std::vector<nlu::IntentScore>> ranked;
  };
  const Analysis& analyse(const std::string& raw, double confidence);
  RowMatches rows_for(const Analysis& a, const std::string& intent);
  void remember_concepts(const Analysis& a);
  bool low_confidence(double confidence) const;
  void process(const std::string& raw, double confidence, bool talked_over, int skip_safety_row);

  // --- output (turn.cpp) ---
  void say(std::string text);
  void gather_raw(std::string prompt, bool confirmation = false);
  std::vector<std::string> hints() const;
  void end(Outcome outcome, std::string event);

  // --- identification (identification.cpp) ---
  std::vector<const contract::Person*> people_on(const std::string& phone) const;
  void identified(const contract::Person& person, const std::string& lead_in);
  std::string flow_menu(const contract::Person& person) const;
  void identify_by_caller_id(const std::string& opening);
  void identify_answer(const Analysis& a);
  bool switch_identity(const Analysis& a);
  void pick_role_named(const std::string& text);
  void check_pin(const std::string& digits);
  bool may_use(const std::string& intent) const;

  // --- escalation (escalation.cpp) ---
  int find_row(contract::Trigger trigger) const;
  // True when the row ended the turn's work (the call ends, transfers or asks something).
  bool escalate(int row_index, const std::string& words);
  bool act_on_rows(const RowMatches& rows, const Analysis& a);
  void ask_safety_question(const RowMatch& match, const Analysis& a);
  void safety_answer(const std::string& text, double confidence);
  void message_destination(const std::string& destination_id);
  // Rings a dialled destination: the call waits in Phase::transfer for the result. The staff
  // member hears first the transfer step's `summary` (rendered), else the call's summary, as of
  // the transfer. `row` is the escalation row transferring, -1 for a step or the human fallback.
  void transfer_to(const contract::Destination& destination, int row,
                   const std::string& summary = {});
  void fallback();
  std::optional<std::string> out_of_scope_topic(const Analysis& a) const;
  bool route_out_of_scope(const std::string& topic, const std::string& words);
  bool uncovered_topic(const Analysis& a, bool first_try) const;
  void take_message(int row_index);
  void message_answer(const std::string& text, const std::string& raw);
  void ask_for_message_part();
  const contract::Question* message_question(contract::QuestionType type) const;
  void check_slot_rows(const std::string& slot, const std::string& value);
  const contract::Destination* destination_for(const contract::EscalationRow& row) const;

  // --- form filling (form_filling.cpp) ---
  const contract::Question* current_question() const;
  std::vector<const contract::Question*> open_questions() const;
  std::optional<std::string> extract(const contract::Question& q, const std::string& text,
                                     const std::string& raw) const;
  std::optional<std::string> answer_to(const contract::Question& q, const Analysis& a) const;
  std::optional<std::string> volunteered(const contract::Question& q, const Analysis& a) const;
  std::vector<std::pair<const contract::Question*, std::string>> volunteered_values(
      const Analysis& a, const contract::Question* except) const;
  bool has_label(const contract::Question& q, const Analysis& a) const;
  bool name_looks_given(const Analysis& a) const;
  std::optional<std::string> bare_name(const Analysis& a) const;
  std::optional<std::pair<std::size_t, std::size_t>> label_span(const contract::Question& q,
                                                                const Analysis& a) const;
  struct Evidence {
    int pieces = 0;           // places in the utterance that point at the candidate
    std::size_t longest = 0;  // words in the longest
    std::size_t first_asked = std::string::npos;  // where the first said as a request begins
    bool from_concepts = false;  // one of them a concept the intent lists, not a keyword
  };
  Evidence lexicon_evidence(const std::string& candidate, const Analysis& a) const;
  std::vector<nlu::IntentScore> rank_candidates(const Analysis& a) const;
  void choose_intent(const Analysis& a);
  void start_intent(const std::string& intent, const Analysis* a);
  std::vector<std::string> awaiting_read_back() const;
  void after_read_back();
  void answer(const Analysis& a);
  int keep_volunteered(const Analysis& a, const contract::Question* except);
  void set_slot(const contract::Question& q, const std::string& value);
  void confirm_answer(const Analysis& a, bool talked_over);
  bool apply_correction(const Analysis& a);
  bool restate_filled_value(const Analysis& a);
  void failed_attempt(const std::string& lead_in);
  void repeat_prompt();
  void read_back(const contract::Question& first);
  static std::string replace_name_part(const std::string& value, const std::string& word,
                                       nlu::NamePart part);
  static std::string without_leading_no(const std::string& text);
  static std::string corrected_address(const std::string& before, const std::string& after);

  // --- flow (flow.cpp) ---
  void continue_after_answer();
  void go_to(const std::string& step_id);

  // --- speech (speech.cpp) ---
  std::string speakable(const contract::Question& q, const std::string& value) const;
  std::string render(const std::string& text) const;
  std::string read_back_text(const std::vector<std::string>& slots) const;

  const Dialogue& d_;
  const PreparedContract& p_;
  const contract::Contract& c_;
  CallState& s_;
  nlu::WordForms forms_;
  std::vector<Action> actions_;
  std::string opening_;  // the greeting, when identification does not need a question of its own
  std::optional<Analysis> analysis_;
  const Analysis* identifying_ = nullptr;  // the words that named the caller, this turn
};

}  // namespace voiceops::engine
