// Webhook requests checked and decoded into calls::CallInput; replies rendered as TwiML.
#include "carrier/webhooks.hpp"

#include <cctype>
#include <cstdlib>
#include <future>

#include "carrier/reply_twiml.hpp"
#include "carrier/signature.hpp"
#include "carrier/twiml.hpp"

namespace voiceops::carrier {
namespace {

std::string param(const FormParams& form, std::string_view name) {
  const std::string* value = find_param(form, name);
  return value ? *value : std::string();
}

HttpResponse plain(int status, std::string text) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text) + "\n";
  return response;
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
    const auto check = verify_signature(options_.auth_token, options_.public_url + request.target,
                                        *form, request.header("X-Twilio-Signature"));
    if (!check.valid) {
      calls_.observe(calls::Observation::Kind::signature_failure, param(*form, "CallSid"), "");
      return answer(plain(403, "invalid X-Twilio-Signature"));
    }
  }
  if (param(*form, "CallSid").empty()) return answer(plain(400, "no CallSid"));
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
  return twiml_response(
      calls_.human_fallback(param(form, "CallSid"), param(form, "To"), reason, detail));
}

}  // namespace voiceops::carrier
