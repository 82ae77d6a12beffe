// voiceops.toml's messaging tables (config/config_messaging.cpp): [twilio]'s REST settings,
// [email] (Mailgun) and [messages] (the outbox's retries); good values and each refusal.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "config/config.hpp"

using namespace voiceops;
using namespace voiceops::config;

namespace {

constexpr const char* account = "AC0123456789abcdef0123456789abcdef";

Config parsed(const std::string& text) {
  auto result = parse_config(text, "voiceops.toml");
  if (!result) {
    for (const auto& d : result.error().all()) UNSCOPED_INFO(d.rule << ": " << d.message);
  }
  REQUIRE(result);
  return *result;
}

// The errors of a configuration that must not load, as "line:column rule".
std::vector<std::string> errors(const std::string& text) {
  auto result = parse_config(text, "voiceops.toml");
  REQUIRE_FALSE(result);
  std::vector<std::string> out;
  for (const auto& d : result.error().all()) {
    UNSCOPED_INFO(d.rule << ": " << d.message << " / " << d.hint);
    if (d.severity == Severity::error)
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " +
                    d.rule);
  }
  return out;
}

// The rules of a configuration's errors, without their places.
std::vector<std::string> rules(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& e : errors(text)) out.push_back(e.substr(e.find(' ') + 1));
  return out;
}

std::vector<Diagnostic> diagnostics(const std::string& text) {
  auto result = parse_config(text, "voiceops.toml");
  REQUIRE_FALSE(result);
  return result.error().all();
}

}  // namespace

TEST_CASE("config messaging: defaults, nothing set up", "[config][messaging]") {
  const Config c = parsed("");
  CHECK(c.twilio.account_sid.empty());
  CHECK(c.twilio.api_url == "https://api.twilio.com");
  CHECK(c.twilio.timeout_ms == 10000);
  CHECK(c.email.domain.empty());
  CHECK(c.email.region == "us");
  CHECK(c.email.effective_api_url() == "https://api.mailgun.net");
  CHECK(c.messages.max_attempts == 10);
  CHECK(c.messages.retry_first_s == 10);
  CHECK(c.messages.retry_max_s == 900);
}

TEST_CASE("config messaging: [twilio]'s REST settings read as written", "[config][messaging]") {
  const Config c =
      parsed(std::string("[twilio]\naccount_sid = \"") + account +
             "\"\napi_key_sid = \"SKabcdefABCDEF0123456789abcdef0123\"\n"
             "api_key_secret_file = \"/run/credentials/voiceopsd.service/twilio-key\"\n"
             "api_url = \"https://twilio.proxy.example.com/\"\n"
             "sms_from = \"+15125550101\"\ntimeout_ms = 4000\n");
  CHECK(c.twilio.account_sid == account);
  CHECK(c.twilio.api_key_sid == "SKabcdefABCDEF0123456789abcdef0123");
  CHECK(c.twilio.api_key_secret_file == "/run/credentials/voiceopsd.service/twilio-key");
  CHECK(c.twilio.api_url == "https://twilio.proxy.example.com");  // no trailing slash
  CHECK(c.twilio.sms_from == "+15125550101");
  CHECK(c.twilio.timeout_ms == 4000);

  const Config service =
      parsed(std::string("[twilio]\naccount_sid = \"") + account +
             "\"\nmessaging_service_sid = \"MG0123456789abcdef0123456789abcdef\"\n");
  CHECK(service.twilio.messaging_service_sid == "MG0123456789abcdef0123456789abcdef");
  CHECK(service.twilio.sms_from.empty());
}

TEST_CASE("config messaging: an account SID is AC and 32 hexadecimal digits",
          "[config][messaging]") {
  for (const char* bad :
       {"AC0123", "SK0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcdeg",
        "AC0123456789abcdef0123456789abcdef0", "ac0123456789abcdef0123456789abcdef"}) {
    INFO(bad);
    CHECK(errors(std::string("[twilio]\naccount_sid = \"") + bad + "\"\n") ==
          std::vector<std::string>{"2:15 bad-value"});
  }
  CHECK(rules("[twilio]\naccount_sid = \"\"\n") == std::vector<std::string>{"empty-value"});
  CHECK(rules("[twilio]\naccount_sid = 12\n") == std::vector<std::string>{"wrong-type"});
  const auto d = diagnostics("[twilio]\naccount_sid = \"AC12\"\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("AC followed by 32 hexadecimal digits") != std::string::npos);
}

TEST_CASE("config messaging: an API key is SK and 32 hex digits, with its secret's file",
          "[config][messaging]") {
  const std::string head = std::string("[twilio]\naccount_sid = \"") + account + "\"\n";
  CHECK(rules(head + "api_key_sid = \"AC0123456789abcdef0123456789abcdef\"\n") ==
        std::vector<std::string>{"bad-value"});
  CHECK(rules(head + "api_key_sid = \"SK123\"\n") == std::vector<std::string>{"bad-value"});
  // A secret's file without the key it belongs to.
  CHECK(errors(head + "api_key_secret_file = \"/run/key\"\n") ==
        std::vector<std::string>{"3:1 missing-field"});
  // The key without its secret's file: the secret comes from $TWILIO_API_KEY_SECRET.
  CHECK(parsed(head + "api_key_sid = \"SK0123456789abcdef0123456789abcdef\"\n")
            .twilio.api_key_secret_file.empty());
}

TEST_CASE("config messaging: sms_from is E.164, and not with a Messaging Service",
          "[config][messaging]") {
  const std::string head = std::string("[twilio]\naccount_sid = \"") + account + "\"\n";
  for (const char* bad : {"5125550101", "+1 512 555 0101", "+0125550101", "+1512",
                          "+1234567890123456", "+1512555010a", "tel:+15125550101"}) {
    INFO(bad);
    CHECK(errors(head + "sms_from = \"" + bad + "\"\n") ==
          std::vector<std::string>{"3:12 bad-value"});
  }
  CHECK(parsed(head + "sms_from = \"+441632960961\"\n").twilio.sms_from == "+441632960961");
  CHECK(rules(head + "sms_from = \"+15125550101\"\n"
                     "messaging_service_sid = \"MG0123456789abcdef0123456789abcdef\"\n") ==
        std::vector<std::string>{"conflicting-keys"});
  CHECK(rules(head + "messaging_service_sid = \"MGnope\"\n") ==
        std::vector<std::string>{"bad-value"});
  // Texts need the account they go through.
  CHECK(rules("[twilio]\nsms_from = \"+15125550101\"\n") ==
        std::vector<std::string>{"missing-field"});
  CHECK(rules("[twilio]\nmessaging_service_sid = \"MG0123456789abcdef0123456789abcdef\"\n") ==
        std::vector<std::string>{"missing-field"});
}

TEST_CASE("config messaging: secrets inline are refused without echoing them",
          "[config][messaging]") {
  for (const auto& [text, key, variable] :
       {std::tuple<std::string, std::string, std::string>{
            "[twilio]\nauth_token = \"s3cr3t-value\"\n", "twilio.auth_token", "TWILIO_AUTH_TOKEN"},
        {"[twilio]\napi_key_secret = \"s3cr3t-value\"\n", "twilio.api_key_secret",
         "TWILIO_API_KEY_SECRET"},
        {"[email]\napi_key = \"s3cr3t-value\"\n", "email.api_key", "MAILGUN_API_KEY"},
        {"[email]\npassword = \"s3cr3t-value\"\n", "email.password", "MAILGUN_API_KEY"}}) {
    INFO(text);
    const auto d = diagnostics(text);
    REQUIRE(d.size() == 1);
    CHECK(d[0].rule == "secret-inline");
    CHECK(d[0].where.line == 2);
    CHECK(d[0].message.find(key) == 0);
    CHECK(d[0].hint.find(variable) != std::string::npos);
    CHECK(d[0].message.find("s3cr3t") == std::string::npos);
    CHECK(d[0].hint.find("s3cr3t") == std::string::npos);
  }
}

TEST_CASE("config messaging: [email] read as written; the region picks Mailgun's URL",
          "[config][messaging]") {
  const Config us = parsed(
      "[email]\ndomain = \"mg.example.com\"\nfrom = \"Voiceops <voiceops@mg.example.com>\"\n"
      "api_key_file = \"/run/credentials/voiceopsd.service/mailgun-key\"\n"
      "summaries_to = [\"office@example.com\", \"Front desk <desk@example.com>\"]\n"
      "alerts_to = [\"ops@example.com\"]\ntimeout_ms = 5000\n");
  CHECK(us.email.domain == "mg.example.com");
  CHECK(us.email.from == "Voiceops <voiceops@mg.example.com>");
  CHECK(us.email.api_key_file == "/run/credentials/voiceopsd.service/mailgun-key");
  CHECK(us.email.summaries_to ==
        std::vector<std::string>{"office@example.com", "Front desk <desk@example.com>"});
  CHECK(us.email.alerts_to == std::vector<std::string>{"ops@example.com"});
  CHECK(us.email.timeout_ms == 5000);
  CHECK(us.email.region == "us");
  CHECK(us.email.effective_api_url() == "https://api.mailgun.net");

  const Config eu = parsed(
      "[email]\nregion = \"eu\"\ndomain = \"mg.example.eu\"\nfrom = \"voiceops@mg.example.eu\"\n");
  CHECK(eu.email.region == "eu");
  CHECK(eu.email.effective_api_url() == "https://api.eu.mailgun.net");

  const Config own = parsed(
      "[email]\nregion = \"eu\"\napi_url = \"http://127.0.0.1:8025/\"\ndomain = \"mg.example.eu\"\n"
      "from = \"voiceops@mg.example.eu\"\n");
  CHECK(own.email.effective_api_url() == "http://127.0.0.1:8025");  // api_url wins

  CHECK(errors("[email]\nregion = \"asia\"\n") == std::vector<std::string>{"2:10 bad-value"});
  CHECK(rules("[email]\nregion = \"US\"\n") == std::vector<std::string>{"bad-value"});
}

TEST_CASE("config messaging: [email]'s domain and addresses", "[config][messaging]") {
  for (const char* bad : {"localhost", "mg example.com", "mg_example.com", "mg.example.com/x"}) {
    INFO(bad);
    CHECK(errors(std::string("[email]\ndomain = \"") + bad +
                 "\"\nfrom = \"voiceops@mg.example.com\"\n") ==
          std::vector<std::string>{"2:10 bad-value"});
  }
  for (const char* bad :
       {"voiceops", "voiceops@", "@mg.example.com", "voiceops@mg", "a@b@mg.example.com",
        "Voiceops <voiceops@mg.example.com", "voice ops@mg.example.com", "voiceops@.example.com"}) {
    INFO(bad);
    CHECK(rules(std::string("[email]\ndomain = \"mg.example.com\"\nfrom = \"") + bad + "\"\n") ==
          std::vector<std::string>{"bad-value"});
  }
  // One bad address in a list is named, at its place.
  const std::string text =
      "[email]\ndomain = \"mg.example.com\"\nfrom = \"voiceops@mg.example.com\"\n"
      "alerts_to = [\"ops@example.com\", \"not an address\"]\n";
  CHECK(errors(text) == std::vector<std::string>{"4:33 bad-value"});
  const auto d = diagnostics(text);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("not an address") != std::string::npos);
  CHECK(rules("[email]\ndomain = \"mg.example.com\"\nfrom = \"voiceops@mg.example.com\"\n"
              "summaries_to = [\"desk@example.com,ops@example.com\"]\n") ==
        std::vector<std::string>{"bad-value"});
}

TEST_CASE("config messaging: [email] needs a domain for its addresses, and a from for its domain",
          "[config][messaging]") {
  CHECK(rules("[email]\nsummaries_to = [\"office@example.com\"]\n") ==
        std::vector<std::string>{"missing-field"});
  CHECK(rules("[email]\nalerts_to = [\"ops@example.com\"]\n") ==
        std::vector<std::string>{"missing-field"});
  CHECK(rules("[email]\ndomain = \"mg.example.com\"\n") ==
        std::vector<std::string>{"missing-field"});
  const auto d = diagnostics("[email]\nsummaries_to = [\"office@example.com\"]\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("domain") != std::string::npos);
}

TEST_CASE("config messaging: [messages] in range", "[config][messaging]") {
  const Config c = parsed("[messages]\nmax_attempts = 3\nretry_first_s = 5\nretry_max_s = 120\n");
  CHECK(c.messages.max_attempts == 3);
  CHECK(c.messages.retry_first_s == 5);
  CHECK(c.messages.retry_max_s == 120);
  CHECK(parsed("[messages]\nmax_attempts = 1\n").messages.max_attempts == 1);
  CHECK(parsed("[messages]\nmax_attempts = 100\n").messages.max_attempts == 100);
  CHECK(parsed("[messages]\nretry_max_s = 86400\n").messages.retry_max_s == 86400);
  for (const char* bad :
       {"max_attempts = 0", "max_attempts = 101", "retry_first_s = 0", "retry_first_s = 3601",
        "retry_max_s = 0", "retry_max_s = 86401", "max_attempts = -1"}) {
    INFO(bad);
    const auto found = errors(std::string("[messages]\n") + bad + "\n");
    REQUIRE(found.size() == 1);
    CHECK(found[0].starts_with("2:"));
  }
  CHECK(rules("[messages]\nmax_attempts = \"3\"\n") == std::vector<std::string>{"wrong-type"});
  CHECK(rules("[messages]\nmax_attempt = 3\n") == std::vector<std::string>{"unknown-key"});
}
