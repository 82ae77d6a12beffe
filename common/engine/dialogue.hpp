#pragma once
// The dialogue engine: one call is a deterministic state machine over a contract. Given the call's
// state and an event it returns the agent's actions and updates the state; nothing else (no clock,
// no I/O), so the daemon and the test-pack runner get identical behaviour.
//
// How it listens (DESIGN 4a): the contract's step order is the order of asking, never of
// accepting. Every utterance is offered to every open slot of the call's intent; escalation rows
// are checked on every turn by the contract's rules (word forms, concepts, scope); a possible
// emergency heard only in a hedge or at low confidence gets one direct question.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "contract/directory.hpp"
#include "contract/model.hpp"
#include "engine/call_state.hpp"
#include "engine/events.hpp"
#include "nlu/nlu.hpp"
#include "nlu/scope.hpp"

namespace voiceops::engine {

struct PreparedContract;

struct DialogueSettings {
  double min_confidence = 0.45;    // below it, ask again; a possible emergency gets one question
  double min_intent_score = 0.34;  // below it, ask what the caller needs
  int max_clarifications = 2;      // then the human fallback
  int words_per_minute = 150;      // the agent's speaking rate, for barge-in offsets
};

// What the engine understands from one utterance at one point of a call (voiceops contract try).
struct Explanation {
  struct Concept {
    std::string id, words;
    nlu::Scope scope;
    bool near = false;
  };
  struct Row {
    int row = -1;
    std::string trigger, name, concept_id, words;
    std::string verdict;  // "fires", "asks first", or why not ("negated: no", "with_any", ...)
  };
  std::string normalised;
  std::string phase;                                       // where the call stood
  std::vector<nlu::IntentScore> intents;                   // when the call was choosing an intent
  std::vector<std::pair<std::string, std::string>> slots;  // filled by this utterance
  std::vector<Concept> concepts;
  std::vector<Row> rows;
  std::vector<Action> actions;  // what the agent did next
};

class Dialogue {
 public:
  // `directory` is the Ops line's staff directory; null for customer workflows.
  Dialogue(const contract::Contract& contract, const contract::Directory* directory,
           DialogueSettings settings = {});
  ~Dialogue();
  Dialogue(const Dialogue&) = delete;
  Dialogue& operator=(const Dialogue&) = delete;

  // `now` is the real time of the event (UTC); only CallArrived uses it, to fix business hours.
  std::vector<Action> handle(CallState& state, const Event& event,
                             std::chrono::sys_seconds now) const;

  // Plays `utterance` at the point `state` stands (changing `state` as the call would) and says
  // what was understood.
  Explanation explain(CallState& state, const std::string& utterance, double confidence) const;

  // A new call from `from` at `now`, moved on to `intent`'s `step` (its first step when empty)
  // without a word said, for explain(). An empty intent leaves it where the greeting does.
  // Fails with a message naming the valid intents or steps.
  Result<CallState, std::string> begin_at(const std::string& from, std::chrono::sys_seconds now,
                                          const std::string& intent, const std::string& step) const;

  // One plain sentence a dispatcher reads at a glance: what, who, where, callback, what happened
  // and the next step, in the contract's time zone (summary.cpp).
  std::string summary(const CallState& state) const;

  const contract::Contract& contract() const { return contract_; }

 private:
  class Turn;
  const contract::Contract& contract_;
  const contract::Directory* directory_;
  // The directory's names as callers' words are normalised, once: "Dee Okafor" -> "dee okafor".
  struct StaffName {
    const contract::Person* person;
    std::string full, first;
  };
  std::vector<StaffName> staff_names_;
  DialogueSettings settings_;
  std::unique_ptr<const PreparedContract> prepared_;
};

// Speaking rate helpers shared with the runner's simulated clock.
int spoken_milliseconds(std::string_view text, int words_per_minute = 150);

}  // namespace voiceops::engine
