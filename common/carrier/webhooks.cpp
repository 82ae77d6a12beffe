// Webhook requests checked and decoded into calls::CallInput; replies rendered as TwiML.
#include "carrier/webhooks.hpp"

#include <cstdlib>
#include <future>

#include "carrier/reply_twiml.hpp"
#include "carrier/transfer_screen.hpp"
#include "carrier/twiml.hpp"
#include "carrier/webhook_checks.hpp"

namespace voiceops::carrier {
namespace {

std::string param(const FormParams& form, std::string_view name) {
  const std::string* value = find_param(form, name);
  return value ? *value : std::string();
}

HttpResponse twiml_response(const calls::Reply& reply) {
  HttpResponse response;
  response.body = reply_twiml(reply);
  return response;
}

std::optional<engine::TransferStatus> dial_status(std::string_view status) {
  if (status == "completed" || status == "answered") return engine::TransferStatus::completed;
  return engine::transfer_status_from(status);
}

// A gather's result: keypad digits first, then speech with its confidence, else silence.
engine::Event gathered(const FormParams& form) {
  const std::string digits = param(form, "Digits");
  const std::string speech = param(form, "SpeechResult");
  if (!digits.empty()) return engine::KeypadDigits{digits};
  if (speech.empty()) return engine::NoInput{};
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
  return heard;
}

HttpResponse twiml_document(std::string xml) {
  HttpResponse response;
  response.body = std::move(xml);
  return response;
}

// The destination a screen webhook's query names (carrier/transfer_screen.hpp); empty when it
// names none.
std::string screened_destination(const HttpRequest& request) {
  const std::size_t query = request.target.find('?');
  if (query == std::string::npos) return {};
  auto params = decode_form(std::string_view(request.target).substr(query + 1));
  return params ? param(*params, "destination") : std::string();
}

bool final_status(std::string_view status) {
  return status == "completed" || status == "busy" || status == "no-answer" || status == "failed" ||
         status == "canceled";
}

}  // namespace

Webhooks::Webhooks(std::vector<calls::Workflow> workflows, calls::SessionStore& sessions,
                   calls::ToolRunner& tools, calls::Messenger& messenger, WebhookOptions options)
    : calls_(std::move(workflows), sessions, tools, messenger, options.clock, options.observer,
             options.rollback),
      options_(std::move(options)) {}

HttpResponse Webhooks::handle(const HttpRequest& request) {
  Prepared prepared = prepare(request);
  if (!prepared.writes.empty()) {
    // The store may commit on another thread (the daemon's); either way, wait for it here.
    std::promise<void> done;
    auto committed_here = done.get_future();
    calls_.sessions().commit(
        std::move(prepared.writes),
        [&](std::vector<calls::StoreWrite> writes, std::vector<calls::WriteResult> results) {
          committed(writes, results);
          done.set_value();
        });
    committed_here.wait();
  }
  return std::move(prepared.response);
}

Prepared Webhooks::prepare(const HttpRequest& request) {
  return prepare(request, decode_form(request.body));
}

Prepared Webhooks::prepare(const HttpRequest& request, const Result<FormParams, FormError>& form) {
  Prepared out;
  const auto answer = [&](HttpResponse response) {
    out.response = std::move(response);
    return std::move(out);
  };
  const std::string_view path = request.path();
  const bool screening = path == screen_path || path == screen_answer_path;
  const bool known = path == "/twilio/voice" || path == "/twilio/gather" ||
                     path == "/twilio/dial" || path == "/twilio/status" || screening;
  if (!known) return answer(plain_response(404, "not found"));
  // One call, one number: a form naming two of either is not the carrier's.
  if (auto refused = refuse_webhook(
          request, form, {options_.public_url, options_.auth_token, options_.validate_signatures},
          {"CallSid", "To", "From", "ParentCallSid"})) {
    if (refused->status == 403)
      calls_.observe(calls::Observation::Kind::signature_failure, param(*form, "CallSid"), "");
    return answer(std::move(*refused));
  }
  if (param(*form, "CallSid").empty()) return answer(plain_response(400, "no CallSid"));
  if (screening) {
    // The staff leg's webhooks: its own CallSid, and the caller's call as ParentCallSid.
    const std::string parent = param(*form, "ParentCallSid");
    if (parent.empty()) return answer(plain_response(400, "no ParentCallSid"));
    const std::string destination = screened_destination(request);
    if (path == screen_path)
      return answer(
          twiml_document(screen_twiml(calls_.transfer_screen(parent, destination), destination)));
    const bool accept_key = param(*form, "Digits") == screen_accept_key;
    const calls::TransferScreen screen =
        accept_key
            ? calls_.accept_transfer(parent, param(*form, "CallSid"), destination, out.writes)
            : calls_.transfer_screen(parent, destination);
    return answer(twiml_document(screen_answer_twiml(screen, accept_key)));
  }
  // The carrier sends the same token again when it retries a webhook (connection overrides).
  std::string token(request.header("I-Twilio-Idempotency-Token"));
  if (path == "/twilio/voice") {
    // A retried arrival is recognised by its saved state, not its token.
    auto input =
        input_from(*form, engine::CallArrived{param(*form, "From"), param(*form, "To")}, {});
    return answer(twiml_response(calls_.handle(input, out.writes)));
  }
  if (path == "/twilio/gather") {
    auto input = input_from(*form, gathered(*form), std::move(token));
    return answer(twiml_response(calls_.handle(input, out.writes)));
  }
  if (path == "/twilio/dial") {
    const auto status = dial_status(param(*form, "DialCallStatus"));
    auto input =
        input_from(*form, engine::TransferResult{status.value_or(engine::TransferStatus::failed)},
                   std::move(token));
    input.transfer_leg = param(*form, "DialCallSid");  // whose acceptance counts
    return answer(twiml_response(calls_.handle(input, out.writes)));
  }
  // The status callback: only a final status ends the call; the carrier reads no TwiML from it.
  HttpResponse empty;
  empty.body = TwimlResponse().str();
  const std::string status = param(*form, "CallStatus");
  if (!final_status(status)) return answer(std::move(empty));
  calls::CallEnd end;
  end.call_id = param(*form, "CallSid");
  end.to = param(*form, "To");
  end.status = status;
  if (const std::string duration = param(*form, "CallDuration"); !duration.empty()) {
    char* tail = nullptr;
    const long long seconds = std::strtoll(duration.c_str(), &tail, 10);
    if (tail && *tail == '\0' && seconds >= 0 && seconds < 7 * 24 * 3600) end.duration_s = seconds;
  }
  end.tools = input_from(*form, engine::HungUp{}, {}).tools;
  calls_.finish(end, out.writes);
  return answer(std::move(empty));
}

calls::CallInput Webhooks::input_from(const FormParams& form, engine::Event event,
                                      std::string retry_token) const {
  calls::CallInput input{
      param(form, "CallSid"), param(form, "To"), std::move(event), std::move(retry_token), {}};
  if (const std::string* script = find_param(form, scripted_integrations_param))
    input.tools.scripted_integrations = *script;
  return input;
}

HttpResponse Webhooks::fallback_answer(const HttpRequest& request, calls::FallbackReason reason,
                                       const std::string& detail) const {
  auto form = decode_form(request.body);
  return fallback_answer(form ? *form : FormParams{}, reason, detail);
}

HttpResponse Webhooks::fallback_answer(const FormParams& form, calls::FallbackReason reason,
                                       const std::string& detail) const {
  // Only a dialled staff leg's webhooks carry a parent: its TwiML may not dial anyone.
  if (!param(form, "ParentCallSid").empty())
    return twiml_document(screen_failure_twiml(param(form, "Digits") == screen_accept_key));
  return twiml_response(
      calls_.human_fallback(param(form, "CallSid"), param(form, "To"), reason, detail));
}

}  // namespace voiceops::carrier
