// What Mailgun answers POST /v3/<domain>/messages, read (connectors/mailgun/mail_client.hpp):
// the message id when it queued the mail, and otherwise what the sender is to do about it.
#include <catch2/catch.hpp>

#include <string>

#include "base/utf8.hpp"
#include "connectors/mailgun/mail_client.hpp"

using namespace voiceops;
using namespace voiceops::connectors::mailgun;

namespace {

void check_printable(const Error& error) {
  INFO(error.message);
  CHECK_FALSE(error.message.empty());
  CHECK(error.message.find('\n') == std::string::npos);
  CHECK(error.message.find('\r') == std::string::npos);
}

}  // namespace

TEST_CASE("mailgun: 200 with an id is the message id", "[mailgun]") {
  auto id = read_answer(
      200, R"({"id": "<20261124030000.1.ABCDEF@mg.example.com>", "message": "Queued. Thank you."})",
      "");
  REQUIRE(id);
  CHECK(*id == "<20261124030000.1.ABCDEF@mg.example.com>");
}

TEST_CASE("mailgun: a 2xx without an id may have been queued", "[mailgun]") {
  for (const char* body : {R"({"message": "Queued. Thank you."})", R"({"id": ""})", R"({"id": 42})",
                           R"({"id": null})", "Queued", "", "[]"}) {
    INFO(body);
    auto answer = read_answer(200, body, "");
    REQUIRE_FALSE(answer);
    CHECK(answer.error().kind == ErrorKind::malformed);
    CHECK(answer.error().ambiguous);
    CHECK(answer.error().http_status == 200);
    CHECK(kind_name(answer.error().kind) == "malformed");
    check_printable(answer.error());
  }
}

TEST_CASE("mailgun: 400, 402, 404 and 413 are refusals; 401 and 403 the key", "[mailgun]") {
  for (int status : {400, 402, 404, 413}) {
    INFO(status);
    auto answer =
        read_answer(status, R"({"message": "'to' parameter is not a valid address"})", "");
    REQUIRE_FALSE(answer);
    CHECK(answer.error().kind == ErrorKind::rejected);
    CHECK_FALSE(answer.error().ambiguous);
    CHECK(answer.error().http_status == status);
    CHECK(answer.error().message.find(std::to_string(status)) != std::string::npos);
    CHECK(answer.error().message.find("not a valid address") != std::string::npos);
    check_printable(answer.error());
  }
  // Mailgun's 401 is the plain text "Forbidden", not JSON.
  for (int status : {401, 403}) {
    INFO(status);
    auto answer = read_answer(status, "Forbidden", "");
    REQUIRE_FALSE(answer);
    CHECK(answer.error().kind == ErrorKind::auth);
    CHECK_FALSE(answer.error().ambiguous);
    CHECK(answer.error().message.find(std::to_string(status)) != std::string::npos);
    check_printable(answer.error());
  }
  CHECK(kind_name(ErrorKind::rejected) == "rejected");
  CHECK(kind_name(ErrorKind::auth) == "auth");
}

TEST_CASE("mailgun: 420 and 429 are rate limits, with Retry-After in seconds", "[mailgun]") {
  auto sending_limit = read_answer(
      420, R"({"message": "Domain mg.example.com is not allowed to send: sending limit exceeded"})",
      "");
  REQUIRE_FALSE(sending_limit);
  CHECK(sending_limit.error().kind == ErrorKind::rate_limited);
  CHECK_FALSE(sending_limit.error().retry_after_s);

  auto too_many = read_answer(429, R"({"message": "Too many requests"})", "7");
  REQUIRE_FALSE(too_many);
  CHECK(too_many.error().kind == ErrorKind::rate_limited);
  CHECK(too_many.error().retry_after_s == std::optional<int>(7));
  CHECK_FALSE(too_many.error().ambiguous);
  CHECK(kind_name(too_many.error().kind) == "rate_limited");

  auto dated = read_answer(429, "", "Wed, 21 Oct 2026 07:28:00 GMT");
  REQUIRE_FALSE(dated);
  CHECK_FALSE(dated.error().retry_after_s);
}

TEST_CASE("mailgun: a 5xx is Mailgun's failure, and may have queued it", "[mailgun]") {
  for (int status : {500, 502, 503, 504}) {
    INFO(status);
    auto answer = read_answer(status, "<html><body>Bad Gateway</body></html>", "");
    REQUIRE_FALSE(answer);
    CHECK(answer.error().kind == ErrorKind::server);
    CHECK(answer.error().ambiguous);
    CHECK(answer.error().message.find(std::to_string(status)) != std::string::npos);
    CHECK(answer.error().message.find("<html>") == std::string::npos);
    check_printable(answer.error());
  }
}

TEST_CASE("mailgun: Mailgun's message is kept on one short line", "[mailgun]") {
  std::string said = "line one\\nline two\\r\\n";
  for (int i = 0; i < 100; ++i) said += "more text ";
  auto answer = read_answer(400, R"({"message": ")" + said + R"("})", "");
  REQUIRE_FALSE(answer);
  check_printable(answer.error());
  CHECK(answer.error().message.size() <= 350);
  CHECK(answer.error().message.find("line one line two") != std::string::npos);
}

TEST_CASE("mailgun: a long message cut to one line is still UTF-8", "[mailgun]") {
  std::string said = "a";
  for (int i = 0; i < 200; ++i)
    said += "\xE2\x82\xAC";  // U+20AC EURO SIGN: a cut at 300 splits one
  auto answer = read_answer(400, R"({"message": ")" + said + R"("})", "");
  REQUIRE_FALSE(answer);
  CHECK(answer.error().message.size() <= 350);
  CHECK(is_valid_utf8(answer.error().message));
}
