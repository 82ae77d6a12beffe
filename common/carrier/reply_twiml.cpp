#include "carrier/reply_twiml.hpp"

#include "carrier/transfer_screen.hpp"
#include "carrier/twiml.hpp"

namespace voiceops::carrier {

std::string reply_twiml(const calls::Reply& reply) {
  TwimlResponse twiml;
  const SayOptions voice{reply.voice.name, reply.voice.language};
  bool waiting = false;
  bool said = false;
  for (const auto& action : reply.actions) {
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, engine::Say>) {
            twiml.say(a.text, voice);
            said = said || !a.text.empty();
          } else if constexpr (std::is_same_v<A, engine::Gather>) {
            GatherOptions options;
            options.input = a.speech && a.dtmf ? "speech dtmf" : a.speech ? "speech" : "dtmf";
            options.action = "/twilio/gather";
            options.method = "POST";
            options.timeout = a.timeout_s;
            options.speech_timeout = "auto";
            for (const auto& hint : a.hints)
              options.hints += (options.hints.empty() ? "" : ",") + hint;
            if (a.num_digits > 0) options.num_digits = a.num_digits;
            // The contract's language is the caller's too: speech is recognised in it.
            if (a.speech) options.language = reply.voice.language;
            options.action_on_empty_result = true;
            options.barge_in = true;
            twiml.gather(options).say(a.prompt, voice);
            waiting = true;
          } else if constexpr (std::is_same_v<A, engine::Transfer>) {
            DialOptions options;
            NumberOptions number;
            if (!reply.unattended_transfer) {
              options.action = "/twilio/dial";
              options.method = "POST";
              // Its result counts only once a person takes the call.
              if (a.screened) {
                number.url = screen_url(a.destination);
                number.method = "POST";
              }
            }
            options.timeout = a.dial_timeout_s;
            twiml.dial(a.number, options, number);
            waiting = true;
          } else if constexpr (std::is_same_v<A, engine::EndCall>) {
            twiml.hangup();
            waiting = true;
          }
        },
        action);
  }
  // Never dead air: if the reply leaves nothing to wait on, ask again, out loud.
  if (!waiting) {
    GatherOptions options;
    options.input = "speech dtmf";
    options.action = "/twilio/gather";
    options.method = "POST";
    options.action_on_empty_result = true;
    auto& gather = twiml.gather(options);
    if (!said)
      gather.say(reply.reprompt.empty() ? "Sorry, could you say that again?" : reply.reprompt,
                 voice);
  }
  return twiml.str();
}

}  // namespace voiceops::carrier
