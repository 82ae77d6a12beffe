// The webhook handlers as the carrier sees them: signatures, bad requests, TwiML answers.
#include <catch2/catch.hpp>

#include <date/date.h>

#include <memory>

#include "carrier/signature.hpp"
#include "carrier/webhooks.hpp"
#include "contract/check.hpp"
#include "support/corpus.hpp"
#include "support/call_fakes.hpp"

using namespace voiceops;

namespace {

struct Fixture {
  contract::CheckedContract checked = contract::check_contract_file(
      testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml", false);
  calls::MemorySessionStore sessions;
  testing::OkTools tools;
  testing::NoMessages messages;
  std::unique_ptr<carrier::Webhooks> service;

  Fixture() {
    carrier::WebhookOptions options;
    options.public_url = "https://voice.example.com";
    options.auth_token = "secret";
    options.clock = [] {
      return std::chrono::sys_seconds{
          date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() + std::chrono::hours{3}};
    };
    auto contract = std::make_shared<contract::Contract>(*checked.contract);
    service = std::make_unique<carrier::Webhooks>(std::vector<calls::Workflow>{{contract, nullptr}},
                                                  sessions, tools, messages, options);
  }

  carrier::HttpResponse post(const std::string& path, const carrier::FormParams& params,
                             bool sign = true) {
    return service->handle(testing::carrier_post(path, params, sign));
  }
};

}  // namespace

TEST_CASE("a signed call gets TwiML that gathers speech", "[service]") {
  Fixture f;
  auto r = f.post("/twilio/voice",
                  {{"CallSid", "CA1"}, {"From", "+15125550142"}, {"To", "+15125550100"}});
  CHECK(r.status == 200);
  CHECK(r.content_type.find("xml") != std::string::npos);
  CHECK(r.body.find("<Gather") != std::string::npos);
  CHECK(r.body.find("action=\"/twilio/gather\"") != std::string::npos);
  auto next = f.post(
      "/twilio/gather",
      {{"CallSid", "CA1"}, {"SpeechResult", "can someone call me back"}, {"Confidence", "0.9"}});
  CHECK(next.status == 200);
  CHECK(next.body.find("What is your name?") != std::string::npos);
}

TEST_CASE("forged, malformed and misrouted requests are refused", "[service]") {
  Fixture f;
  CHECK(f.post("/twilio/voice", {{"CallSid", "CA1"}, {"To", "+15125550100"}}, false).status == 403);
  carrier::HttpRequest tampered;
  tampered.target = "/twilio/voice";
  tampered.body = "CallSid=CA1&To=%2B15125550100";
  const carrier::FormParams signed_params = {{"CallSid", "CA2"}, {"To", "+15125550100"}};
  tampered.headers.push_back(
      {"X-Twilio-Signature",
       carrier::compute_signature("secret", "https://voice.example.com/twilio/voice",
                                  signed_params)});
  CHECK(f.service->handle(tampered).status == 403);
  carrier::HttpRequest garbage;
  garbage.target = "/twilio/voice";
  garbage.body = "CallSid=%zz";
  CHECK(f.service->handle(garbage).status == 400);
  carrier::HttpRequest get;
  get.method = "GET";
  get.target = "/twilio/voice";
  CHECK(f.service->handle(get).status == 405);
  carrier::HttpRequest elsewhere;
  elsewhere.target = "/admin";
  CHECK(f.service->handle(elsewhere).status == 404);
}

TEST_CASE("an unknown CallSid on the gather endpoint gets a graceful answer", "[service]") {
  Fixture f;
  auto r = f.post("/twilio/gather", {{"CallSid", "CAunknown"}, {"SpeechResult", "hello"}});
  CHECK(r.status == 200);
  CHECK(r.body.find("<Say>") != std::string::npos);
  CHECK(r.body.find("<Hangup/>") != std::string::npos);
}

TEST_CASE("a number with no workflow is answered politely, never with an error", "[service]") {
  Fixture f;
  auto r = f.post("/twilio/voice",
                  {{"CallSid", "CA9"}, {"From", "+15125550142"}, {"To", "+15125550999"}});
  CHECK(r.status == 200);
  CHECK(r.body.find("<Say>") != std::string::npos);
}

TEST_CASE("repeated and late status callbacks are harmless", "[service]") {
  Fixture f;
  f.post("/twilio/voice", {{"CallSid", "CA1"}, {"From", "+15125550142"}, {"To", "+15125550100"}});
  for (int i = 0; i < 3; ++i) {
    CHECK(f.post("/twilio/status", {{"CallSid", "CA1"}, {"CallStatus", "completed"}}).status ==
          200);
  }
  auto state = f.service->calls().call_state("CA1");
  REQUIRE(state);
  CHECK(state->outcome == engine::Outcome::abandoned);
  CHECK(f.post("/twilio/gather", {{"CallSid", "CA1"}, {"SpeechResult", "hello"}}).status == 200);
}
