// The Odoo export's rules that need no Odoo: the backoff, the call record's external ID and row.
#include <catch2/catch.hpp>

#include "ops/call_record.hpp"
#include "ops/odoo_export.hpp"

using namespace voiceops;

TEST_CASE("backoff doubles from the first delay up to the cap, with up to half taken off") {
  ops::ExportPolicy policy;
  policy.first_delay = std::chrono::seconds(30);
  policy.max_delay = std::chrono::seconds(3600);
  CHECK(ops::backoff_seconds(1, policy, 0.0) == 30);
  CHECK(ops::backoff_seconds(2, policy, 0.0) == 60);
  CHECK(ops::backoff_seconds(5, policy, 0.0) == 480);
  CHECK(ops::backoff_seconds(30, policy, 0.0) == 3600);
  CHECK(ops::backoff_seconds(200, policy, 0.0) == 3600);  // no overflow
  CHECK(ops::backoff_seconds(2, policy, 0.5) == 45);
  CHECK(ops::backoff_seconds(2, policy, 0.999) >= 30);
  CHECK(ops::backoff_seconds(1, policy, 1.0) == 15);
}

TEST_CASE("a call's external ID is stable and safe") {
  CHECK(ops::call_external_id("CA0123abc") == "voiceops.call_CA0123abc");
  CHECK(ops::call_external_id("CA-1.2") == "voiceops.call_CA_1_2");
}

TEST_CASE("a call becomes a load row: its own columns, answers, and Ops line fields") {
  store::ExportCall call;
  call.call.id = "CA1";
  call.call.workflow = "ops-line";
  call.call.started_at = 1700000000;
  call.call.ended_at = 1700000095;
  call.call.duration_s = 95;
  call.call.intent = "am_pulse";
  call.call.outcome = "success";
  call.call.cost = 0.0412345;
  call.slots = R"({"energy_level":"4","blocker_flag":"no","commitment":"Call the Garcias by 10"})";
  call.records = R"({"res.partner":7})";
  std::set<std::string, std::less<>> present;
  for (const auto& field : ops::call_record_fields()) present.insert(std::string(field.name));
  present.erase("x_ticket_id");
  const auto columns = ops::load_columns(present);
  CHECK(columns.front() == "id");
  CHECK(std::find(columns.begin(), columns.end(), "x_partner_id/.id") != columns.end());
  CHECK(std::find(columns.begin(), columns.end(), "x_ticket_id/.id") == columns.end());
  const auto row = ops::load_row(call, columns);
  REQUIRE(row.size() == columns.size());
  const auto value = [&](std::string_view column) {
    const auto at = std::find(columns.begin(), columns.end(), column) - columns.begin();
    return row[static_cast<std::size_t>(at)].get<std::string>();
  };
  CHECK(value("id") == "voiceops.call_CA1");
  CHECK(value("x_started_at") == "2023-11-14 22:13:20");
  CHECK(value("x_call_type") == "am_pulse");  // no answer named call_type: the intent
  CHECK(value("x_energy_level") == "4");
  CHECK(value("x_blocker_flag") == "0");
  CHECK(value("x_duration") == "95");
  CHECK(value("x_completion_status") == "success");
  CHECK(value("x_cost") == "0.0412");
  CHECK(value("x_partner_id/.id") == "7");
  CHECK(value("x_answers") ==
        "blocker_flag: no\ncommitment: Call the Garcias by 10\nenergy_level: 4");
}

TEST_CASE("a stored call with unreadable answers still makes a row") {
  store::ExportCall call;
  call.call.id = "CA2";
  call.slots = "{not json";
  call.records = "[]";
  std::set<std::string, std::less<>> present = {"x_call_id", "x_answers", "x_energy_level"};
  const auto row = ops::load_row(call, ops::load_columns(present));
  CHECK(row.size() == 4);
}
