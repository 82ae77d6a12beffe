// A staff member's acceptance of a screened transfer, kept in the SQLite store with the caller's
// call: committed before the two are put through, read back by the transfer's result, and still
// there after the daemon restarts.
#include <date/date.h>
#include <catch2/catch.hpp>

#include <memory>

#include "carrier/webhooks.hpp"
#include "contract/check.hpp"
#include "store/call_store.hpp"
#include "support/call_fakes.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;

namespace {

// A store's answer that must be there: true or false.
bool yes(const Result<bool, std::string>& answer) {
  REQUIRE(answer);
  return *answer;
}

// The webhooks over a CallStore at `db`, as the daemon builds them; recreate to "restart".
struct Daemonish {
  std::unique_ptr<store::CallStore> store;
  testing::OkTools tools;
  testing::NoMessages messages;
  std::unique_ptr<carrier::Webhooks> service;

  explicit Daemonish(const std::string& db) {
    auto opened = store::CallStore::open(db);
    REQUIRE(opened);
    store = std::move(*opened);
    auto checked = contract::check_contract_file(
        testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml", false);
    REQUIRE(checked.contract);
    carrier::WebhookOptions options;
    options.public_url = testing::test_public_url;
    options.auth_token = testing::test_auth_token;
    options.clock = [] {
      return std::chrono::sys_seconds{
          date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() + std::chrono::hours{3}};
    };
    service = std::make_unique<carrier::Webhooks>(
        std::vector<calls::Workflow>{
            {std::make_shared<contract::Contract>(*checked.contract), nullptr}},
        *store, tools, messages, options);
  }

  carrier::HttpResponse post(const std::string& path, const carrier::FormParams& params) {
    return service->handle(testing::carrier_post(path, params));
  }

  // A caller who asks for a person: the minimal contract transfers them to on_call.
  std::string transferred(const std::string& sid) {
    post("/twilio/voice", {{"CallSid", sid}, {"From", "+15125550142"}, {"To", "+15125550100"}});
    return post("/twilio/gather",
                {{"CallSid", sid}, {"SpeechResult", "can I talk to a real person please"}})
        .body;
  }
};

}  // namespace

TEST_CASE("an acceptance is kept on the call, and counts after a restart", "[store][screen]") {
  testing::TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  {
    Daemonish d(db);
    const std::string dialling = d.transferred("CA1");
    REQUIRE(dialling.find("/twilio/screen?destination=on_call") != std::string::npos);
    CHECK(d.post("/twilio/screen-answer?destination=on_call",
                 {{"CallSid", "CALEG1"}, {"ParentCallSid", "CA1"}, {"Digits", "1"}})
              .body == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response/>\n");
  }
  Daemonish d(db);  // restarted between the key press and the transfer's result
  CHECK(yes(d.store->transfer_accepted("CA1", "CALEG1")));
  CHECK(yes(d.store->transfer_accepted("CA1", "")));
  CHECK_FALSE(yes(d.store->transfer_accepted("CA1", "CALEG2")));
  CHECK_FALSE(yes(d.store->transfer_accepted("CA2", "")));
  auto shown = d.store->show_call("CA1");
  REQUIRE(shown);
  REQUIRE(*shown);
  bool listed = false;
  for (const auto& event : (*shown)->events)
    listed = listed || (event.kind == "transfer_accepted" && event.detail == "CALEG1");
  CHECK(listed);  // `voiceops calls show` lists it

  d.post("/twilio/dial",
         {{"CallSid", "CA1"}, {"DialCallStatus", "completed"}, {"DialCallSid", "CALEG1"}});
  auto state = d.service->calls().call_state("CA1");
  REQUIRE(state);
  CHECK(state->transfer_result == "completed");
  CHECK(state->outcome == engine::Outcome::escalated);
}

TEST_CASE("an answered transfer nobody took is recorded as not accepted", "[store][screen]") {
  testing::TempDir dir;
  Daemonish d((dir.path / "voiceops.db").string());
  d.transferred("CA1");
  const std::string after =
      d.post("/twilio/dial",
             {{"CallSid", "CA1"}, {"DialCallStatus", "completed"}, {"DialCallSid", "CALEG1"}})
          .body;
  CHECK(after.find("reach them just now, so I&apos;ve sent them your details") !=
        std::string::npos);
  auto state = d.service->calls().call_state("CA1");
  REQUIRE(state);
  CHECK(state->transfer_result == "not-accepted");
  auto rows = d.store->list_calls({});
  REQUIRE(rows);
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().summary.find("(not accepted)") != std::string::npos);
}

TEST_CASE("an acceptance for a call the store never saw is refused, not invented",
          "[store][screen]") {
  testing::TempDir dir;
  Daemonish d((dir.path / "voiceops.db").string());
  CHECK_FALSE(d.store->accept_transfer({"CAnobody", "CALEG1", 1'800'000'000}));
  CHECK_FALSE(yes(d.store->transfer_accepted("CAnobody", "")));
  d.transferred("CA1");
  CHECK(d.store->accept_transfer({"CA1", "CALEG1", 1'800'000'000}));
  CHECK(yes(d.store->transfer_accepted("CA1", "CALEG1")));
}
