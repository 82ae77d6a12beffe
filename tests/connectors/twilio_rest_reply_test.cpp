// The carrier's REST answers, read (connectors/twilio/rest_reply.hpp): its error object and what
// each failure means to the sender, a Message, a page of Messages, a page of IncomingPhoneNumbers.
// The bodies are the carrier's documented shapes.
#include <catch2/catch.hpp>

#include <string>

#include "base/utf8.hpp"
#include "connectors/http_answers.hpp"
#include "connectors/twilio/rest_reply.hpp"

using namespace voiceops;
using namespace voiceops::connectors::twilio;

namespace {

constexpr const char* sid = "SM0123456789abcdef0123456789abcdef";

// A Message resource as POST /Messages.json answers it (201), with `error_code` as given.
std::string message_json(const std::string& error_code = "null",
                         const std::string& sid_member = std::string("\"sid\": \"") + sid + "\",") {
  return R"({
  "account_sid": "AC0123456789abcdef0123456789abcdef",
  "api_version": "2010-04-01",
  "body": "URGENT safety call, transfer not answered. Call +15125550142 now.",
  "date_created": "Tue, 24 Nov 2026 03:00:00 +0000",
  "date_sent": null,
  "date_updated": "Tue, 24 Nov 2026 03:00:00 +0000",
  "direction": "outbound-api",
  "error_code": )" +
         error_code + R"(,
  "error_message": null,
  "from": "+15125550100",
  "messaging_service_sid": null,
  "num_media": "0",
  "num_segments": "1",
  "price": null,
  "price_unit": "USD",
  )" + sid_member +
         R"(
  "status": "queued",
  "subresource_uris": {"media": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM0123456789abcdef0123456789abcdef/Media.json"},
  "to": "+15125550150",
  "uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM0123456789abcdef0123456789abcdef.json"
})";
}

std::string error_json(int code, const std::string& message, int status) {
  return "{\"code\": " + std::to_string(code) + ", \"message\": \"" + message +
         "\", \"more_info\": \"https://www.twilio.com/docs/errors/" + std::to_string(code) +
         "\", \"status\": " + std::to_string(status) + "}";
}

// What every Error must be, whatever was read.
void check_printable(const Error& error) {
  INFO(error.message);
  CHECK_FALSE(error.message.empty());
  CHECK(error.message.find('\n') == std::string::npos);
  CHECK(error.message.find('\r') == std::string::npos);
  CHECK(error.message.find('\t') == std::string::npos);
}

}  // namespace

TEST_CASE("rest reply: 21211, an invalid To, is a refusal carrying the code", "[twilio][rest]") {
  const Error e = read_error(
      400, error_json(21211, "The 'To' number +1555 is not a valid phone number.", 400), "");
  CHECK(e.kind == ErrorKind::rejected);
  CHECK(e.code == invalid_to_number);
  CHECK(e.http_status == 400);
  CHECK(e.more_info == "https://www.twilio.com/docs/errors/21211");
  CHECK_FALSE(e.ambiguous);
  CHECK_FALSE(e.retry_after_s);
  CHECK(e.message.find("HTTP 400") != std::string::npos);
  CHECK(e.message.find("21211") != std::string::npos);
  CHECK(e.message.find("is not a valid phone number") != std::string::npos);
  check_printable(e);
  CHECK(kind_name(e.kind) == "rejected");
}

TEST_CASE("rest reply: 21610, a recipient who texted STOP, is a refusal", "[twilio][rest]") {
  const Error e =
      read_error(400, error_json(21610, "Attempt to send to unsubscribed recipient", 400), "");
  CHECK(e.kind == ErrorKind::rejected);
  CHECK(e.code == recipient_opted_out);
  CHECK_FALSE(e.ambiguous);
}

TEST_CASE("rest reply: 429 and 20429 are rate limits; Retry-After in seconds is kept",
          "[twilio][rest]") {
  const Error limited = read_error(429, error_json(20429, "Too Many Requests", 429), "3");
  CHECK(limited.kind == ErrorKind::rate_limited);
  CHECK(limited.retry_after_s == std::optional<int>(3));
  CHECK(limited.code == too_many_requests);
  CHECK_FALSE(limited.ambiguous);
  CHECK(kind_name(limited.kind) == "rate_limited");

  // The code alone, under another status, still says "slow down".
  const Error coded = read_error(400, error_json(20429, "Too Many Requests", 400), "");
  CHECK(coded.kind == ErrorKind::rate_limited);
  CHECK_FALSE(coded.retry_after_s);

  // A 429 with no body the carrier wrote (a proxy's).
  const Error bare = read_error(429, "", " 12 ");
  CHECK(bare.kind == ErrorKind::rate_limited);
  CHECK(bare.retry_after_s == std::optional<int>(12));
  check_printable(bare);
}

TEST_CASE("rest reply: Retry-After as an HTTP date, or not a number, counts as absent",
          "[twilio][rest]") {
  for (const char* header :
       {"Wed, 21 Oct 2026 07:28:00 GMT", "", "soon", "3s", "-5", "1.5", "0x10"}) {
    INFO(header);
    const Error e = read_error(429, "", header);
    CHECK(e.kind == ErrorKind::rate_limited);
    CHECK_FALSE(e.retry_after_s);
  }
  CHECK(read_error(429, "", "0").retry_after_s == std::optional<int>(0));
  // A value too large to be meant is never a negative or overflowed wait.
  for (const char* huge : {"999999", "99999999999999999999"}) {
    INFO(huge);
    const auto after = read_error(429, "", huge).retry_after_s;
    if (after) {
      CHECK(*after >= 0);
      CHECK(*after <= 24 * 3600);
    }
  }
}

TEST_CASE("rest reply: 401 and 403 are the credentials", "[twilio][rest]") {
  const Error e = read_error(401, error_json(20003, "Authenticate", 401), "");
  CHECK(e.kind == ErrorKind::auth);
  CHECK(e.code == 20003);
  CHECK_FALSE(e.ambiguous);
  CHECK(kind_name(e.kind) == "auth");
  CHECK(read_error(403, error_json(20003, "Permission Denied", 403), "").kind == ErrorKind::auth);
}

TEST_CASE("rest reply: a 5xx is the carrier's failure, and may have sent it", "[twilio][rest]") {
  for (int status : {500, 502, 503, 504}) {
    INFO(status);
    const Error e = read_error(status, error_json(20500, "Internal Server Error", status), "");
    CHECK(e.kind == ErrorKind::server);
    CHECK(e.ambiguous);
    CHECK(e.http_status == status);
    CHECK(e.message.find("HTTP " + std::to_string(status)) != std::string::npos);
  }
  CHECK(kind_name(ErrorKind::server) == "server");
}

TEST_CASE("rest reply: a body that is not the carrier's JSON still names the status",
          "[twilio][rest]") {
  const std::string html =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
      "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
  const Error e = read_error(502, html, "");
  CHECK(e.kind == ErrorKind::server);
  CHECK(e.ambiguous);
  CHECK(e.code == 0);
  CHECK(e.message.find("HTTP 502") != std::string::npos);
  CHECK(e.message.find("<html>") == std::string::npos);
  check_printable(e);

  // JSON, but not an object; an object without the members.
  for (const char* body : {"[1, 2]", "\"oops\"", "{}", "{\"code\": \"x\", \"message\": 3}", "{"}) {
    INFO(body);
    const Error odd = read_error(400, body, "");
    CHECK(odd.kind == ErrorKind::rejected);
    CHECK(odd.code == 0);
    CHECK(odd.message.find("HTTP 400") != std::string::npos);
    check_printable(odd);
  }
}

TEST_CASE("rest reply: the code as a numeric string is read; nonsense is no code",
          "[twilio][rest]") {
  CHECK(read_error(400, R"({"code": "21211", "message": "bad"})", "").code == 21211);
  CHECK(read_error(400, R"({"code": "21211x", "message": "bad"})", "").code == 0);
  CHECK(read_error(400, R"({"code": -4, "message": "bad"})", "").code == 0);
  CHECK(read_error(400, R"({"code": 1e40, "message": "bad"})", "").code == 0);
  CHECK(read_error(400, R"({"code": null, "message": "bad"})", "").code == 0);
}

TEST_CASE("rest reply: a huge or multi-line message is one short line", "[twilio][rest]") {
  std::string said = "first line\nsecond line\r\n\tthird";
  for (int i = 0; i < 200; ++i) said += " and more words";
  std::string body = R"({"code": 21211, "message": ")";
  for (char c : said) {
    if (c == '\n')
      body += "\\n";
    else if (c == '\r')
      body += "\\r";
    else if (c == '\t')
      body += "\\t";
    else
      body += c;
  }
  body += R"(", "status": 400})";
  const Error e = read_error(400, body, "");
  check_printable(e);
  CHECK(e.message.size() <= 350);  // 300 of the carrier's characters and the status before them
  CHECK(e.message.find("first line second line") != std::string::npos);
  CHECK(e.kind == ErrorKind::rejected);
}

TEST_CASE("rest reply: a long message cut to one line is still UTF-8", "[twilio][rest]") {
  // 1 + 3n bytes: a cut at 300 bytes falls inside a three-byte character.
  std::string said = "a";
  for (int i = 0; i < 200; ++i) said += "\xE2\x82\xAC";  // U+20AC EURO SIGN
  const Error e = read_error(400, R"({"code": 21211, "message": ")" + said + R"("})", "");
  CHECK(e.message.size() <= 350);
  CHECK(is_valid_utf8(e.message));
}

TEST_CASE("rest reply: a Message resource", "[twilio][rest]") {
  auto message = read_message(message_json());
  REQUIRE(message);
  CHECK(message->sid == sid);
  CHECK(message->to == "+15125550150");
  CHECK(message->from == "+15125550100");
  CHECK(message->body == "URGENT safety call, transfer not answered. Call +15125550142 now.");
  CHECK(message->status == "queued");
  CHECK_FALSE(message->error_code);
  CHECK(message->date_created == "Tue, 24 Nov 2026 03:00:00 +0000");
  CHECK(message->created_unix == std::optional<std::int64_t>(1795489200));
}

TEST_CASE("rest reply: a Message's error_code as a number, a numeric string or null",
          "[twilio][rest]") {
  CHECK(read_message(message_json("30007")).value().error_code == std::optional<int>(30007));
  CHECK(read_message(message_json("\"30003\"")).value().error_code == std::optional<int>(30003));
  CHECK_FALSE(read_message(message_json("null")).value().error_code);
  CHECK_FALSE(read_message(message_json("\"\"")).value().error_code);
  CHECK_FALSE(read_message(message_json("\"n/a\"")).value().error_code);
  CHECK_FALSE(read_message(message_json("true")).value().error_code);
}

TEST_CASE("rest reply: a Message without a sid, or not JSON, is malformed", "[twilio][rest]") {
  for (const std::string& body :
       {message_json("null", ""), message_json("null", "\"sid\": null,"),
        message_json("null", "\"sid\": \"\","), message_json("null", "\"sid\": 42,"),
        std::string("<html>502</html>"), std::string(""), std::string("[]"),
        std::string("{\"sid\": \"SM1\"")}) {
    INFO(body);
    auto message = read_message(body);
    REQUIRE_FALSE(message);
    CHECK(message.error().kind == ErrorKind::malformed);
    CHECK(kind_name(message.error().kind) == "malformed");
    check_printable(message.error());
  }
}

TEST_CASE("rest reply: a page of Messages, the last and one with a next page", "[twilio][rest]") {
  const std::string items =
      "[" + message_json("null") + ", " +
      message_json("30007", "\"sid\": \"SMffffffffffffffffffffffffffffffff\",") + "]";
  const std::string last =
      R"({"end": 1, "first_page_uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json?To=%2B15125550150&PageSize=100&Page=0", "next_page_uri": null, "page": 0, "page_size": 100, "previous_page_uri": null, "start": 0, "uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json?To=%2B15125550150&PageSize=100&Page=0", "messages": )" +
      items + "}";
  auto page = read_message_page(last);
  REQUIRE(page);
  REQUIRE(page->messages.size() == 2);
  CHECK(page->messages[0].sid == sid);
  CHECK(page->messages[1].sid == "SMffffffffffffffffffffffffffffffff");
  CHECK(page->messages[1].error_code == std::optional<int>(30007));
  CHECK(page->next_page_uri.empty());

  const std::string next_uri =
      "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/"
      "Messages.json?To=%2B15125550150&PageSize=100&Page=1&PageToken=PASM0123456789abcdef";
  auto more = read_message_page(R"({"messages": [], "next_page_uri": ")" + next_uri + R"("})");
  REQUIRE(more);
  CHECK(more->messages.empty());
  CHECK(more->next_page_uri == next_uri);
}

TEST_CASE("rest reply: a page without its list, or with a message without a sid, is malformed",
          "[twilio][rest]") {
  for (const std::string& body :
       {std::string(R"({"next_page_uri": null})"), std::string(R"({"messages": {}})"),
        std::string(R"({"messages": null})"), std::string(R"([])"), std::string("not json"),
        std::string(R"({"messages": [{"body": "hi"}]})"), std::string(R"({"messages": [1]})"),
        "{\"messages\": [" + message_json() + ", {\"status\": \"sent\"}]}"}) {
    INFO(body);
    auto page = read_message_page(body);
    REQUIRE_FALSE(page);
    CHECK(page.error().kind == ErrorKind::malformed);
    check_printable(page.error());
  }
}

TEST_CASE("rest reply: a page of IncomingPhoneNumbers", "[twilio][rest]") {
  const std::string body = R"({
  "end": 0,
  "first_page_uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/IncomingPhoneNumbers.json?PageSize=50&Page=0",
  "incoming_phone_numbers": [
    {
      "account_sid": "AC0123456789abcdef0123456789abcdef",
      "address_requirements": "none",
      "api_version": "2010-04-01",
      "beta": false,
      "capabilities": {"voice": true, "sms": true, "mms": true, "fax": false},
      "date_created": "Thu, 30 Jul 2015 23:19:04 +0000",
      "friendly_name": "(512) 555-0101",
      "phone_number": "+15125550101",
      "sid": "PN0123456789abcdef0123456789abcdef",
      "sms_application_sid": "",
      "sms_fallback_method": "POST",
      "sms_fallback_url": "",
      "sms_method": "POST",
      "sms_url": "https://demo.twilio.com/welcome/sms/reply",
      "status_callback": "https://voice.example.com/twilio/status",
      "status_callback_method": "POST",
      "voice_application_sid": null,
      "voice_caller_id_lookup": false,
      "voice_fallback_method": "POST",
      "voice_fallback_url": "https://handler.twilio.com/twiml/EH0123456789abcdef0123456789abcdef",
      "voice_method": "POST",
      "voice_url": "https://voice.example.com/twilio/voice",
      "status": "in-use"
    },
    {"phone_number": "+15125550102", "voice_application_sid": "AP0123456789abcdef0123456789abcdef"}
  ],
  "next_page_uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/IncomingPhoneNumbers.json?PageSize=50&Page=1&PageToken=PAPN01",
  "page": 0,
  "page_size": 50,
  "previous_page_uri": null,
  "start": 0,
  "uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/IncomingPhoneNumbers.json?PageSize=50&Page=0"
})";
  auto page = read_number_page(body);
  REQUIRE(page);
  REQUIRE(page->numbers.size() == 2);
  const IncomingNumber& n = page->numbers[0];
  CHECK(n.sid == "PN0123456789abcdef0123456789abcdef");
  CHECK(n.phone_number == "+15125550101");
  CHECK(n.friendly_name == "(512) 555-0101");
  CHECK(n.voice_url == "https://voice.example.com/twilio/voice");
  CHECK(n.voice_method == "POST");
  CHECK(n.voice_fallback_url ==
        "https://handler.twilio.com/twiml/EH0123456789abcdef0123456789abcdef");
  CHECK(n.voice_fallback_method == "POST");
  CHECK(n.status_callback == "https://voice.example.com/twilio/status");
  CHECK(n.status_callback_method == "POST");
  CHECK(n.voice_application_sid.empty());  // null
  CHECK(n.sms_url == "https://demo.twilio.com/welcome/sms/reply");
  CHECK(page->numbers[1].voice_application_sid == "AP0123456789abcdef0123456789abcdef");
  CHECK(page->numbers[1].sid.empty());
  CHECK(page->next_page_uri.find("PageToken=PAPN01") != std::string::npos);

  auto empty = read_number_page(R"({"incoming_phone_numbers": [], "next_page_uri": null})");
  REQUIRE(empty);
  CHECK(empty->numbers.empty());
  CHECK(empty->next_page_uri.empty());
}

TEST_CASE("rest reply: a numbers page without its list, or a number without phone_number",
          "[twilio][rest]") {
  for (const char* body :
       {R"({"next_page_uri": null})", R"({"incoming_phone_numbers": "none"})",
        R"({"incoming_phone_numbers": [{"sid": "PN0123456789abcdef0123456789abcdef"}]})",
        R"({"incoming_phone_numbers": [{"phone_number": ""}]})",
        R"({"incoming_phone_numbers": [{"phone_number": 15125550101}]})",
        R"({"incoming_phone_numbers": ["+15125550101"]})", "", "<html></html>"}) {
    INFO(body);
    auto page = read_number_page(body);
    REQUIRE_FALSE(page);
    CHECK(page.error().kind == ErrorKind::malformed);
    check_printable(page.error());
  }
}

TEST_CASE("rest reply: RFC 2822 dates", "[twilio][rest]") {
  CHECK(read_rfc2822("Tue, 24 Nov 2026 03:00:00 +0000") == std::optional<std::int64_t>(1795489200));
  CHECK(read_rfc2822("Tue, 24 Nov 2026 05:00:00 +0200") == std::optional<std::int64_t>(1795489200));
  CHECK_FALSE(read_rfc2822(""));
  CHECK_FALSE(read_rfc2822("2026-11-24T03:00:00Z"));
  CHECK_FALSE(read_rfc2822("Tue, 24 Nov 2026"));
  // Found by the fuzzer: malformed fields are refused, never read as NaN or garbage.
  CHECK_FALSE(read_rfc2822("Tue, 24 Nov 2026 03:00:na +0000"));
  CHECK_FALSE(read_rfc2822("Tue, 24 Nov 2026 03:00:-1 +0000"));
  CHECK_FALSE(read_rfc2822("Tue, 31 Feb 2026 03:00:00 +0000"));
  CHECK_FALSE(read_rfc2822("Tue, 24 Foo 2026 03:00:00 +0000"));
  CHECK_FALSE(read_rfc2822("Tue, 24 Nov 2026 25:00:00 +0000"));
}

TEST_CASE("rest reply: a full sending queue is waited out, not given up on", "[twilio][rest]") {
  for (const int code : {21611, 30001}) {
    INFO(code);
    const Error error = read_error(
        400, R"({"code": )" + std::to_string(code) + R"(, "message": "queue full", "status": 400})",
        "");
    CHECK(error.kind == ErrorKind::rate_limited);
    CHECK(error.code == code);
  }
}

TEST_CASE("http answers: Retry-After seconds and one printable line", "[rest]") {
  CHECK(connectors::retry_after_seconds(" 7 ") == std::optional<int>(7));
  CHECK(connectors::retry_after_seconds("999999") == std::optional<int>(24 * 3600));
  CHECK_FALSE(connectors::retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"));
  CHECK_FALSE(connectors::retry_after_seconds("-1"));
  CHECK_FALSE(connectors::retry_after_seconds(""));
  CHECK(connectors::one_line("a\nb\tc\rd") == "a b c d");
  CHECK(connectors::one_line("ab\xE2\x82\xAC", 4) == "ab");  // never half a character
}
