// The engine's actions as TwiML, and the answers given without the engine: the human fallback,
// an apology, a transfer still under way.
#include "service/call_service.hpp"

#include "engine/business_hours.hpp"
#include "service/call_service_detail.hpp"
#include "twilio/twiml.hpp"

namespace voiceops::service {

// Says `text` and hangs up; with no text, a clean hang-up (never an empty <Say>).
HttpResponse CallService::apology(const std::string& text) const {
  twilio::TwimlResponse twiml;
  if (!text.empty()) twiml.say(text);
  twiml.hangup();
  HttpResponse response;
  response.body = twiml.str();
  return response;
}

HttpResponse CallService::fallback_answer(const HttpRequest& request, FallbackReason reason,
                                          const std::string& detail) const {
  auto form = twilio::decode_form(request.body);
  return fallback_answer(form ? *form : twilio::FormParams{}, reason, detail);
}

HttpResponse CallService::fallback_answer(const twilio::FormParams& form, FallbackReason reason,
                                          const std::string& detail) const {
  const auto now = options_.clock();
  const std::string to = param(form, "To");
  const Workflow* workflow = select_workflow(to, now);
  if (!workflow) {
    // The call may have started under the other hours' workflow: any for this number will do.
    for (const Workflow& w : workflows_) {
      for (const auto& number : w.contract->answers.numbers)
        if (!workflow && number.value == to) workflow = &w;
    }
  }
  observe_fallback(reason, param(form, "CallSid"),
                   workflow ? workflow->contract->workflow.id.value : std::string(), detail);
  if (!workflow)
    return apology("Sorry, something went wrong on our side. Please call us back later.");

  const contract::Contract& c = *workflow->contract;
  const contract::Destination* destination = c.destination(c.workflow.human_fallback.value);
  const bool business = engine::in_business_hours(c.hours, now).value_or(false);
  const bool staffed = destination && engine::staffed_now(*destination, business);
  if (staffed && destination->kind.value == contract::DestinationKind::phone &&
      !destination->number.value.empty()) {
    twilio::TwimlResponse twiml;
    twiml.say("Sorry, something went wrong on our side. Let me get you to someone who can help.");
    twilio::DialOptions options;
    options.timeout = 20;
    twiml.dial(destination->number.value, options);
    twiml.say("Sorry, nobody could pick up. Please call us back.");
    twiml.hangup();
    HttpResponse response;
    response.body = twiml.str();
    return response;
  }
  return apology(business ? "Sorry, something went wrong on our side. Please call us back in a "
                            "few minutes."
                          : "Sorry, something went wrong on our side, and our office is closed. "
                            "Please call us back during business hours.");
}

HttpResponse CallService::still_transferring(const Workflow& workflow,
                                             const engine::CallState& state) const {
  const contract::Destination* destination =
      workflow.contract->destination(state.transfer_destination);
  if (!destination || destination->number.value.empty()) {
    return render(state, {engine::Gather{state.last_prompt, {}, true, true, 5, 0}});
  }
  twilio::TwimlResponse twiml;
  twiml.say("I'm still connecting you. One moment.");
  twilio::DialOptions options;
  options.action = "/twilio/dial";
  options.method = "POST";
  options.timeout = 20;
  twiml.dial(destination->number.value, options);
  HttpResponse response;
  response.body = twiml.str();
  return response;
}

HttpResponse CallService::render(const engine::CallState& state,
                                 const std::vector<engine::Action>& actions) const {
  twilio::TwimlResponse twiml;
  bool waiting = false;
  bool said = false;
  for (const auto& action : actions) {
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, engine::Say>) {
            twiml.say(a.text);
            said = said || !a.text.empty();
          } else if constexpr (std::is_same_v<A, engine::Gather>) {
            twilio::GatherOptions options;
            options.input = a.speech && a.dtmf ? "speech dtmf" : a.speech ? "speech" : "dtmf";
            options.action = "/twilio/gather";
            options.method = "POST";
            options.timeout = a.timeout_s;
            options.speech_timeout = "auto";
            for (const auto& hint : a.hints)
              options.hints += (options.hints.empty() ? "" : ",") + hint;
            if (a.num_digits > 0) options.num_digits = a.num_digits;
            options.action_on_empty_result = true;
            options.barge_in = true;
            twiml.gather(options).say(a.prompt);
            waiting = true;
          } else if constexpr (std::is_same_v<A, engine::Transfer>) {
            twilio::DialOptions options;
            options.action = "/twilio/dial";
            options.method = "POST";
            options.timeout = 20;
            twiml.dial(a.number, options);
            waiting = true;
          } else if constexpr (std::is_same_v<A, engine::EndCall>) {
            twiml.hangup();
            waiting = true;
          }
        },
        action);
  }
  // Never dead air: if the engine produced nothing to wait on, ask again, out loud.
  if (!waiting) {
    twilio::GatherOptions options;
    options.input = "speech dtmf";
    options.action = "/twilio/gather";
    options.method = "POST";
    options.action_on_empty_result = true;
    auto& gather = twiml.gather(options);
    if (!said) {
      gather.say(state.last_prompt.empty() ? "Sorry, could you say that again?"
                                           : state.last_prompt);
    }
  }
  HttpResponse response;
  response.body = twiml.str();
  return response;
}
}  // namespace voiceops::service
