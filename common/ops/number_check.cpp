#include "ops/number_check.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <cctype>
#include <optional>

#include "ops/fallback_twiml.hpp"

namespace voiceops::ops {
namespace {

using connectors::twilio::IncomingNumber;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A URL cut where the carrier and the daemon see a difference: scheme and host in lower case,
// the port ("" for the scheme's default), and the rest (path and query) as written.
struct UrlParts {
  std::string scheme, host, port, rest;
};

std::optional<UrlParts> split_url(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  UrlParts parts;
  parts.scheme = lower(url.substr(0, scheme_end));
  // A fragment never reaches the server: the carrier reads its connection overrides there
  // ("#rc=3&rt=5000", webhook retries), which the daemon is glad of. It is not compared.
  url = url.substr(0, url.find('#'));
  std::string_view after = url.substr(scheme_end + 3);
  const std::size_t rest_at = after.find_first_of("/?#");
  std::string_view authority = after.substr(0, rest_at);
  parts.rest = rest_at == std::string_view::npos ? "" : std::string(after.substr(rest_at));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  const std::size_t colon = authority.rfind(':');
  const bool bracketed_end = !authority.empty() && authority.back() == ']';
  if (colon != std::string_view::npos && !bracketed_end) {
    parts.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  parts.host = lower(authority);
  if (parts.host.empty()) return std::nullopt;
  if ((parts.scheme == "https" && parts.port == "443") ||
      (parts.scheme == "http" && parts.port == "80"))
    parts.port.clear();
  // "https://host" and "https://host/" are one request: the path of both is "/".
  if (parts.rest.empty() || parts.rest.front() != '/') parts.rest.insert(0, "/");
  return parts;
}

bool same_method(std::string_view a, std::string_view b) {
  return lower(a) == lower(b);
}

std::string now_text(const std::string& value) {
  return value.empty() ? "empty" : value;
}

// One setting whose value must be `expected`.
Finding exact(std::string setting, std::string label, const std::string& now,
              const std::string& expected, bool matches, std::string console) {
  Finding finding{std::move(setting), std::move(label), Verdict::ok, now, expected, {}, {}};
  if (matches) {
    finding.message = now;
    return finding;
  }
  finding.verdict = Verdict::wrong;
  finding.message = "set " + finding.label + " to " + expected + " (now " + now_text(now) + ")";
  finding.console = std::move(console);
  return finding;
}

Finding workflow_finding(const IncomingNumber& number, const NumberExpectation& expected) {
  Finding finding{"workflow", "Workflow", Verdict::ok, {}, {}, {}, {}};
  if (!expected.contracts_loaded) {
    finding.verdict = Verdict::advice;
    finding.message = "the contracts did not load: which workflow answers is not known";
    return finding;
  }
  if (expected.workflows.empty()) {
    finding.verdict = Verdict::wrong;
    finding.message = "no loaded contract answers " + number.phone_number +
                      ": voiceopsd would only apologise to its callers; add it to [answers] "
                      "numbers of the contract that should answer, then voiceops daemon reload";
    return finding;
  }
  std::vector<std::string> names;
  for (const auto& w : expected.workflows) names.push_back(w.id + " (" + w.hours + ")");
  finding.now = finding.message = fmt::format("{}", fmt::join(names, ", "));
  return finding;
}

Finding application_finding(const IncomingNumber& number) {
  Finding finding{"configure_with", "Configure with", Verdict::ok, {}, {}, {}, {}};
  if (number.voice_application_sid.empty()) {
    finding.now = finding.message = "Webhook";
    return finding;
  }
  finding.verdict = Verdict::wrong;
  finding.now = "TwiML App " + number.voice_application_sid;
  finding.expected = "Webhook";
  finding.message = "calls go to the TwiML App " + number.voice_application_sid +
                    ", whose URLs replace the number's own: configure the number with a webhook";
  finding.console =
      "\"Configure with\": choose \"Webhook, TwiML Bin, Function, Studio Flow, Proxy Service\" "
      "instead of the TwiML App";
  return finding;
}

// Where the fallback TwiML goes when [twilio] fallback_url does not say.
std::string fallback_command(const NumberExpectation& expected) {
  const AnsweringWorkflow* w = fallback_workflow(expected);
  return "voiceops rollback plan --fallback-twiml" + (w ? " --workflow " + w->id : std::string());
}

Finding fallback_url_finding(const IncomingNumber& number, const NumberExpectation& expected) {
  const std::string& now = number.voice_fallback_url;
  Finding finding{"fallback_url", "Fallback URL", Verdict::ok, now, expected.fallback_url, {}, {}};
  const bool hosted = !expected.fallback_url.empty();
  const std::string to_set =
      hosted ? expected.fallback_url
             : "the URL of a TwiML Bin (or a server other than voiceopsd's) serving `" +
                   fallback_command(expected) + "`";
  const std::string console =
      hosted ? "\"Primary handler fails\": URL " + expected.fallback_url
             : "TwiML Bins > Create new TwiML Bin: paste `" + fallback_command(expected) +
                   "`, save, then put the Bin's URL in \"Primary handler fails\"";
  if (now.empty()) {
    finding.verdict = Verdict::wrong;
    finding.message = "set Fallback URL to " + to_set +
                      " (now empty: when voiceopsd fails, callers hear the carrier's error)";
  } else if (same_host(now, expected.public_url)) {
    finding.verdict = Verdict::wrong;
    finding.message = "set Fallback URL to " + to_set + " (now " + now +
                      ", on voiceopsd's own server, which fails with it)";
  } else if (hosted && !same_url(now, expected.fallback_url)) {
    finding.verdict = Verdict::wrong;
    finding.message = "set Fallback URL to " + to_set + " (now " + now + "; [twilio] fallback_url)";
  } else {
    finding.message = now;
  }
  if (finding.verdict == Verdict::wrong) finding.console = console;
  return finding;
}

Finding fallback_method_finding(const IncomingNumber& number, const NumberExpectation& expected) {
  const std::string& now = number.voice_fallback_method;
  const std::string& url =
      expected.fallback_url.empty() ? number.voice_fallback_url : expected.fallback_url;
  Finding finding{"fallback_method", "Fallback method", Verdict::ok, now, {}, {}, {}};
  if (url.empty() || twiml_bin_url(url)) {
    // A TwiML Bin answers both; where the fallback will be is not known yet.
    finding.message = now.empty() ? "POST or GET" : now;
    return finding;
  }
  finding.expected = "GET";
  if (same_method(now, "GET")) {
    finding.message = now;
    return finding;
  }
  finding.verdict = Verdict::advice;
  finding.message =
      "a static web server answers POST with 405: set Fallback method to GET "
      "unless " +
      url + " takes POST (now " + now_text(now) + ")";
  finding.console = "\"Primary handler fails\": HTTP GET";
  return finding;
}

// One fallback URL serves one TwiML: say so when the workflows' rollback numbers differ.
std::optional<Finding> fallback_twiml_finding(const NumberExpectation& expected) {
  std::vector<std::string> numbers;
  for (const auto& w : expected.workflows) {
    if (!w.forward_to.empty()) numbers.push_back(w.forward_to + " (" + w.id + ")");
  }
  std::vector<std::string> distinct;
  for (const auto& w : expected.workflows) {
    if (!w.forward_to.empty() &&
        std::find(distinct.begin(), distinct.end(), w.forward_to) == distinct.end())
      distinct.push_back(w.forward_to);
  }
  if (distinct.size() < 2) return std::nullopt;
  const AnsweringWorkflow* chosen = fallback_workflow(expected);
  Finding finding{"fallback_twiml", "Fallback TwiML", Verdict::advice, {}, {}, {}, {}};
  finding.message = "the workflows answering this number roll back to different numbers (" +
                    fmt::format("{}", fmt::join(numbers, ", ")) +
                    "); the fallback serves one: " + chosen->id +
                    "'s unless another is staffed when voiceopsd may fail";
  return finding;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok: return "ok";
    case Verdict::wrong: return "wrong";
    case Verdict::advice: return "advice";
  }
  return "wrong";
}

bool NumberCheck::ok() const {
  return std::none_of(findings.begin(), findings.end(),
                      [](const Finding& f) { return f.verdict == Verdict::wrong; });
}

std::string voice_webhook_url(std::string_view public_url) {
  return std::string(public_url) + "/twilio/voice";
}

std::string status_callback_url(std::string_view public_url) {
  return std::string(public_url) + "/twilio/status";
}

bool same_url(std::string_view a, std::string_view b) {
  const auto x = split_url(a);
  const auto y = split_url(b);
  if (!x || !y) return a == b;
  return x->scheme == y->scheme && x->host == y->host && x->port == y->port && x->rest == y->rest;
}

bool same_host(std::string_view a, std::string_view b) {
  const auto x = split_url(a);
  const auto y = split_url(b);
  return x && y && x->host == y->host;
}

bool twiml_bin_url(std::string_view url) {
  const auto parts = split_url(url);
  return parts && parts->host == "handler.twilio.com";
}

std::vector<std::string> contract_numbers(const std::vector<calls::Workflow>& workflows) {
  std::vector<std::string> numbers;
  for (const auto& w : workflows) {
    for (const auto& number : w.contract->answers.numbers) {
      if (std::find(numbers.begin(), numbers.end(), number.value) == numbers.end())
        numbers.push_back(number.value);
    }
  }
  return numbers;
}

std::vector<AnsweringWorkflow> workflows_answering(const std::vector<calls::Workflow>& workflows,
                                                   const std::string& number) {
  std::vector<AnsweringWorkflow> found;
  for (const auto& w : workflows) {
    const contract::Contract& c = *w.contract;
    const auto& numbers = c.answers.numbers;
    if (std::none_of(numbers.begin(), numbers.end(),
                     [&](const contract::Text& n) { return n.value == number; }))
      continue;
    found.push_back({c.workflow.id.value, contract::to_string(c.answers.when.value),
                     c.rollback.forward_to.value, fallback_twiml(c).value_or("")});
  }
  return found;
}

const AnsweringWorkflow* fallback_workflow(const NumberExpectation& expected) {
  const AnsweringWorkflow* first = nullptr;
  for (const auto& w : expected.workflows) {
    if (w.fallback_twiml.empty()) continue;
    if (w.hours == "always") return &w;
    if (!first) first = &w;
  }
  return first;
}

NumberCheck check_number(const IncomingNumber& number, const NumberExpectation& expected) {
  NumberCheck check{number.phone_number, number.sid, number.friendly_name, {}};
  auto& findings = check.findings;
  findings.push_back(workflow_finding(number, expected));
  findings.push_back(application_finding(number));

  const std::string voice = voice_webhook_url(expected.public_url);
  findings.push_back(exact("voice_url", "Voice URL", number.voice_url, voice,
                           same_url(number.voice_url, voice),
                           "\"A call comes in\": Webhook, URL " + voice));
  findings.push_back(exact("voice_method", "Voice method", number.voice_method, "POST",
                           same_method(number.voice_method, "POST"),
                           "\"A call comes in\": HTTP POST"));
  findings.push_back(fallback_url_finding(number, expected));
  findings.push_back(fallback_method_finding(number, expected));
  if (auto twiml = fallback_twiml_finding(expected)) findings.push_back(std::move(*twiml));

  const std::string status = status_callback_url(expected.public_url);
  findings.push_back(exact("status_callback", "Status callback", number.status_callback, status,
                           same_url(number.status_callback, status),
                           "\"Call status changes\": URL " + status));
  findings.push_back(exact(
      "status_callback_method", "Status callback method", number.status_callback_method, "POST",
      same_method(number.status_callback_method, "POST"), "\"Call status changes\": HTTP POST"));
  return check;
}

}  // namespace voiceops::ops
