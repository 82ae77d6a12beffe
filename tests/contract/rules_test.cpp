// Rule details the fixture corpus does not pin down: message and hint wording, helpers.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "contract/check.hpp"
#include "contract/parse.hpp"
#include "contract/promises.hpp"
#include "contract/validate.hpp"
#include "support/corpus.hpp"

using namespace voiceops;
using namespace voiceops::contract;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string minimal() {
  return read(testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml");
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const Diagnostic* find_rule(const CheckedContract& checked, const std::string& rule) {
  for (const auto& d : checked.diagnostics.all()) {
    if (d.rule == rule) return &d;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("E.164 numbers", "[contract][rules]") {
  CHECK(is_e164("+15125550100"));
  CHECK(is_e164("+447700900123"));
  CHECK_FALSE(is_e164("+1512555010"));  // NANP needs ten digits after the 1
  CHECK_FALSE(is_e164("15125550100"));
  CHECK_FALSE(is_e164("+1 512 555 0100"));
  CHECK_FALSE(is_e164("+05125550100"));
  CHECK_FALSE(is_e164("+1234567890123456"));
  CHECK_FALSE(is_e164("+"));
}

TEST_CASE("immediate promises are recognised in any case", "[contract][rules]") {
  CHECK(promises_immediate_contact("I'll have someone call you RIGHT AWAY."));
  CHECK(promises_immediate_contact("Let me connect you now."));
  CHECK(promises_immediate_contact("A technician will call within 15 minutes."));
  CHECK_FALSE(
      promises_immediate_contact("Someone will call you back after 7:30 tomorrow morning."));
  CHECK_FALSE(promises_immediate_contact("I can get someone to help."));
}

TEST_CASE("promises of contact soon are read by meaning, not by a phrase list",
          "[contract][rules]") {
  for (const char* soon :
       {"Our technician will call you back as soon as possible.",
        "Someone will be in touch shortly.", "We'll get back to you within the hour.",
        "A dispatcher will text you in 30 minutes.", "The office will call you tonight.",
        "I'll have them call you right back.", "Our team will reach out to you ASAP.",
        "They'll return your call in about ten minutes."}) {
    INFO(soon);
    CHECK(soon_contact_promise(soon));
  }
  for (const char* not_soon :
       {"Our office will call you back after 7:30 on our next business morning.",
        "If you smell gas tonight, leave the house and call 911.",
        "We can't call you back tonight, but the office opens at 7:30.",
        "I've written down your details."}) {
    INFO(not_soon);
    CHECK_FALSE(soon_contact_promise(not_soon));
  }
  CHECK(tomorrow_contact_promise("Someone will call you tomorrow morning."));
  CHECK_FALSE(tomorrow_contact_promise("Call 911 if anyone feels sick."));
}

TEST_CASE("an unknown key says which key was meant", "[contract][rules]") {
  auto text = replace_once(minimal(), "success_event", "sucess_event");
  auto checked = check_contract_text(text, "typo.toml", false);
  const Diagnostic* d = find_rule(checked, "unknown-key");
  REQUIRE(d);
  CHECK(d->message == "unknown key 'workflow.sucess_event'");
  CHECK(d->hint == "did you mean 'success_event'?");
  CHECK(checked.status == ExitStatus::check_failed);
}

TEST_CASE("a bad enum value suggests the closest allowed value", "[contract][rules]") {
  auto text = replace_once(minimal(), "when = \"after_hours\"", "when = \"afterhours\"");
  auto checked = check_contract_text(text, "enum.toml", false);
  const Diagnostic* d = find_rule(checked, "bad-value");
  REQUIRE(d);
  CHECK(d->hint == "did you mean \"after_hours\"?");
}

TEST_CASE("a number that is almost E.164 gets the corrected form as a hint", "[contract][rules]") {
  std::smatch match;
  std::string text = minimal();
  REQUIRE(std::regex_search(text, match, std::regex("forward_to = \"\\+1(\\d{10})\"")));
  const std::string digits = match[1];
  text = replace_once(text, "forward_to = \"+1" + digits + "\"",
                      "forward_to = \"(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" +
                          digits.substr(6) + "\"");
  auto checked = check_contract_text(text, "e164.toml", false);
  const Diagnostic* d = find_rule(checked, "not-e164");
  REQUIRE(d);
  CHECK(d->hint.find("\"+1" + digits + "\"") != std::string::npos);
}

TEST_CASE("strict mode turns warnings into a failed check", "[contract][rules]") {
  auto text = minimal() +
              "\n[questions.unused_question]\ntype = \"text\"\nprompt = \"Anything else?\"\n"
              "reprompt = \"Anything else at all?\"\n";
  auto lenient = check_contract_text(text, "warn.toml", false);
  auto strict = check_contract_text(text, "warn.toml", true);
  REQUIRE(find_rule(lenient, "question-never-asked"));
  CHECK(lenient.diagnostics.error_count() == 0);
  CHECK(lenient.status == ExitStatus::ok);
  CHECK(strict.status == ExitStatus::check_failed);
}

TEST_CASE("a contract for a newer schema stops at the version", "[contract][rules]") {
  auto text = replace_once(minimal(), "schema_version = 1", "schema_version = 7");
  auto checked = check_contract_text(text, "newer.toml", false);
  REQUIRE(checked.diagnostics.all().size() == 1);
  CHECK(checked.diagnostics.all()[0].rule == "schema-newer");
  CHECK(checked.status == ExitStatus::data_error);
}

TEST_CASE("keys nested absurdly deep are refused before parsing", "[contract][rules]") {
  std::string key = "a";
  for (int i = 0; i < 100000; ++i) key += ".a";
  for (const std::string& text : {key + " = 1\n", "[" + key + "]\n"}) {
    auto checked = check_contract_text(text, "deep.toml", false);
    REQUIRE(checked.diagnostics.all().size() == 1);
    CHECK(checked.diagnostics.all()[0].rule == "parse-error");
    CHECK(checked.status == ExitStatus::data_error);
  }
  // Dots inside strings and comments are not keys.
  std::string dots(500, '.');
  auto fine = check_contract_text("# " + dots + "\nx = \"" + dots + "\"\n", "dots.toml", false);
  for (const auto& d : fine.diagnostics.all()) CHECK(d.rule != "parse-error");
}

TEST_CASE("a 50 MB file is refused without parsing it", "[contract][rules]") {
  const std::string path = std::filesystem::temp_directory_path() / "voiceops-50mb.toml";
  {
    std::ofstream out(path, std::ios::binary);
    std::string chunk(1 << 20, '#');
    for (int i = 0; i < 50; ++i) out << chunk;
  }
  auto checked = check_contract_file(path, false);
  std::filesystem::remove(path);
  REQUIRE(checked.diagnostics.all().size() == 1);
  CHECK(checked.diagnostics.all()[0].rule == "too-large");
  CHECK(checked.status == ExitStatus::data_error);
}

TEST_CASE("call length counts prompts at 150 words a minute plus answer time",
          "[contract][rules]") {
  const std::string path =
      testing::source_dir() + "/tests/contract/fixtures/valid/minimal-internal.toml";
  auto checked = check_contract_file(path, true);
  REQUIRE(checked.contract);
  for (const Intent& intent : checked.contract->intents) {
    const auto estimate = estimate_call_length(*checked.contract, intent);
    INFO(intent.id);
    CHECK(estimate.reaches_success);
    CHECK(estimate.seconds() == Approx(estimate.words * 0.4 + estimate.answer_seconds));
    CHECK(estimate.seconds() >= 60);
    CHECK(estimate.seconds() <= 180);
  }
}

TEST_CASE("validation survives a flow with a thousand-step chain", "[contract][rules]") {
  std::string text = minimal();
  std::string steps;
  for (int i = 0; i < 999; ++i) {
    steps += "[steps.chain_" + std::to_string(i) + "]\nsay = \"step\"\nnext = \"chain_" +
             std::to_string(i + 1) + "\"\n";
  }
  steps += "[steps.chain_999]\nend = \"success\"\n";
  auto checked = check_contract_text(text + "\n" + steps, "chain.toml", false);
  // Too many steps is reported once, and nothing crashes on the way.
  CHECK(find_rule(checked, "bad-value") != nullptr);
}

TEST_CASE("non-ASCII text outside strings is refused before the TOML parser sees it",
          "[contract][rules]") {
  // toml++ 3.3 reaches an unreachable branch on such characters (found by the fuzzer).
  auto bare = check_contract_text("schema_version = 1\nkind = \xd0\xbcx\n", "bare.toml", false);
  REQUIRE(bare.diagnostics.all().size() == 1);
  CHECK(bare.diagnostics.all()[0].rule == "parse-error");
  CHECK(bare.diagnostics.all()[0].where.line == 2);
  CHECK(bare.diagnostics.all()[0].where.column == 8);
  CHECK(bare.status == ExitStatus::data_error);
  // In strings and comments it is ordinary text.
  auto quoted = check_contract_text("# caf\xc3\xa9\nschema_version = 1\nname = \"Jos\xc3\xa9\"\n",
                                    "q.toml", false);
  for (const auto& d : quoted.diagnostics.all()) CHECK(d.rule != "parse-error");
}

TEST_CASE("booking mappings: their keys, their windows and the questions they name",
          "[contract][rules][tool_calls]") {
  const std::string file = testing::source_dir() + "/contracts/missed-call-booking.toml";
  const std::string shipped = read(file);
  const auto check = [&](const std::string& from, const std::string& to) {
    return check_contract_text(replace_once(shipped, from, to), file, false);
  };
  const std::string availability = R"([tool_calls."calendar.availability.check"]
operation = "availability")";

  // Every answer to the window's question needs its hours.
  auto checked = check(R"(windows = { morning = "08:00-12:00", afternoon = "12:00-17:00" }
capacity = 3
days = ["monday", "tuesday", "wednesday", "thursday", "friday"]
domain = [["name", "=like", "Visit: %"]]

[tool_calls."calendar.visit.book"])",
                       R"(windows = { morning = "08:00-12:00" }
capacity = 3
days = ["monday", "tuesday", "wednesday", "thursday", "friday"]
domain = [["name", "=like", "Visit: %"]]

[tool_calls."calendar.visit.book"])");
  const Diagnostic* d = find_rule(checked, "bad-value");
  REQUIRE(d);
  CHECK(d->message.find("no hours for 'afternoon'") != std::string::npos);

  // A window that is not a range, a day that is not one, a capacity under 1.
  checked = check(R"(capacity = 3
days = ["monday", "tuesday", "wednesday", "thursday", "friday"]
domain = [["name", "=like", "Visit: %"]]

[tool_calls."calendar.visit.book"])",
                  R"(capacity = 0
days = ["monday", "tuesday", "funday"]
domain = [["name", "=like", "Visit: %"]]

[tool_calls."calendar.visit.book"])");
  CHECK(checked.status != ExitStatus::ok);
  bool day_named = false, capacity_named = false;
  for (const auto& diagnostic : checked.diagnostics.all()) {
    day_named |= diagnostic.message.find("'funday' is not a day of the week") != std::string::npos;
    capacity_named |= diagnostic.message.find("capacity") != std::string::npos;
  }
  CHECK(day_named);
  CHECK(capacity_named);

  checked = check(R"(windows = { morning = "08:00-12:00", afternoon = "12:00-17:00" }
capacity = 3)",
                  R"(windows = { morning = "12:00-08:00", afternoon = "noon" }
capacity = 3)");
  int bad_windows = 0;
  for (const auto& diagnostic : checked.diagnostics.all())
    bad_windows += diagnostic.message.find("is not a window of the day") != std::string::npos;
  CHECK(bad_windows == 2);

  // The day must come from a datetime question; keys of other operations are refused.
  checked = check(availability + R"(
model = "calendar.event"
day = "{preferred_date}")",
                  availability + R"(
model = "calendar.event"
day = "{caller_name}")");
  d = find_rule(checked, "bad-value");
  REQUIRE(d);
  CHECK(d->message.find("'{caller_name}', which is not a datetime question") != std::string::npos);
  checked = check(R"(operation = "update"
model = "calendar.event"
values = { active = "false" })",
                  R"(operation = "update"
model = "calendar.event"
capacity = 2
values = { active = "false" })");
  d = find_rule(checked, "bad-value");
  REQUIRE(d);
  CHECK(d->message.find("has capacity, which operation 'update' does not use") !=
        std::string::npos);

  // A move needs a record of its model that some mapping finds or makes.
  checked =
      check_contract_text(replace_once(replace_once(shipped, R"([tool_calls."calendar.visit.find"]
operation = "find"
model = "calendar.event")",
                                                    R"([tool_calls."calendar.visit.find"]
operation = "find"
model = "res.partner")"),
                                       R"([tool_calls."calendar.visit.book"]
operation = "book"
model = "calendar.event")",
                                       R"([tool_calls."calendar.visit.book"]
operation = "book"
model = "project.task")"),
                          file, false);
  d = find_rule(checked, "tool-call-no-record");
  REQUIRE(d);
  CHECK(d->severity == Severity::warning);
  CHECK(d->message.find("no find, create or book mapping gives one") != std::string::npos);

  // Odoo's prefix operators take their terms after them.
  checked = check(R"(domain = [["name", "=like", "Visit: %"], ["stop", ">", "{now}"], "|", )",
                  R"(domain = [["name", "=like", "Visit: %"], ["stop", ">", "{now}"], "!", "|", )");
  CHECK(find_rule(checked, "bad-value") == nullptr);  // "!" takes the "|" term after it
  checked = check(R"(["description", "ilike", "Call back: {booking_phone}"]])", "]");
  d = find_rule(checked, "bad-value");
  REQUIRE(d);
  CHECK(d->message.find("'|' is not followed by two terms") != std::string::npos);

  // start_field belongs to bookings; a booking's values may not set what its window sets.
  checked = check(R"(operation = "update"
model = "calendar.event")",
                  R"(operation = "update"
start_field = "x_start"
model = "calendar.event")");
  d = find_rule(checked, "bad-value");
  REQUIRE(d);
  CHECK(d->message.find("has start_field") != std::string::npos);
  checked = check(R"(values = { name = "Visit: {caller_name}", )",
                  R"(values = { stop = "{now}", name = "Visit: {caller_name}", )");
  d = find_rule(checked, "bad-value");
  REQUIRE(d);
  CHECK(d->message.find("sets stop, which the booking's window sets") != std::string::npos);

  // A booking without its window keys says which are missing.
  checked = check(R"(operation = "move"
model = "calendar.event"
day = "{preferred_date}"
window = "{arrival_window}")",
                  R"(operation = "move"
model = "calendar.event")");
  int missing = 0;
  for (const auto& diagnostic : checked.diagnostics.all())
    missing += diagnostic.rule == "missing-field";
  CHECK(missing == 2);
}
