// `voiceops twilio check-number`'s rules: what a number of the carrier account must say for
// voiceopsd to answer its calls, and the exact value to set when it says something else; the
// [twilio] settings the REST client is made from.
#include <catch2/catch.hpp>

#include <algorithm>

#include "config/config.hpp"
#include "ops/carrier_settings.hpp"
#include "ops/fallback_twiml.hpp"
#include "ops/number_check.hpp"

using namespace voiceops;
using connectors::twilio::IncomingNumber;

namespace {

constexpr const char* public_url = "https://voice.example.com";
constexpr const char* bin_url =
    "https://handler.twilio.com/twiml/EH0123456789abcdef0123456789abcdef";
constexpr const char* account = "AC0123456789abcdef0123456789abcdef";

IncomingNumber set_up_number() {
  IncomingNumber number;
  number.sid = "PN0123456789abcdef0123456789abcdef";
  number.phone_number = "+15125550101";
  number.friendly_name = "(512) 555-0101";
  number.voice_url = "https://voice.example.com/twilio/voice";
  number.voice_method = "POST";
  number.voice_fallback_url = bin_url;
  number.voice_fallback_method = "POST";
  number.status_callback = "https://voice.example.com/twilio/status";
  number.status_callback_method = "POST";
  return number;
}

ops::AnsweringWorkflow after_hours() {
  return {"after-hours-service", "after_hours", "+15125550180",
          "<Response><Dial><Number>+15125550180</Number></Dial></Response>"};
}

ops::NumberExpectation expectation() {
  ops::NumberExpectation expected;
  expected.public_url = public_url;
  expected.workflows = {after_hours()};
  return expected;
}

const ops::Finding& finding(const ops::NumberCheck& check, const std::string& setting) {
  const auto found = std::find_if(check.findings.begin(), check.findings.end(),
                                  [&](const ops::Finding& f) { return f.setting == setting; });
  REQUIRE(found != check.findings.end());
  return *found;
}

std::vector<std::string> wrong_settings(const ops::NumberCheck& check) {
  std::vector<std::string> wrong;
  for (const auto& f : check.findings)
    if (f.verdict == ops::Verdict::wrong) wrong.push_back(f.setting);
  return wrong;
}

config::Config parsed(const std::string& text) {
  auto config = config::parse_config(text, "voiceops.toml");
  REQUIRE(config);
  return *config;
}

config::Environment environment_with(std::string name, std::string value) {
  return [name, value](std::string_view asked) -> std::optional<std::string> {
    if (asked == name) return value;
    return std::nullopt;
  };
}

}  // namespace

TEST_CASE("a number set up for voiceopsd passes every check, in the console's order") {
  const auto check = ops::check_number(set_up_number(), expectation());
  CHECK(check.ok());
  CHECK(wrong_settings(check).empty());
  std::vector<std::string> order;
  for (const auto& f : check.findings) order.push_back(f.setting);
  CHECK(order == std::vector<std::string>{"workflow", "configure_with", "voice_url", "voice_method",
                                          "fallback_url", "fallback_method", "status_callback",
                                          "status_callback_method"});
  CHECK(finding(check, "workflow").message == "after-hours-service (after_hours)");
  CHECK(check.phone_number == "+15125550101");
  CHECK(check.sid == "PN0123456789abcdef0123456789abcdef");
}

TEST_CASE("a wrong voice URL is named with the exact URL to set and where to click") {
  auto number = set_up_number();
  number.voice_url = "https://old.example.com/voice";
  const auto check = ops::check_number(number, expectation());
  CHECK_FALSE(check.ok());
  CHECK(wrong_settings(check) == std::vector<std::string>{"voice_url"});
  const auto& voice = finding(check, "voice_url");
  CHECK(voice.expected == "https://voice.example.com/twilio/voice");
  CHECK(voice.now == "https://old.example.com/voice");
  CHECK(voice.message ==
        "set Voice URL to https://voice.example.com/twilio/voice (now "
        "https://old.example.com/voice)");
  CHECK(voice.console ==
        "\"A call comes in\": Webhook, URL https://voice.example.com/twilio/voice");
}

TEST_CASE("URLs compare as the carrier requests them") {
  CHECK(ops::same_url("HTTPS://Voice.Example.COM:443/twilio/voice",
                      "https://voice.example.com/twilio/voice"));
  CHECK(ops::same_url("http://voice.example.com:80/x", "http://voice.example.com/x"));
  CHECK(ops::same_url("https://voice.example.com", "https://voice.example.com/"));
  CHECK_FALSE(ops::same_url("http://voice.example.com/twilio/voice",
                            "https://voice.example.com/twilio/voice"));
  CHECK_FALSE(ops::same_url("https://voice.example.com:8443/twilio/voice",
                            "https://voice.example.com/twilio/voice"));
  CHECK_FALSE(ops::same_url("https://voice.example.com/twilio/voice/",
                            "https://voice.example.com/twilio/voice"));
  CHECK_FALSE(ops::same_url("https://voice.example.com/Twilio/voice",
                            "https://voice.example.com/twilio/voice"));
  CHECK_FALSE(ops::same_url("https://voice.example.com/twilio/voice?x=1",
                            "https://voice.example.com/twilio/voice"));
  CHECK_FALSE(ops::same_url("", "https://voice.example.com/twilio/voice"));
  // The carrier's connection overrides ride in the fragment, which no server sees.
  CHECK(ops::same_url("https://voice.example.com/twilio/voice#rc=3&rt=5000",
                      "https://voice.example.com/twilio/voice"));
  CHECK(ops::same_host("https://VOICE.example.com:8443/a", "http://voice.example.com"));
  CHECK_FALSE(ops::same_host("https://fallback.example.com/a", "https://voice.example.com"));
  CHECK(ops::twiml_bin_url(bin_url));
  CHECK_FALSE(ops::twiml_bin_url("https://static.example.com/fallback.xml"));
}

TEST_CASE("a public URL with a path puts the webhooks under it") {
  CHECK(ops::voice_webhook_url("https://example.com/voiceops") ==
        "https://example.com/voiceops/twilio/voice");
  CHECK(ops::status_callback_url("https://example.com/voiceops") ==
        "https://example.com/voiceops/twilio/status");
}

TEST_CASE("the voice webhook and the status callback are POSTed") {
  auto number = set_up_number();
  number.voice_method = "GET";
  number.status_callback = "";
  number.status_callback_method = "get";
  const auto check = ops::check_number(number, expectation());
  CHECK(wrong_settings(check) ==
        std::vector<std::string>{"voice_method", "status_callback", "status_callback_method"});
  CHECK(finding(check, "voice_method").message == "set Voice method to POST (now GET)");
  CHECK(finding(check, "status_callback").message ==
        "set Status callback to https://voice.example.com/twilio/status (now empty)");
  CHECK(finding(check, "status_callback").console ==
        "\"Call status changes\": URL https://voice.example.com/twilio/status");
  CHECK(finding(check, "status_callback_method").console == "\"Call status changes\": HTTP POST");

  number = set_up_number();
  number.voice_method = "post";  // the method's case does not matter
  CHECK(ops::check_number(number, expectation()).ok());
}

TEST_CASE("a missing fallback points at the fallback TwiML of the workflow answering") {
  auto number = set_up_number();
  number.voice_fallback_url = "";
  const auto check = ops::check_number(number, expectation());
  CHECK(wrong_settings(check) == std::vector<std::string>{"fallback_url"});
  const auto& fallback = finding(check, "fallback_url");
  CHECK_THAT(fallback.message, Catch::Contains("voiceops rollback plan --fallback-twiml --workflow "
                                               "after-hours-service") &&
                                   Catch::Contains("(now empty"));
  CHECK_THAT(fallback.console, Catch::Contains("Create new TwiML Bin") &&
                                   Catch::Contains("\"Primary handler fails\""));
}

TEST_CASE("a fallback on voiceopsd's own server is wrong: it fails with the daemon") {
  auto number = set_up_number();
  number.voice_fallback_url = "https://VOICE.example.com:8443/fallback.xml";
  auto expected = expectation();
  const auto check = ops::check_number(number, expected);
  CHECK(wrong_settings(check) == std::vector<std::string>{"fallback_url"});
  CHECK_THAT(finding(check, "fallback_url").message, Catch::Contains("voiceopsd's own server"));

  // Even when [twilio] fallback_url says so.
  expected.fallback_url = "https://voice.example.com:8443/fallback.xml";
  CHECK_FALSE(ops::check_number(number, expected).ok());
}

TEST_CASE("with [twilio] fallback_url set, the number's fallback must be it") {
  auto expected = expectation();
  expected.fallback_url = bin_url;
  CHECK(ops::check_number(set_up_number(), expected).ok());

  auto number = set_up_number();
  number.voice_fallback_url = "https://handler.twilio.com/twiml/EHffffffffffffffffffffffffffffffff";
  const auto check = ops::check_number(number, expected);
  CHECK(wrong_settings(check) == std::vector<std::string>{"fallback_url"});
  CHECK(finding(check, "fallback_url").expected == bin_url);
  CHECK_THAT(finding(check, "fallback_url").message,
             Catch::StartsWith(std::string("set Fallback URL to ") + bin_url + " (now "));
  CHECK(finding(check, "fallback_url").console ==
        std::string("\"Primary handler fails\": URL ") + bin_url);
}

TEST_CASE("the fallback's method: a TwiML Bin takes either, a static server wants GET") {
  auto number = set_up_number();
  number.voice_fallback_method = "GET";
  CHECK(finding(ops::check_number(number, expectation()), "fallback_method").verdict ==
        ops::Verdict::ok);

  number.voice_fallback_url = "https://static.example.net/fallback.xml";
  number.voice_fallback_method = "POST";
  const auto check = ops::check_number(number, expectation());
  CHECK(finding(check, "fallback_method").verdict == ops::Verdict::advice);
  CHECK(finding(check, "fallback_method").expected == "GET");
  CHECK(check.ok());  // advice does not fail the check

  number.voice_fallback_method = "GET";
  CHECK(finding(ops::check_number(number, expectation()), "fallback_method").verdict ==
        ops::Verdict::ok);
}

TEST_CASE("a number sent to a TwiML App ignores its own URLs") {
  auto number = set_up_number();
  number.voice_application_sid = "AP0123456789abcdef0123456789abcdef";
  const auto check = ops::check_number(number, expectation());
  CHECK(wrong_settings(check) == std::vector<std::string>{"configure_with"});
  const auto& application = finding(check, "configure_with");
  CHECK_THAT(application.message, Catch::Contains("TwiML App AP0123456789abcdef0123456789abcdef"));
  CHECK_THAT(application.console, Catch::Contains("Configure with"));
}

TEST_CASE("a number no loaded contract answers would only hear an apology") {
  auto expected = expectation();
  expected.workflows.clear();
  const auto check = ops::check_number(set_up_number(), expected);
  CHECK(wrong_settings(check) == std::vector<std::string>{"workflow"});
  CHECK_THAT(finding(check, "workflow").message, Catch::Contains("[answers] numbers"));

  expected.contracts_loaded = false;  // not known: no verdict
  const auto unknown = ops::check_number(set_up_number(), expected);
  CHECK(unknown.ok());
  CHECK(finding(unknown, "workflow").verdict == ops::Verdict::advice);
}

TEST_CASE("workflows of one number rolling back to different numbers get a word of advice") {
  auto expected = expectation();
  expected.workflows.push_back({"missed-call-booking", "business_hours", "+15125550199",
                                "<Response><Dial><Number>+15125550199</Number></Dial></Response>"});
  const auto check = ops::check_number(set_up_number(), expected);
  CHECK(check.ok());
  const auto& twiml = finding(check, "fallback_twiml");
  CHECK(twiml.verdict == ops::Verdict::advice);
  CHECK_THAT(twiml.message, Catch::Contains("+15125550180") && Catch::Contains("+15125550199"));
  REQUIRE(ops::fallback_workflow(expected));
  CHECK(ops::fallback_workflow(expected)->id == "after-hours-service");

  // One answering always is the one whose TwiML the fallback serves.
  expected.workflows.push_back({"ops-line", "always", "+15125550121", "<Response/>"});
  CHECK(ops::fallback_workflow(expected)->id == "ops-line");
}

TEST_CASE("the fallback TwiML dials the contract's rollback number") {
  contract::Contract c;
  CHECK_FALSE(ops::fallback_twiml(c));
  c.rollback.forward_to.value = "+15125550180";
  const auto twiml = ops::fallback_twiml(c);
  REQUIRE(twiml);
  CHECK_THAT(*twiml, Catch::Contains("<Dial>") && Catch::Contains("<Number>+15125550180</Number>"));
}

TEST_CASE("the REST settings come from [twilio], the secret from its file or the environment") {
  const auto none = ops::twilio_rest_settings(parsed("[server]\n"), environment_with("X", "y"));
  REQUIRE_FALSE(none);
  CHECK(none.error().kind == connectors::twilio::ErrorKind::config);
  CHECK_THAT(none.error().message, Catch::Contains("[twilio] account_sid is not set"));
  CHECK(ops::rest_exit_status(none.error()) == ExitStatus::config);

  const auto config = parsed(std::string("[twilio]\naccount_sid = \"") + account +
                             "\"\napi_url = \"http://127.0.0.1:9/\"\ntimeout_ms = 2000\n");
  const auto no_secret = ops::twilio_rest_settings(config, environment_with("X", "y"));
  REQUIRE_FALSE(no_secret);
  CHECK_THAT(no_secret.error().message, Catch::Contains("TWILIO_AUTH_TOKEN"));

  const auto settings =
      ops::twilio_rest_settings(config, environment_with("TWILIO_AUTH_TOKEN", "token-1"));
  REQUIRE(settings);
  CHECK(settings->account_sid == account);
  CHECK(settings->api_url == "http://127.0.0.1:9");
  CHECK(settings->secret == "token-1");
  CHECK(settings->key_sid.empty());
  CHECK(settings->timeout == std::chrono::milliseconds(2000));
  CHECK(settings->connect_timeout <= settings->timeout);

  const auto keyed = parsed(std::string("[twilio]\naccount_sid = \"") + account +
                            "\"\napi_key_sid = \"SK0123456789abcdef0123456789abcdef\"\n");
  CHECK_FALSE(ops::twilio_rest_settings(keyed, environment_with("TWILIO_AUTH_TOKEN", "t")));
  const auto with_key =
      ops::twilio_rest_settings(keyed, environment_with("TWILIO_API_KEY_SECRET", "key-secret"));
  REQUIRE(with_key);
  CHECK(with_key->key_sid == "SK0123456789abcdef0123456789abcdef");
  CHECK(with_key->secret == "key-secret");
}

TEST_CASE("[twilio] fallback_url is read as a URL") {
  CHECK(parsed(std::string("[twilio]\nfallback_url = \"") + bin_url + "\"\n").twilio.fallback_url ==
        bin_url);
  CHECK_FALSE(
      config::parse_config("[twilio]\nfallback_url = \"handler.twilio.com/x\"\n", "t.toml"));
}

TEST_CASE("a REST failure's exit status") {
  using connectors::twilio::ErrorKind;
  const auto status = [](ErrorKind kind) {
    connectors::twilio::Error error;
    error.kind = kind;
    return ops::rest_exit_status(error);
  };
  CHECK(status(ErrorKind::auth) == ExitStatus::permission);
  CHECK(status(ErrorKind::unreachable) == ExitStatus::unavailable);
  CHECK(status(ErrorKind::timeout) == ExitStatus::unavailable);
  CHECK(status(ErrorKind::server) == ExitStatus::unavailable);
  CHECK(status(ErrorKind::malformed) == ExitStatus::unavailable);
  CHECK(status(ErrorKind::rejected) == ExitStatus::data_error);
  CHECK(status(ErrorKind::config) == ExitStatus::config);
}
