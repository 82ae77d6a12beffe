#pragma once
// The dialogue engine: one call is a deterministic state machine over a contract. Given the call's
// state and an event it returns the agent's actions and updates the state; nothing else (no clock,
// no I/O), so the daemon and the test-pack runner get identical behaviour.
#include <chrono>
#include <string>
#include <vector>

#include "contract/directory.hpp"
#include "contract/model.hpp"
#include "engine/call_state.hpp"
#include "engine/events.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::engine {

struct DialogueSettings {
  double min_confidence = 0.45;    // below it, ask again (unless it is a safety trigger)
  double min_intent_score = 0.34;  // below it, ask what the caller needs
  int max_clarifications = 2;      // then the human fallback
  int words_per_minute = 150;      // the agent's speaking rate, for barge-in offsets
};

class Dialogue {
 public:
  // `directory` is the Ops line's staff directory; null for customer workflows.
  Dialogue(const contract::Contract& contract, const contract::Directory* directory,
           DialogueSettings settings = {});

  // `now` is the real time of the event (UTC); only CallArrived uses it, to fix business hours.
  std::vector<Action> handle(CallState& state, const Event& event,
                             std::chrono::sys_seconds now) const;

  // At most 300 characters a staff member reads at a glance: who, what they need, outcome, next.
  std::string summary(const CallState& state) const;

  const contract::Contract& contract() const { return contract_; }

 private:
  class Turn;
  const contract::Contract& contract_;
  const contract::Directory* directory_;
  DialogueSettings settings_;
  // The contract's phrases normalised once, not on every turn.
  std::vector<nlu::PhraseList> row_keywords_;      // per escalation row
  std::vector<nlu::PreparedIntent> intents_;       // per allowed intent
  std::vector<nlu::PreparedIntent> out_of_scope_;  // per out-of-scope intent, id "\x01<id>"
  std::vector<nlu::PreparedIntent> out_of_scope_examples_;  // the same, examples only
  std::vector<nlu::PhraseList> out_of_scope_keywords_;
};

// Speaking rate helpers shared with the runner's simulated clock.
int spoken_milliseconds(std::string_view text, int words_per_minute = 150);

}  // namespace voiceops::engine
