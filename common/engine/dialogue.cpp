#include "engine/dialogue.hpp"

#include <algorithm>

#include "base/words.hpp"
#include "engine/prepared_contract.hpp"
#include "engine/turn.hpp"

namespace voiceops::engine {

int spoken_milliseconds(std::string_view text, int words_per_minute) {
  return count_words(text) * 60000 / std::max(1, words_per_minute);
}

Dialogue::Dialogue(const contract::Contract& contract, const contract::Directory* directory,
                   DialogueSettings settings)
    : contract_(contract),
      directory_(directory),
      settings_(settings),
      prepared_(std::make_unique<PreparedContract>(contract)) {
  if (directory_) {
    for (const auto& person : directory_->people) {
      std::string full = nlu::normalize(person.name.value);
      std::string first = full.substr(0, full.find(' '));
      staff_names_.push_back({&person, std::move(full), std::move(first)});
    }
  }
}

Dialogue::~Dialogue() = default;

std::vector<Action> Dialogue::handle(CallState& state, const Event& event,
                                     std::chrono::sys_seconds now) const {
  Turn turn(*this, state);
  if (state.phase == Phase::ended && !std::holds_alternative<CallArrived>(event)) return {};
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, CallArrived>)
          turn.arrive(e, now);
        else if constexpr (std::is_same_v<E, SpeechHeard>)
          turn.speech(e);
        else if constexpr (std::is_same_v<E, KeypadDigits>)
          turn.keypad(e);
        else if constexpr (std::is_same_v<E, NoInput>)
          turn.no_input();
        else if constexpr (std::is_same_v<E, ToolResult>)
          turn.tool_result(e);
        else if constexpr (std::is_same_v<E, TransferResult>)
          turn.transfer_result(e);
        else if constexpr (std::is_same_v<E, HungUp>)
          turn.hung_up();
      },
      event);
  return turn.take();
}

Result<CallState, std::string> Dialogue::begin_at(const std::string& from,
                                                  std::chrono::sys_seconds now,
                                                  const std::string& intent,
                                                  const std::string& step) const {
  CallState state;
  state.call_id = "try";
  const std::string to =
      contract_.answers.numbers.empty() ? std::string() : contract_.answers.numbers.front().value;
  handle(state, CallArrived{from, to}, now);
  if (intent.empty()) {
    if (!step.empty()) return unexpected(std::string("--step needs --intent"));
    return state;
  }
  if (!contract_.intent(intent)) {
    std::string names;
    for (const auto& i : contract_.intents) names += (names.empty() ? "" : ", ") + i.id;
    return unexpected("no intent '" + intent + "' in this contract (intents: " + names + ")");
  }
  if (!step.empty()) {
    const contract::Step* s = contract_.step(step);
    if (!s || s->kind != contract::StepKind::ask) {
      std::string names;
      for (const auto& st : contract_.steps) {
        if (st.kind == contract::StepKind::ask) names += (names.empty() ? "" : ", ") + st.id;
      }
      return unexpected("'" + step + "' is not an ask step of this contract (ask steps: " + names +
                        ")");
    }
  }
  Turn turn(*this, state);
  turn.position(intent, step);
  return state;
}

Explanation Dialogue::explain(CallState& state, const std::string& utterance,
                              double confidence) const {
  Turn turn(*this, state);
  return turn.explain(utterance, confidence);
}

}  // namespace voiceops::engine
