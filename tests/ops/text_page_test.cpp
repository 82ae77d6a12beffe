// The in-call text page (ops/text_page.hpp): its body filled from the call, and a page that cannot
// be sent at all (texts not set up, settings refused) failing at once, kept as a dead page.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "base/time_spec.hpp"
#include "contract/check.hpp"
#include "ops/text_page.hpp"
#include "support/corpus.hpp"

using namespace voiceops;

namespace {

engine::CallState call_state() {
  engine::CallState call;
  call.call_id = "CA0123456789abcdef0123456789abcdef";
  call.workflow = "after-hours-service";
  call.from = "+15125550142";
  call.to = "+15125550100";
  call.intent = "no_heat";
  call.turns = 7;
  call.slots["callback_number"] = {"+15125550199", true, "ask_safety_callback"};
  call.slots["caller_name"] = {"Maria Lopez", true, ""};
  return call;
}

contract::ToolCallMapping mapping_with(const std::string& body) {
  contract::ToolCallMapping mapping;
  mapping.call = "sms.page_oncall";
  mapping.operation.value = "text";
  mapping.to.value = "oncall_sms";
  mapping.body.value = body;
  return mapping;
}

// Records what the page keeps.
struct Kept final : store::MessageQueue {
  std::vector<store::NewMessage> added;
  std::vector<store::MessageOutcome> recorded;
  Result<std::vector<store::MessageItem>, std::string> due_messages(std::int64_t, int,
                                                                    std::int64_t) override {
    return std::vector<store::MessageItem>{};
  }
  Result<bool, std::string> record_messages(const std::vector<store::MessageOutcome>& outcomes,
                                            std::int64_t) override {
    recorded.insert(recorded.end(), outcomes.begin(), outcomes.end());
    return true;
  }
  Result<std::int64_t, std::string> add_message(const store::NewMessage& message,
                                                std::int64_t) override {
    added.push_back(message);
    return static_cast<std::int64_t>(added.size());
  }
  Result<std::optional<store::MessageItem>, std::string> record_delivery(
      const store::DeliveryReport&) override {
    return std::optional<store::MessageItem>();
  }
  Result<std::optional<store::MessageItem>, std::string> sent_page(const std::string&, std::int64_t,
                                                                   const std::string&,
                                                                   const std::string&) override {
    return std::optional<store::MessageItem>();
  }
};

}  // namespace

TEST_CASE("text page body: the callback number, the summary and the caller filled in",
          "[ops][text-page]") {
  const engine::CallState call = call_state();
  CHECK(ops::text_page_body(
            mapping_with(
                "URGENT safety call, transfer not answered. Call {callback_number} now. {summary}"),
            call, "No heat; elderly occupant.", 0) ==
        "URGENT safety call, transfer not answered. Call +15125550199 now. No heat; elderly "
        "occupant.");
  CHECK(ops::text_page_body(mapping_with("From {caller} to {called}: {caller_name}"), call, "",
                            0) == "From +15125550142 to +15125550100: Maria Lopez");
  CHECK(ops::text_page_body(mapping_with("{workflow}/{intent}/{call_id}"), call, "", 0) ==
        "after-hours-service/no_heat/CA0123456789abcdef0123456789abcdef");
  // A question not answered is left blank; text without placeholders is kept as written.
  CHECK(ops::text_page_body(mapping_with("Address: {service_address}."), call, "", 0) ==
        "Address: .");
  CHECK(ops::text_page_body(mapping_with("Call the caller now"), call, "x", 0) ==
        "Call the caller now");
  CHECK(ops::text_page_body(mapping_with("unclosed {callback_number"), call, "", 0) ==
        "unclosed {callback_number");
  CHECK(ops::text_page_body(mapping_with(""), call, "summary", 0) == "");
  // Times are the call's start and now, in UTC.
  CHECK(ops::text_page_body(mapping_with("at {now}"), call, "", 1796515200) ==
        "at " + format_utc(1796515200));
}

TEST_CASE("text page: with texts not set up the page fails at once, kept as a dead page",
          "[ops][text-page]") {
  auto checked = contract::check_contract_file(
      testing::source_dir() + "/contracts/after-hours-service.toml", false);
  REQUIRE(checked.contract);
  const contract::Contract& contract = *checked.contract;
  const contract::ToolCallMapping* mapping = contract.tool_call("sms.page_oncall");
  REQUIRE(mapping);
  const engine::CallState call = call_state();
  const std::string summary = "No heat; elderly occupant.";
  ops::TextPageRequest request{contract,  *mapping, call, summary, std::chrono::milliseconds(5000),
                               1796515200};
  Kept kept;
  std::string store_error;
  const engine::ToolResult result = ops::send_text_page(request, nullptr, {}, kept, store_error);
  CHECK(result.status == engine::ToolStatus::error);
  REQUIRE(kept.added.size() == 1);
  const store::NewMessage& page = kept.added[0];
  CHECK(page.call_id == call.call_id);
  CHECK(page.turn == call.turns);
  CHECK(page.purpose == "page");
  CHECK(page.kind == "sms");
  CHECK(page.destination == "oncall_sms");
  CHECK(page.address == "+15125550150");
  CHECK(page.sender == call.to);
  CHECK(page.state == "dead");
  CHECK(page.body == ops::text_page_body(*mapping, call, summary, 1796515200));
  CHECK(page.body.find("+15125550199") != std::string::npos);
  CHECK(page.last_error.value_or("").find("not set up") != std::string::npos);
  CHECK(kept.recorded.empty());

  // Settings the client refuses (no account SID): the same, with the reason.
  connectors::twilio::RestSettings settings;
  settings.secret = "token";
  Kept refused;
  const engine::ToolResult bad = ops::send_text_page(request, &settings, {}, refused, store_error);
  CHECK(bad.status == engine::ToolStatus::error);
  REQUIRE(refused.added.size() == 1);
  CHECK(refused.added[0].state == "dead");
  CHECK(refused.added[0].last_error.value_or("").find("account_sid") != std::string::npos);
}
