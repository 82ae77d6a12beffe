#include "service/call_service.hpp"

#include <algorithm>

#include "engine/business_hours.hpp"
#include "twilio/signature.hpp"
#include "twilio/twiml.hpp"

namespace voiceops::service {
namespace {

constexpr int max_tool_rounds = 16;  // a flow of call steps chained by on_ok is short

std::string param(const twilio::FormParams& form, std::string_view name) {
  const std::string* value = twilio::find_param(form, name);
  return value ? *value : std::string();
}

HttpResponse plain(int status, std::string text) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text) + "\n";
  return response;
}

std::optional<engine::TransferStatus> dial_status(std::string_view status) {
  if (status == "completed" || status == "answered") return engine::TransferStatus::completed;
  return engine::transfer_status_from(status);
}

}  // namespace

Result<std::optional<std::string>, std::string> MemorySessionStore::load(
    const std::string& call_id) {
  for (const auto& [id, state] : states_) {
    if (id == call_id) return std::optional<std::string>(state);
  }
  return std::optional<std::string>();
}

Result<bool, std::string> MemorySessionStore::save(const std::string& call_id,
                                                   const std::string& state) {
  for (auto& [id, saved] : states_) {
    if (id == call_id) {
      saved = state;
      return true;
    }
  }
  states_.emplace_back(call_id, state);
  return true;
}

CallService::CallService(std::vector<Workflow> workflows, SessionStore& sessions, ToolRunner& tools,
                         Messenger& messenger, CallServiceOptions options)
    : workflows_(std::move(workflows)),
      sessions_(sessions),
      tools_(tools),
      messenger_(messenger),
      options_(std::move(options)) {
  for (const Workflow& w : workflows_) {
    dialogues_.push_back(std::make_unique<engine::Dialogue>(*w.contract, w.directory.get()));
  }
  if (!options_.clock) {
    options_.clock = [] {
      return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    };
  }
}

HttpResponse CallService::handle(const HttpRequest& request) {
  const std::string_view path = request.path();
  const bool known = path == "/twilio/voice" || path == "/twilio/gather" ||
                     path == "/twilio/dial" || path == "/twilio/status";
  if (!known) return plain(404, "not found");
  if (request.method != "POST") return plain(405, "use POST");
  auto form = twilio::decode_form(request.body);
  if (!form) return plain(400, "malformed form: " + form.error().message);
  if (options_.validate_signatures) {
    const auto check =
        twilio::verify_signature(options_.auth_token, options_.public_url + request.target, *form,
                                 request.header("X-Twilio-Signature"));
    if (!check.valid) return plain(403, "invalid X-Twilio-Signature");
  }
  if (param(*form, "CallSid").empty()) return plain(400, "no CallSid");
  if (path == "/twilio/voice") return on_voice(*form);
  if (path == "/twilio/gather") return on_gather(*form);
  if (path == "/twilio/dial") return on_dial(*form);
  return on_status(*form);
}

const Workflow* CallService::select_workflow(const std::string& to,
                                             std::chrono::sys_seconds now) const {
  const Workflow* fallback = nullptr;
  for (const Workflow& w : workflows_) {
    const contract::Contract& c = *w.contract;
    const bool answers = std::any_of(c.answers.numbers.begin(), c.answers.numbers.end(),
                                     [&](const contract::Text& n) { return n.value == to; });
    if (!answers) continue;
    const contract::Hours when = c.answers.when.value;
    if (when == contract::Hours::always) {
      fallback = fallback ? fallback : &w;
      continue;
    }
    auto local = engine::to_local(c.hours.time_zone.value, now);
    const bool business = local && engine::in_business_hours(c.hours, *local);
    if ((when == contract::Hours::business_hours) == business) return &w;
  }
  return fallback;
}

const Workflow* CallService::workflow_of(const engine::CallState& state) const {
  for (const Workflow& w : workflows_) {
    if (w.contract->workflow.id.value == state.workflow) return &w;
  }
  return nullptr;
}

const engine::Dialogue* CallService::dialogue_of(const Workflow& workflow) const {
  return dialogues_[static_cast<std::size_t>(&workflow - workflows_.data())].get();
}

HttpResponse CallService::apology(const std::string& text) const {
  twilio::TwimlResponse twiml;
  twiml.say(text);
  twiml.hangup();
  HttpResponse response;
  response.body = twiml.str();
  return response;
}

HttpResponse CallService::on_voice(const twilio::FormParams& form) {
  const std::string call_id = param(form, "CallSid");
  // The carrier retries a webhook it got no answer to: pick the call up where it is.
  if (auto saved = sessions_.load(call_id); saved && *saved) {
    auto state = engine::deserialize(**saved);
    if (state && state->phase != engine::Phase::ended) {
      return render(*state, {engine::Gather{state->last_prompt, {}, true, true, 5, 0}});
    }
  }
  return run_event(call_id, engine::CallArrived{param(form, "From"), param(form, "To")});
}

HttpResponse CallService::on_gather(const twilio::FormParams& form) {
  const std::string digits = param(form, "Digits");
  const std::string speech = param(form, "SpeechResult");
  if (!digits.empty()) return run_event(param(form, "CallSid"), engine::KeypadDigits{digits});
  if (speech.empty()) return run_event(param(form, "CallSid"), engine::NoInput{});
  engine::SpeechHeard heard{speech, 1.0, std::nullopt};
  if (const std::string confidence = param(form, "Confidence"); !confidence.empty()) {
    char* end = nullptr;
    const double value = std::strtod(confidence.c_str(), &end);
    if (end && *end == '\0' && value >= 0 && value <= 1) heard.confidence = value;
  }
  // Not a carrier parameter: the test-pack runner says where on the prompt the caller cut in.
  if (const std::string barge = param(form, "VoiceopsBargeInMs"); !barge.empty()) {
    char* end = nullptr;
    const long value = std::strtol(barge.c_str(), &end, 10);
    if (end && *end == '\0' && value >= 0 && value < 3'600'000)
      heard.barge_in_ms = static_cast<int>(value);
  }
  return run_event(param(form, "CallSid"), heard);
}

HttpResponse CallService::on_dial(const twilio::FormParams& form) {
  auto status = dial_status(param(form, "DialCallStatus"));
  return run_event(param(form, "CallSid"),
                   engine::TransferResult{status.value_or(engine::TransferStatus::failed)});
}

HttpResponse CallService::on_status(const twilio::FormParams& form) {
  const std::string status = param(form, "CallStatus");
  const bool final_status = status == "completed" || status == "busy" || status == "no-answer" ||
                            status == "failed" || status == "canceled";
  if (final_status) {
    run_event(param(form, "CallSid"), engine::HungUp{});
  }
  HttpResponse response;
  response.body = twilio::TwimlResponse().str();
  return response;
}

HttpResponse CallService::run_event(const std::string& call_id, const engine::Event& event) {
  engine::CallState state;
  const bool arriving = std::holds_alternative<engine::CallArrived>(event);
  const Workflow* workflow = nullptr;
  if (arriving) {
    state.call_id = call_id;
    workflow = select_workflow(std::get<engine::CallArrived>(event).to, options_.clock());
  } else {
    auto saved = sessions_.load(call_id);
    if (!saved || !*saved) {
      if (std::holds_alternative<engine::HungUp>(event)) return apology("");
      return apology("Sorry, I've lost track of this call. Please call us back.");
    }
    auto loaded = engine::deserialize(**saved);
    if (!loaded) return apology("Sorry, something went wrong on our side. Please call us back.");
    state = std::move(*loaded);
    workflow = workflow_of(state);
  }
  if (!workflow) {
    return apology(
        "Sorry, this line isn't taking calls right now. Please call back during business hours.");
  }
  const engine::Dialogue& dialogue = *dialogue_of(*workflow);

  std::vector<engine::Action> actions = dialogue.handle(state, event, options_.clock());
  for (int round = 0; round < max_tool_rounds && !actions.empty() &&
                      std::holds_alternative<engine::CallTool>(actions.back());
       ++round) {
    const engine::CallTool tool = std::get<engine::CallTool>(actions.back());
    actions.pop_back();
    auto more = dialogue.handle(state, tools_.run(state, tool), options_.clock());
    actions.insert(actions.end(), more.begin(), more.end());
  }
  for (const auto& action : actions) {
    if (const auto* notice = std::get_if<engine::Notify>(&action))
      messenger_.notify(state, *notice);
  }
  if (auto saved = sessions_.save(call_id, engine::serialize(state)); !saved) {
    // The turn already happened; the caller still gets an answer.
  }
  return render(state, actions);
}

HttpResponse CallService::render(const engine::CallState&,
                                 const std::vector<engine::Action>& actions) const {
  twilio::TwimlResponse twiml;
  bool waiting = false;
  for (const auto& action : actions) {
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, engine::Say>) {
            twiml.say(a.text);
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
  // Never dead air: if the engine produced nothing to wait on, ask again.
  if (!waiting) {
    twilio::GatherOptions options;
    options.input = "speech dtmf";
    options.action = "/twilio/gather";
    options.method = "POST";
    options.action_on_empty_result = true;
    twiml.gather(options);
  }
  HttpResponse response;
  response.body = twiml.str();
  return response;
}

std::optional<engine::CallState> CallService::call_state(const std::string& call_id) {
  auto saved = sessions_.load(call_id);
  if (!saved || !*saved) return std::nullopt;
  auto state = engine::deserialize(**saved);
  if (!state) return std::nullopt;
  return std::move(*state);
}

std::string CallService::summary(const engine::CallState& state) const {
  const Workflow* workflow = workflow_of(state);
  return workflow ? dialogue_of(*workflow)->summary(state) : std::string();
}

}  // namespace voiceops::service
