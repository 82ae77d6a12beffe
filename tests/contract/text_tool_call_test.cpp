// The tool-call operation "text" (a step's call = "sms.…" texting a destination during the call):
// the shipped after-hours contract's page, and each way a text mapping is wrong.
#include <catch2/catch.hpp>

#include <fstream>

#include "contract/check.hpp"
#include "support/corpus.hpp"

using namespace voiceops;
using namespace voiceops::contract;

namespace {

const std::string page_table = "[tool_calls.\"sms.page_oncall\"]\n";
const std::string page_to = "\nto = \"oncall_sms\"\n";
const std::string page_body =
    "body = \"URGENT safety call, transfer not answered. Call {callback_number} now. {summary}\"\n";

// Where the shipped contract is: its lexicon_files are found from there.
std::string shipped_path() {
  return testing::source_dir() + "/contracts/after-hours-service.toml";
}

std::string shipped() {
  std::ifstream in(shipped_path(), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

CheckedContract checked(const std::string& text) {
  return check_contract_text(text, shipped_path(), true);
}

// The one diagnostic of a contract that should have exactly one.
Diagnostic only(const CheckedContract& c) {
  for (const auto& d : c.diagnostics.all())
    UNSCOPED_INFO(d.where.line << ":" << d.where.column << " " << d.rule << " " << d.message
                               << " / " << d.hint);
  REQUIRE(c.diagnostics.all().size() == 1);
  return c.diagnostics.all().front();
}

}  // namespace

TEST_CASE("text mapping: the shipped page is valid", "[contract][text]") {
  const CheckedContract c = checked(shipped());
  for (const auto& d : c.diagnostics.all()) UNSCOPED_INFO(d.rule << " " << d.message);
  CHECK(c.diagnostics.all().empty());
  REQUIRE(c.contract);
  const ToolCallMapping* page = c.contract->tool_call("sms.page_oncall");
  REQUIRE(page);
  CHECK(page->operation.value == "text");
  CHECK(page->to.value == "oncall_sms");
  CHECK(page->body.value ==
        "URGENT safety call, transfer not answered. Call {callback_number} now. {summary}");
  CHECK(page->model.value.empty());

  // A phone destination is a number too.
  const CheckedContract phone =
      checked(replace_once(shipped(), page_to, "\nto = \"oncall_tech\"\n"));
  CHECK(phone.diagnostics.all().empty());
}

TEST_CASE("text mapping: to names no destination", "[contract][text]") {
  const Diagnostic d = only(checked(replace_once(shipped(), page_to, "\nto = \"oncall_smss\"\n")));
  CHECK(d.rule == "unknown-destination");
  CHECK(d.severity == Severity::error);
  CHECK(d.message.find("oncall_smss") != std::string::npos);
  CHECK(d.hint.find("oncall_sms") != std::string::npos);  // did you mean
}

TEST_CASE("text mapping: to names a destination with no number to text", "[contract][text]") {
  const CheckedContract c =
      checked(replace_once(shipped(), page_to, "\nto = \"office_callbacks\"\n"));
  const Diagnostic d = only(c);
  CHECK(d.rule == "bad-value");
  CHECK(d.severity == Severity::error);
  CHECK(d.message.find("office_callbacks") != std::string::npos);
  CHECK(d.message.find("queue") != std::string::npos);
  CHECK(c.status == ExitStatus::check_failed);
}

TEST_CASE("text mapping: no to, or no body", "[contract][text]") {
  const Diagnostic no_to = only(checked(replace_once(shipped(), page_to, "\n")));
  CHECK(no_to.rule == "missing-field");
  CHECK(no_to.message.find("to") != std::string::npos);

  const Diagnostic no_body = only(checked(replace_once(shipped(), page_body, "")));
  CHECK(no_body.rule == "missing-field");
  CHECK(no_body.message.find("body") != std::string::npos);
  CHECK(no_body.severity == Severity::error);
}

TEST_CASE("text mapping: a body naming no question nor fact", "[contract][text]") {
  const Diagnostic d = only(checked(
      replace_once(shipped(), page_body, "body = \"Call {callback_numbr} now. {summary}\"\n")));
  CHECK(d.rule == "unknown-placeholder");
  CHECK(d.message.find("callback_numbr") != std::string::npos);
}

TEST_CASE("text mapping: keys other operations use are refused on a text, and to on others",
          "[contract][text]") {
  const Diagnostic model =
      only(checked(replace_once(shipped(), page_table, page_table + "model = \"res.partner\"\n")));
  CHECK(model.rule == "bad-value");
  CHECK(model.message.find("model") != std::string::npos);

  const std::string create = "[tool_calls.\"odoo.helpdesk.ticket.create\"]\n";
  const Diagnostic to =
      only(checked(replace_once(shipped(), create, create + "to = \"oncall_sms\"\n")));
  CHECK(to.rule == "bad-value");
  CHECK(to.message.find("to") != std::string::npos);
  CHECK(to.message.find("'text'") != std::string::npos);

  const Diagnostic body =
      only(checked(replace_once(shipped(), create, create + "body = \"hello\"\n")));
  CHECK(body.rule == "bad-value");
}

TEST_CASE("text mapping: an sms step with no mapping takes its error path, with a warning",
          "[contract][text]") {
  const std::string unmapped =
      replace_once(replace_once(replace_once(shipped(), page_body, ""), page_to, "\n"),
                   page_table + "operation = \"text\"\n", "");
  const CheckedContract c = checked(unmapped);
  const Diagnostic d = only(c);
  CHECK(d.rule == "tool-call-unmapped");
  CHECK(d.severity == Severity::warning);
  CHECK(d.message.find("sms.page_oncall") != std::string::npos);
  CHECK(d.hint.find("operation = \"text\"") != std::string::npos);
  CHECK(c.status == ExitStatus::check_failed);  // strict
  CHECK(check_contract_text(unmapped, shipped_path(), false).status == ExitStatus::ok);
}

TEST_CASE("text mapping: an unknown operation names text among those there are",
          "[contract][text]") {
  const Diagnostic d = only(checked(replace_once(shipped(), page_table + "operation = \"text\"\n",
                                                 page_table + "operation = \"sms\"\n")));
  CHECK(d.rule == "bad-value");
  CHECK(d.message.find("or text") != std::string::npos);
}
