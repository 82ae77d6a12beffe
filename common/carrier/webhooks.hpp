#pragma once
// The carrier's voice webhooks (DESIGN section 6) as plain functions from request to response:
//   POST /twilio/voice   a call arrives          POST /twilio/gather  speech or keypad result
//   POST /twilio/dial    a transfer's result     POST /twilio/status  the call's status changed
//   POST /twilio/screen, /twilio/screen-answer   a transfer's staff leg, screened before it is
//                                                put through (carrier/transfer_screen.hpp)
// A request is checked (method, media type, form, signature), decoded into the calls layer's
// input, answered by calls::CallHandler, and its Reply rendered as TwiML. The daemon fills the
// request from Boost.Beast; the test-pack runner fills it directly, so both run this same code.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "calls/call_handler.hpp"
#include "carrier/form.hpp"
#include "carrier/http_message.hpp"

namespace voiceops::carrier {

// Not a carrier parameter: a staging test call's scripted outcomes (calls/scripted_tools.hpp),
// honoured only when the daemon's config allows it.
inline constexpr std::string_view scripted_integrations_param = "VoiceopsIntegrations";

struct WebhookOptions {
  std::string public_url;  // what the carrier signs against, e.g. "https://voice.example.com"
  std::string auth_token;
  bool validate_signatures = true;
  calls::Clock clock;                       // now, UTC; the system clock when empty
  calls::Observer* observer = nullptr;      // optional; not owned
  calls::RollbackView* rollback = nullptr;  // optional; not owned: what voiceops rollback set
};

// A webhook answered but not yet written: the host commits `writes` (SessionStore::commit),
// tells the webhooks how that went (committed), and only then sends `response`.
struct Prepared {
  HttpResponse response;
  std::vector<calls::StoreWrite> writes;
};

class Webhooks {
 public:
  Webhooks(std::vector<calls::Workflow> workflows, calls::SessionStore& sessions,
           calls::ToolRunner& tools, calls::Messenger& messenger, WebhookOptions options);

  // Answers a webhook and commits what it wrote before returning.
  HttpResponse handle(const HttpRequest& request);

  // The same in two steps, for a host that commits many webhooks' writes together. The host must
  // not prepare a call's next webhook before this one's writes are committed.
  Prepared prepare(const HttpRequest& request);
  // The same, for a host that has decoded the request's form already (`form` is that result).
  Prepared prepare(const HttpRequest& request, const Result<FormParams, FormError>& form);
  void committed(const std::vector<calls::StoreWrite>& writes,
                 const std::vector<calls::WriteResult>& results) const {
    calls_.committed(writes, results);
  }

  // Never dead air: the contract's human fallback for the number called, without the engine.
  // A transfer's staff leg (a form with a ParentCallSid) gets screen_failure_twiml instead.
  HttpResponse fallback_answer(const HttpRequest& request, calls::FallbackReason reason,
                               const std::string& detail = {}) const;
  // The same, for a webhook whose form is already decoded (a commit that failed).
  HttpResponse fallback_answer(const FormParams& form, calls::FallbackReason reason,
                               const std::string& detail = {}) const;

  calls::CallHandler& calls() { return calls_; }

 private:
  calls::CallInput input_from(const FormParams& form, engine::Event event,
                              std::string retry_token) const;

  calls::CallHandler calls_;
  WebhookOptions options_;
};

}  // namespace voiceops::carrier
