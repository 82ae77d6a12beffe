#pragma once
// What the caller is to hear next and where the call goes, in the engine's actions: the carrier
// layer renders it (carrier/reply_twiml.hpp).
#include <string>
#include <vector>

#include "engine/events.hpp"

namespace voiceops::calls {

// How the agent sounds: the contract's [answers] voice and language, for everything it says on
// the contract's calls. Empty: the carrier's default.
struct Voice {
  std::string name;      // "Polly.Joanna"
  std::string language;  // "en-US"
};
Voice voice_of(const contract::Contract& contract);

struct Reply {
  std::vector<engine::Action> actions;
  // Asked again when the actions leave nothing to wait on (never dead air); empty asks the
  // caller to say it again.
  std::string reprompt;
  // The transfers here report no result back: nothing waits for it (the human fallback's).
  bool unattended_transfer = false;
  Voice voice;
};

// Says `text` (if any) and hangs up.
Reply goodbye(const std::string& text);
// Says `say` and dials a staff destination, nothing waiting for the result; an apology and a
// hang-up when nobody picks up. The human fallback's way to people, and rollback's.
Reply handoff(const std::string& say, const std::string& destination, const std::string& number,
              int dial_timeout_s = contract::default_dial_timeout_s);

}  // namespace voiceops::calls
