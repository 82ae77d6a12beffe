// Staging only: GET /testing/calls/<CallSid>, the engine's view of a test call.
#include "host/daemon_core.hpp"

#include <fmt/format.h>

#include "carrier/signature.hpp"
#include "control/staging_call_state.hpp"
#include "host/core_helpers.hpp"

namespace voiceops::host {

// Staging only ([testing] scripted_integrations = true): what the engine knows about a call, so
// `voiceops testcalls run --target` can check slots, outcome and summary as it does in-process.
// Signed like a webhook (the URL, no parameters) with the carrier's auth token.
Answer DaemonCore::testing_call_state(const carrier::HttpRequest& request) {
  Answer answer;
  if (request.method != "GET") {
    answer.response = text_response(405, "use GET\n");
    return answer;
  }
  if (config_.twilio.validate_signatures) {
    const auto check =
        carrier::verify_signature(auth_token_, config_.server.public_url + request.target, {},
                                  request.header("X-Twilio-Signature"));
    if (!check.valid) {
      metrics_.signature_failure();
      answer.response = text_response(403, "invalid X-Twilio-Signature\n");
      return answer;
    }
  }
  const std::string call_id(request.path().substr(testing_calls_prefix.size()));
  std::shared_ptr<carrier::Webhooks> webhooks = webhooks_.load();
  auto state = webhooks->calls().call_state(call_id);
  if (!state) {
    answer.response = text_response(404, "no call " + call_id + "\n");
    return answer;
  }
  control::StagingCallState seen;
  seen.call = state->call_id;
  seen.workflow = state->workflow;
  seen.after_hours = state->after_hours;
  seen.intent = state->intent;
  if (state->outcome) seen.outcome = engine::to_string(*state->outcome);
  seen.event = state->event;
  for (const auto& [name, slot] : state->slots) seen.slots[name] = slot.value;
  seen.transfer_destination = state->transfer_destination;
  seen.turns = state->turns;
  seen.escalation_rows = state->escalations;
  seen.speech_requests = state->speech_requests;
  seen.spoken_characters = state->spoken_characters;
  seen.summary = webhooks->calls().summary(*state);
  answer.response = text_response(200, control::encode(seen) + "\n", "application/json");
  return answer;
}
}  // namespace voiceops::host
