#pragma once
// Whether a number of the carrier account sends its calls to voiceopsd: no TwiML App in the way,
// the voice URL and method, a fallback off the daemon's own server, the status callback. A pure
// function over what the carrier's REST API says of the number and what voiceops.toml and the
// contracts expect, so it is tested without a carrier; `voiceops twilio check-number` prints it.
#include <string>
#include <string_view>
#include <vector>

#include "calls/workflow_router.hpp"
#include "connectors/twilio/rest_reply.hpp"

namespace voiceops::ops {

// A workflow answering a number, as its contract says.
struct AnsweringWorkflow {
  std::string id;
  std::string hours;           // [answers] when: always, business_hours, after_hours
  std::string forward_to;      // [rollback] forward_to; empty: none
  std::string fallback_twiml;  // what the number's fallback URL should serve; empty: none
};

// What a number must say: from [server] public_url, [twilio] fallback_url and the contracts.
struct NumberExpectation {
  std::string public_url;    // no trailing '/'
  std::string fallback_url;  // empty: any URL off voiceopsd's server will do
  bool contracts_loaded = true;
  std::vector<AnsweringWorkflow> workflows;  // the workflows answering the number
};

enum class Verdict {
  ok,
  wrong,   // must change: calls would not reach voiceopsd as it expects (exit status 1)
  advice,  // cannot be decided from here; worth a look (no effect on the exit status)
};
std::string_view verdict_name(Verdict verdict);  // "ok", "wrong", "advice"

struct Finding {
  std::string setting;  // stable: workflow, configure_with, voice_url, voice_method, ...
  std::string label;    // for people: "Voice URL", "Fallback method", ...
  Verdict verdict = Verdict::ok;
  std::string now;       // the number's value; empty when unset
  std::string expected;  // the value to set; empty when no single value is required
  std::string message;   // one line: "set Voice URL to https://... (now https://.../old)"
  std::string console;   // for a finding not ok: what to change in the carrier's console
};

struct NumberCheck {
  std::string phone_number, sid, friendly_name;
  std::vector<Finding> findings;
  bool ok() const;  // no finding is wrong
};

// The URLs voiceopsd serves the carrier's voice webhook and status callback on.
std::string voice_webhook_url(std::string_view public_url);
std::string status_callback_url(std::string_view public_url);

// Whether two URLs are the same to the carrier and to the daemon's signature check: scheme and
// host without regard to case, a default port (443 for https, 80 for http) as good as none;
// the path and query byte for byte.
bool same_url(std::string_view a, std::string_view b);
// Whether two URLs name the same host (without regard to case or port).
bool same_host(std::string_view a, std::string_view b);
// A TwiML Bin's URL (handler.twilio.com): it answers GET and POST alike.
bool twiml_bin_url(std::string_view url);

// Every number the workflows answer, each once, in the contracts' order.
std::vector<std::string> contract_numbers(const std::vector<calls::Workflow>& workflows);
// The workflows answering `number`, each with its fallback TwiML.
std::vector<AnsweringWorkflow> workflows_answering(const std::vector<calls::Workflow>& workflows,
                                                   const std::string& number);

// The number's settings against the expectation, one finding per setting, in the console's
// order: workflow, configure_with, voice_url, voice_method, fallback_url, fallback_method,
// status_callback, status_callback_method (and fallback_twiml when the workflows disagree).
NumberCheck check_number(const connectors::twilio::IncomingNumber& number,
                         const NumberExpectation& expected);

// The workflow whose fallback TwiML the number's fallback URL should serve: the first of those
// answering always, else the first with a forward_to; null when none has one.
const AnsweringWorkflow* fallback_workflow(const NumberExpectation& expected);

}  // namespace voiceops::ops
