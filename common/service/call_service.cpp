#include "service/call_service.hpp"

#include "service/scripted_integrations.hpp"

#include <algorithm>
#include <future>

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

void SessionStore::commit(std::vector<StoreWrite> writes, Committed done) {
  std::vector<WriteResult> results;
  for (const StoreWrite& write : writes) {
    results.push_back(std::visit(
        [&](const auto& w) -> WriteResult {
          if constexpr (std::is_same_v<std::decay_t<decltype(w)>, TurnRecord>) {
            return save(w);
          } else {
            return finish(w);
          }
        },
        write));
  }
  done(std::move(writes), std::move(results));
}

Result<bool, std::string> MemorySessionStore::save(const TurnRecord& turn) {
  const std::string& call_id = turn.state.call_id;
  for (auto& [id, saved] : states_) {
    if (id == call_id) {
      saved = turn.blob;
      return true;
    }
  }
  states_.emplace_back(call_id, turn.blob);
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
  Prepared prepared = prepare(request);
  if (!prepared.writes.empty()) {
    // The store may commit on another thread (the daemon's); either way, wait for it here.
    std::promise<void> done;
    auto committed_here = done.get_future();
    sessions_.commit(std::move(prepared.writes),
                     [&](std::vector<StoreWrite> writes, std::vector<WriteResult> results) {
                       committed(writes, results);
                       done.set_value();
                     });
    committed_here.wait();
  }
  return std::move(prepared.response);
}

Prepared CallService::prepare(const HttpRequest& request) {
  return prepare(request, twilio::decode_form(request.body));
}

Prepared CallService::prepare(const HttpRequest& request,
                              const Result<twilio::FormParams, twilio::FormError>& form) {
  Prepared out;
  const auto answer = [&](HttpResponse response) {
    out.response = std::move(response);
    return std::move(out);
  };
  const std::string_view path = request.path();
  const bool known = path == "/twilio/voice" || path == "/twilio/gather" ||
                     path == "/twilio/dial" || path == "/twilio/status";
  if (!known) return answer(plain(404, "not found"));
  if (request.method != "POST") return answer(plain(405, "use POST"));
  // The carrier posts forms. A JSON body (or anything else) is not one, whatever it holds.
  if (const std::string_view type = request.header("Content-Type"); !type.empty()) {
    const std::string_view media = type.substr(0, type.find(';'));
    std::string lowered;
    for (char c : media)
      if (c != ' ' && c != '\t')
        lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered != "application/x-www-form-urlencoded")
      return answer(plain(415, "webhooks are application/x-www-form-urlencoded forms"));
  }
  if (!form) return answer(plain(400, "malformed form: " + form.error().message));
  // One call, one number: a form naming two of either is not the carrier's.
  for (const char* name : {"CallSid", "To", "From"}) {
    int seen = 0;
    for (const auto& [key, value] : *form) seen += key == name ? 1 : 0;
    if (seen > 1) return answer(plain(400, std::string("duplicate parameter ") + name));
  }
  if (options_.validate_signatures) {
    const auto check =
        twilio::verify_signature(options_.auth_token, options_.public_url + request.target, *form,
                                 request.header("X-Twilio-Signature"));
    if (!check.valid) {
      observe(ServiceEvent::Kind::signature_failure, param(*form, "CallSid"), "");
      return answer(plain(403, "invalid X-Twilio-Signature"));
    }
  }
  if (param(*form, "CallSid").empty()) return answer(plain(400, "no CallSid"));
  // The carrier sends the same token again when it retries a webhook (connection overrides).
  const std::string token(request.header("I-Twilio-Idempotency-Token"));
  if (path == "/twilio/voice") return answer(on_voice(*form, out.writes));
  if (path == "/twilio/gather") return answer(on_gather(*form, out.writes, token));
  if (path == "/twilio/dial") return answer(on_dial(*form, out.writes, token));
  return answer(on_status(*form, out.writes));
}

void CallService::committed(const std::vector<StoreWrite>& writes,
                            const std::vector<WriteResult>& results) const {
  for (std::size_t i = 0; i < writes.size() && i < results.size(); ++i) {
    const WriteResult& result = results[i];
    if (const auto* turn = std::get_if<TurnRecord>(&writes[i])) {
      // Told once the turn is in the store, so a host that reacts by reading the call finds it.
      // A failed write is told too: the turn happened, and the caller got an answer.
      const engine::CallState& state = turn->state;
      if (!result)
        observe(ServiceEvent::Kind::store_error, state.call_id, state.workflow, result.error());
      bool started = false;
      for (const CallEvent& event : turn->events) {
        if (event.kind == "escalation")
          observe(ServiceEvent::Kind::escalation, state.call_id, state.workflow, event.detail);
        started = started || event.kind == "started";
      }
      if (started) observe(ServiceEvent::Kind::call_started, state.call_id, state.workflow);
      observe(ServiceEvent::Kind::turn, state.call_id, state.workflow);
      if (state.phase == engine::Phase::ended && state.outcome)
        observe(ServiceEvent::Kind::call_ended, state.call_id, state.workflow,
                engine::to_string(*state.outcome));
      // Staff hear of the turn even when the write failed: the caller was promised it.
      for (const engine::Notify& notice : turn->notices) messenger_.notify(state, notice);
    } else {
      const auto& finish = std::get<CallFinish>(writes[i]);
      if (!result) {
        observe(ServiceEvent::Kind::store_error, finish.call_id, finish.workflow, result.error());
      } else if (*result) {
        observe(ServiceEvent::Kind::call_finalized, finish.call_id, finish.workflow, finish.status);
      }
    }
  }
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
    const bool business = engine::in_business_hours(c.hours, now).value_or(false);
    if (engine::hours_apply(when, business)) return &w;
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

// Says `text` and hangs up; with no text, a clean hang-up (never an empty <Say>).
HttpResponse CallService::apology(const std::string& text) const {
  twilio::TwimlResponse twiml;
  if (!text.empty()) twiml.say(text);
  twiml.hangup();
  HttpResponse response;
  response.body = twiml.str();
  return response;
}

HttpResponse CallService::on_voice(const twilio::FormParams& form, Writes& writes) {
  const std::string call_id = param(form, "CallSid");
  // The carrier retries a webhook it got no answer to: pick the call up where it is.
  auto saved = sessions_.load(call_id);
  if (!saved) {  // never start a call over because its state could not be read
    observe(ServiceEvent::Kind::store_error, call_id, "", saved.error());
    return fallback_answer(form, FallbackReason::store_error, saved.error());
  }
  if (*saved) {
    auto state = engine::deserialize(**saved);
    if (state && state->phase != engine::Phase::ended) {
      observe(ServiceEvent::Kind::late_webhook, call_id, state->workflow, "duplicate");
      const Workflow* workflow = workflow_of(*state);
      if (workflow && state->phase == engine::Phase::transfer)
        return still_transferring(*workflow, *state);
      return render(*state, {engine::Gather{state->last_prompt, {}, true, true, 5, 0}});
    }
  }
  return run_event(form, engine::CallArrived{param(form, "From"), param(form, "To")}, writes);
}

HttpResponse CallService::on_gather(const twilio::FormParams& form, Writes& writes,
                                    const std::string& token) {
  const std::string digits = param(form, "Digits");
  const std::string speech = param(form, "SpeechResult");
  if (!digits.empty()) return run_event(form, engine::KeypadDigits{digits}, writes, token);
  if (speech.empty()) return run_event(form, engine::NoInput{}, writes, token);
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
  return run_event(form, heard, writes, token);
}

HttpResponse CallService::on_dial(const twilio::FormParams& form, Writes& writes,
                                  const std::string& token) {
  auto status = dial_status(param(form, "DialCallStatus"));
  return run_event(form, engine::TransferResult{status.value_or(engine::TransferStatus::failed)},
                   writes, token);
}

HttpResponse CallService::on_status(const twilio::FormParams& form, Writes& writes) {
  const std::string status = param(form, "CallStatus");
  const bool final_status = status == "completed" || status == "busy" || status == "no-answer" ||
                            status == "failed" || status == "canceled";
  HttpResponse response;
  response.body = twilio::TwimlResponse().str();
  if (!final_status) return response;
  const std::string call_id = param(form, "CallSid");
  run_event(form, engine::HungUp{}, writes);

  CallFinish finish;
  finish.call_id = call_id;
  finish.status = status;
  finish.at = options_.clock().time_since_epoch().count();
  if (const std::string duration = param(form, "CallDuration"); !duration.empty()) {
    char* end = nullptr;
    const long long seconds = std::strtoll(duration.c_str(), &end, 10);
    if (end && *end == '\0' && seconds >= 0 && seconds < 7 * 24 * 3600) finish.duration_s = seconds;
  }
  // The state after the hang-up turn just prepared (not yet committed), else the stored one.
  std::optional<engine::CallState> state;
  if (!writes.empty()) {
    if (const auto* turn = std::get_if<TurnRecord>(&writes.back())) state = turn->state;
  }
  if (!state) state = call_state(call_id);
  if (state) {
    finish.workflow = state->workflow;
    finish.speech_requests = state->turns;
    if (const Workflow* workflow = workflow_of(*state))
      finish.cost_model = workflow->contract->cost;
  }
  writes.push_back(std::move(finish));
  return response;
}

namespace {

std::string caller_line(const engine::Event& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, engine::SpeechHeard>) {
          return e.barge_in_ms ? e.text + " (interrupting)" : e.text;
        } else if constexpr (std::is_same_v<E, engine::KeypadDigits>) {
          return "(keypad, " + std::to_string(e.digits.size()) + " digits)";
        } else if constexpr (std::is_same_v<E, engine::NoInput>) {
          return "(silence)";
        } else if constexpr (std::is_same_v<E, engine::HungUp>) {
          return "(hangs up)";
        } else {
          return {};
        }
      },
      event);
}

}  // namespace

void CallService::observe_fallback(FallbackReason reason, const std::string& call_id,
                                   const std::string& workflow, std::string detail) const {
  if (!options_.observer) return;
  ServiceEvent event{ServiceEvent::Kind::fallback, call_id, workflow, std::move(detail)};
  event.reason = reason;
  options_.observer->on_event(event);
}

void CallService::observe(ServiceEvent::Kind kind, const std::string& call_id,
                          const std::string& workflow, std::string detail) const {
  if (options_.observer) options_.observer->on_event({kind, call_id, workflow, std::move(detail)});
}

const char* to_string(FallbackReason reason) {
  switch (reason) {
    case FallbackReason::unknown_call: return "unknown_call";
    case FallbackReason::store_error: return "store_error";
    case FallbackReason::state_unreadable: return "state_unreadable";
    case FallbackReason::workflow_not_loaded: return "workflow_not_loaded";
    case FallbackReason::no_workflow: return "no_workflow";
    case FallbackReason::internal_error: return "internal_error";
  }
  return "internal_error";
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

HttpResponse CallService::run_event(const twilio::FormParams& form, const engine::Event& event,
                                    Writes& writes, const std::string& token) {
  const std::string call_id = param(form, "CallSid");
  const auto now = options_.clock();
  engine::CallState state;
  const bool arriving = std::holds_alternative<engine::CallArrived>(event);
  const bool hanging_up = std::holds_alternative<engine::HungUp>(event);
  const Workflow* workflow = nullptr;
  if (arriving) {
    state.call_id = call_id;
    workflow = select_workflow(std::get<engine::CallArrived>(event).to, now);
  } else {
    auto saved = sessions_.load(call_id);
    if (!saved) {
      observe(ServiceEvent::Kind::store_error, call_id, "", saved.error());
      return hanging_up ? apology("")
                        : fallback_answer(form, FallbackReason::store_error, saved.error());
    }
    if (!*saved) {
      return hanging_up ? apology("") : fallback_answer(form, FallbackReason::unknown_call);
    }
    auto loaded = engine::deserialize(**saved);
    if (!loaded) return fallback_answer(form, FallbackReason::state_unreadable, loaded.error());
    state = std::move(*loaded);
    // A late webhook for a call that is over (out-of-order callbacks): nothing left to do but
    // hang up cleanly. The status callback after the end is expected, not late.
    if (state.phase == engine::Phase::ended) {
      if (!hanging_up)
        observe(ServiceEvent::Kind::late_webhook, call_id, state.workflow, "after_end");
      return apology("");
    }
    workflow = workflow_of(state);
    if (!workflow)
      return fallback_answer(form, FallbackReason::workflow_not_loaded, state.workflow);
    // The caller's words arriving while a transfer is under way are a late or repeated gather:
    // the transfer goes on, with a word to the caller, and the engine is not asked.
    const bool caller_input = std::holds_alternative<engine::SpeechHeard>(event) ||
                              std::holds_alternative<engine::KeypadDigits>(event) ||
                              std::holds_alternative<engine::NoInput>(event);
    if (caller_input && state.phase == engine::Phase::transfer) {
      observe(ServiceEvent::Kind::late_webhook, call_id, state.workflow, "during_transfer");
      return still_transferring(*workflow, state);
    }
    // A retry of the webhook this call last took: answered again, the turn not run twice.
    if (!token.empty() && token == state.last_webhook_token) {
      observe(ServiceEvent::Kind::late_webhook, call_id, state.workflow, "duplicate");
      if (state.phase == engine::Phase::transfer) return still_transferring(*workflow, state);
      return render(state, {engine::Gather{state.last_prompt, {}, true, true, 5, 0}});
    }
    state.last_webhook_token = token;
  }
  if (!workflow) {
    observe_fallback(FallbackReason::no_workflow, call_id, "",
                     "no workflow answers this number now");
    return apology(
        "Sorry, this line isn't taking calls right now. Please call back during business hours.");
  }
  const engine::Dialogue& dialogue = *dialogue_of(*workflow);
  const std::string& workflow_id = workflow->contract->workflow.id.value;
  const std::size_t escalations_before = state.escalations.size();

  TurnRecord record;
  record.at = now.time_since_epoch().count();
  if (std::string line = caller_line(event); !line.empty())
    record.lines.push_back({"caller", std::move(line)});
  std::size_t recorded = 0;  // actions already in record.lines, so tool lines land in order
  const auto record_actions = [&](const std::vector<engine::Action>& actions) {
    for (; recorded < actions.size(); ++recorded) {
      std::visit(
          [&](const auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, engine::Say>) {
              record.lines.push_back({"agent", a.text});
            } else if constexpr (std::is_same_v<A, engine::Gather>) {
              if (!a.prompt.empty()) record.lines.push_back({"agent", a.prompt});
            } else if constexpr (std::is_same_v<A, engine::Transfer>) {
              record.events.push_back({"transfer", a.destination});
            } else if constexpr (std::is_same_v<A, engine::Notify>) {
              record.events.push_back({"notify", a.destination});
            } else if constexpr (std::is_same_v<A, engine::EndCall>) {
              record.events.push_back(
                  {"ended", std::string(engine::to_string(a.outcome)) + " " + a.event});
            }
          },
          actions[recorded]);
    }
  };

  ToolContext tool_context;
  if (const std::string* script = twilio::find_param(form, scripted_integrations_param))
    tool_context.scripted_integrations = *script;
  std::vector<engine::Action> actions = dialogue.handle(state, event, now);
  for (int round = 0; round < max_tool_rounds && !actions.empty() &&
                      std::holds_alternative<engine::CallTool>(actions.back());
       ++round) {
    const engine::CallTool tool = std::get<engine::CallTool>(actions.back());
    actions.pop_back();
    record_actions(actions);
    const engine::ToolResult result = tools_.run(state, tool, tool_context);
    const std::string outcome = engine::to_string(result.status);
    record.lines.push_back({"tool", tool.name + ": " + outcome});
    record.events.push_back({"tool", tool.name + " " + outcome});
    auto more = dialogue.handle(state, result, now);
    actions.insert(actions.end(), more.begin(), more.end());
  }
  record_actions(actions);
  for (const auto& action : actions) {
    if (const auto* notice = std::get_if<engine::Notify>(&action))
      record.notices.push_back(*notice);
  }
  for (std::size_t i = escalations_before; i < state.escalations.size(); ++i) {
    const auto row = static_cast<std::size_t>(state.escalations[i]);
    const std::string trigger =
        row < workflow->contract->escalation.size()
            ? std::string(to_string(workflow->contract->escalation[row].trigger.value))
            : std::string("unknown");
    record.events.push_back({"escalation", trigger});
  }
  if (arriving) record.events.insert(record.events.begin(), {"started", workflow_id});

  record.blob = engine::serialize(state);
  record.summary = dialogue.summary(state);
  HttpResponse response = render(state, actions);
  record.state = std::move(state);
  writes.push_back(std::move(record));
  return response;
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
