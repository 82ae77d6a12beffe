// The carrier's delivery status callback for a text (carrier/message_status.hpp): a good report,
// each way a form is not one, and the ErrorCode of a failed delivery.
#include <catch2/catch.hpp>

#include <string>

#include "carrier/form.hpp"
#include "carrier/message_status.hpp"

using namespace voiceops;
using namespace voiceops::carrier;

namespace {

constexpr const char* sid = "SM0123456789abcdef0123456789abcdef";

// The report as the carrier posts it, with `status` and the carrier's other parameters.
FormParams report(const std::string& status) {
  return {{"ApiVersion", "2010-04-01"},
          {"MessageStatus", status},
          {"SmsSid", sid},
          {"SmsStatus", status},
          {"To", "+15125550150"},
          {"From", "+15125550100"},
          {"MessageSid", sid},
          {"AccountSid", "AC0123456789abcdef0123456789abcdef"}};
}

}  // namespace

TEST_CASE("message status: a good report", "[carrier][message-status]") {
  auto read = read_message_status(report("delivered"));
  REQUIRE(read);
  CHECK(read->message_sid == sid);
  CHECK(read->status == "delivered");
  CHECK_FALSE(read->error_code);
  CHECK_FALSE(read->failed());
  CHECK(message_status_path == "/twilio/message-status");

  for (const char* status : {"accepted", "queued", "sending", "sent", "read", "canceled"}) {
    INFO(status);
    auto other = read_message_status(report(status));
    REQUIRE(other);
    CHECK(other->status == status);
    CHECK_FALSE(other->failed());
  }
  // An MMS sid is a message too.
  auto mms = read_message_status(
      {{"MessageSid", "MM0123456789abcdef0123456789abcdef"}, {"MessageStatus", "sent"}});
  REQUIRE(mms);
  CHECK(mms->message_sid == "MM0123456789abcdef0123456789abcdef");
}

TEST_CASE("message status: a failed delivery carries its ErrorCode", "[carrier][message-status]") {
  FormParams form = report("undelivered");
  form.push_back({"ErrorCode", "30007"});
  auto read = read_message_status(form);
  REQUIRE(read);
  CHECK(read->error_code == std::optional<int>(30007));
  CHECK(read->failed());

  FormParams failed = report("failed");
  failed.push_back({"ErrorCode", "30003"});
  auto f = read_message_status(failed);
  REQUIRE(f);
  CHECK(f->failed());
  CHECK(f->error_code == std::optional<int>(30003));

  FormParams empty_code = report("delivered");
  empty_code.push_back({"ErrorCode", ""});
  auto e = read_message_status(empty_code);
  REQUIRE(e);
  CHECK_FALSE(e->error_code);
}

TEST_CASE("message status: an ErrorCode that is not a number is refused",
          "[carrier][message-status]") {
  for (const char* code : {"abc", "30007x", "-1", "3 0007", " 30007", "99999999999999", "1e3"}) {
    INFO(code);
    FormParams form = report("undelivered");
    form.push_back({"ErrorCode", code});
    auto read = read_message_status(form);
    REQUIRE_FALSE(read);
    CHECK_FALSE(read.error().empty());
  }
}

TEST_CASE("message status: no MessageSid, or one of the wrong shape", "[carrier][message-status]") {
  for (const char* bad :
       {"", "SM123", "XX0123456789abcdef0123456789abcdef", "CA0123456789abcdef0123456789abcdef",
        "SM0123456789abcdef0123456789abcdeg", "SM0123456789abcdef0123456789abcdef0",
        "sm0123456789abcdef0123456789abcdef"}) {
    INFO(bad);
    auto read = read_message_status({{"MessageSid", bad}, {"MessageStatus", "delivered"}});
    REQUIRE_FALSE(read);
    CHECK(read.error().find("MessageSid") != std::string::npos);
  }
  auto missing = read_message_status({{"MessageStatus", "delivered"}, {"SmsSid", sid}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("MessageSid") != std::string::npos);
}

TEST_CASE("message status: no status, or one the carrier never sends",
          "[carrier][message-status]") {
  for (const char* bad : {"", "exploded", "Delivered", "delivered "}) {
    INFO(bad);
    auto read = read_message_status({{"MessageSid", sid}, {"MessageStatus", bad}});
    REQUIRE_FALSE(read);
    CHECK(read.error().find("MessageStatus") != std::string::npos);
  }
  auto missing = read_message_status({{"MessageSid", sid}, {"SmsStatus", "delivered"}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("MessageStatus") != std::string::npos);
}

TEST_CASE("message status: a parameter given twice is refused", "[carrier][message-status]") {
  for (const char* name : {"MessageSid", "MessageStatus", "ErrorCode"}) {
    INFO(name);
    FormParams form = report("undelivered");
    form.push_back({"ErrorCode", "30007"});
    const std::string again = std::string(name) == "MessageSid"      ? sid
                              : std::string(name) == "MessageStatus" ? "undelivered"
                                                                     : "30007";
    form.push_back({name, again});  // even the same value twice
    auto read = read_message_status(form);
    REQUIRE_FALSE(read);
    CHECK(read.error().find("twice") != std::string::npos);
  }
}

TEST_CASE("message status: unknown parameters are ignored", "[carrier][message-status]") {
  FormParams form = report("sent");
  form.push_back({"RawDlrDoneDate", "2611240300"});
  form.push_back({"ChannelToAddress", "+1512555XXXX"});
  form.push_back({"Extra", ""});
  auto read = read_message_status(form);
  REQUIRE(read);
  CHECK(read->status == "sent");
}

TEST_CASE("message status: read from the form body the carrier posts",
          "[carrier][message-status]") {
  const std::string body =
      "ApiVersion=2010-04-01&MessageStatus=undelivered&SmsSid=SM0123456789abcdef0123456789abcdef"
      "&SmsStatus=undelivered&To=%2B15125550150&From=%2B15125550100"
      "&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef"
      "&ErrorCode=30005";
  auto form = decode_form(body);
  REQUIRE(form);
  auto read = read_message_status(*form);
  REQUIRE(read);
  CHECK(read->message_sid == sid);
  CHECK(read->status == "undelivered");
  CHECK(read->error_code == std::optional<int>(30005));
  CHECK(read->failed());
}
