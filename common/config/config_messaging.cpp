// voiceops.toml's tables for what leaves voiceopsd outside the call: the carrier's REST API
// ([twilio]), Mailgun ([email]) and the message outbox's retries ([messages]).
#include <algorithm>
#include <cctype>

#include "base/carrier_ids.hpp"
#include "config/config_reader.hpp"

namespace voiceops::config::detail {
namespace {

// A plain address (local@domain.tld) or a display form ("Name <local@domain.tld>").
bool email_address(std::string_view text) {
  if (const auto open = text.rfind('<'); open != std::string_view::npos) {
    if (!text.ends_with('>')) return false;
    text = text.substr(open + 1, text.size() - open - 2);
  }
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = text.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.')
    return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',' || c == ';';
  });
}

void read_sid(ConfigReader& r, std::string_view key, std::string_view prefix,
              std::string_view example, std::string& target) {
  auto value = r.string(key, example);
  if (!value) return;
  if (!is_sid(value->value, prefix)) {
    r.bad_value(*value, key, "not " + std::string(prefix) + " followed by 32 hexadecimal digits",
                "copy it from the carrier's console, e.g. " + std::string(key) + " = " +
                    std::string(example));
    return;
  }
  target = value->value;
}

void read_addresses(TableReader& table, std::string_view key, std::vector<std::string>& target) {
  auto list = table.text_list(key, Need::optional);
  if (!list) return;
  std::vector<std::string> addresses;
  for (const auto& address : *list) {
    if (!email_address(address.value)) {
      table.diagnostics().error(
          "bad-value", address.where,
          table.qualified(key) + ": \"" + address.value + "\" is not an email address",
          "write it as \"ops@example.com\" or \"On call <ops@example.com>\"");
      continue;
    }
    addresses.push_back(address.value);
  }
  target = std::move(addresses);
}

}  // namespace

void read_twilio(const toml::table& node, Diagnostics& diagnostics, TwilioConfig& twilio) {
  TableReader table(node, "twilio", diagnostics,
                    {"auth_token_file", "validate_signatures", "account_sid", "api_url",
                     "api_key_sid", "api_key_secret_file", "fallback_url", "messaging_service_sid",
                     "sms_from", "timeout_ms", "auth_token", "token", "secret", "api_key_secret"});
  ConfigReader r{table};
  r.refuse_secrets({"auth_token", "token", "secret"}, "auth_token_file", "TWILIO_AUTH_TOKEN",
                   "carrier's auth token");
  r.refuse_secrets({"api_key_secret"}, "api_key_secret_file", "TWILIO_API_KEY_SECRET",
                   "carrier's API key secret");
  r.string_into("auth_token_file", "\"/run/credentials/voiceopsd.service/twilio-token\"",
                twilio.auth_token_file);
  r.boolean_into("validate_signatures", twilio.validate_signatures);
  read_sid(r, "account_sid", "AC", "\"AC0123456789abcdef0123456789abcdef\"", twilio.account_sid);
  if (auto url = r.string("api_url", "\"https://api.twilio.com\"")) {
    if (auto why = base_url_problem(url->value); !why.empty()) {
      r.bad_value(*url, "api_url", why,
                  "leave it out for the carrier's own, https://api.twilio.com");
    } else {
      twilio.api_url = url->value;
      while (twilio.api_url.ends_with('/')) twilio.api_url.pop_back();
    }
  }
  read_sid(r, "api_key_sid", "SK", "\"SK0123456789abcdef0123456789abcdef\"", twilio.api_key_sid);
  r.string_into("api_key_secret_file", "\"/run/credentials/voiceopsd.service/twilio-key\"",
                twilio.api_key_secret_file);
  if (auto url = r.string("fallback_url", "\"https://handler.twilio.com/twiml/EH0123...\"")) {
    if (auto why = base_url_problem(url->value); !why.empty()) {
      r.bad_value(*url, "fallback_url", why,
                  "the URL serving `voiceops rollback plan --fallback-twiml`, e.g. a TwiML Bin's");
    } else {
      twilio.fallback_url = url->value;
    }
  }
  read_sid(r, "messaging_service_sid", "MG", "\"MG0123456789abcdef0123456789abcdef\"",
           twilio.messaging_service_sid);
  if (auto from = r.string("sms_from", "\"+15125550101\"")) {
    if (!is_e164(from->value)) {
      r.bad_value(*from, "sms_from", "not an E.164 number",
                  "write the account's number as +15125550101");
    } else {
      twilio.sms_from = from->value;
    }
  }
  if (auto ms = table.integer("timeout_ms", Need::optional, 500, 60000))
    twilio.timeout_ms = static_cast<int>(ms->value);
  if (!twilio.messaging_service_sid.empty() && !twilio.sms_from.empty()) {
    diagnostics.error("conflicting-keys", table.key_location("sms_from"),
                      "twilio.sms_from and twilio.messaging_service_sid are both set",
                      "keep one: the Messaging Service picks its own sender");
  }
  if (table.has("api_key_secret_file") && !table.has("api_key_sid")) {
    diagnostics.error("missing-field", table.key_location("api_key_secret_file"),
                      "twilio.api_key_secret_file is set without twilio.api_key_sid",
                      "add api_key_sid = \"SK...\", the key the secret belongs to");
  }
  if ((table.has("api_key_sid") || table.has("messaging_service_sid") || table.has("sms_from")) &&
      !table.has("account_sid")) {
    table.missing("account_sid", "\"AC0123456789abcdef0123456789abcdef\"");
  }
}

void read_email(const toml::table& node, Diagnostics& diagnostics, EmailConfig& email) {
  TableReader table(node, "email", diagnostics,
                    {"region", "api_url", "domain", "api_key_file", "from", "summaries_to",
                     "alerts_to", "timeout_ms", "api_key", "key", "password", "secret"});
  ConfigReader r{table};
  r.refuse_secrets({"api_key", "key", "password", "secret"}, "api_key_file", "MAILGUN_API_KEY",
                   "Mailgun API key");
  if (auto region = r.string("region", "\"us\"")) {
    if (region->value != "us" && region->value != "eu") {
      r.bad_value(*region, "region", "not us or eu",
                  "write the region the Mailgun domain was created in: region = \"eu\"");
    } else {
      email.region = region->value;
    }
  }
  if (auto url = r.string("api_url", "\"https://api.mailgun.net\"")) {
    if (auto why = base_url_problem(url->value); !why.empty()) {
      r.bad_value(*url, "api_url", why, "leave it out: region picks Mailgun's own");
    } else {
      email.api_url = url->value;
      while (email.api_url.ends_with('/')) email.api_url.pop_back();
    }
  }
  if (auto domain = r.string("domain", "\"mg.example.com\"")) {
    const std::string& d = domain->value;
    if (d.find('.') == std::string::npos || std::any_of(d.begin(), d.end(), [](char c) {
          return !(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-');
        })) {
      r.bad_value(*domain, "domain", "not a domain name",
                  "write the sending domain as Mailgun lists it, e.g. mg.example.com");
    } else {
      email.domain = d;
    }
  }
  r.string_into("api_key_file", "\"/run/credentials/voiceopsd.service/mailgun-key\"",
                email.api_key_file);
  if (auto from = r.string("from", "\"Voiceops <voiceops@mg.example.com>\"")) {
    if (!email_address(from->value)) {
      r.bad_value(*from, "from", "not an email address",
                  "write from = \"Voiceops <voiceops@mg.example.com>\"");
    } else {
      email.from = from->value;
    }
  }
  read_addresses(table, "summaries_to", email.summaries_to);
  read_addresses(table, "alerts_to", email.alerts_to);
  if (auto ms = table.integer("timeout_ms", Need::optional, 500, 60000))
    email.timeout_ms = static_cast<int>(ms->value);
  if (table.has("domain") && !table.has("from"))
    table.missing("from", "\"Voiceops <voiceops@mg.example.com>\"");
  if (!table.has("domain") && (table.has("summaries_to") || table.has("alerts_to")))
    table.missing("domain", "\"mg.example.com\"");
}

void read_messages(const toml::table& node, Diagnostics& diagnostics, MessagesConfig& messages) {
  TableReader table(node, "messages", diagnostics,
                    {"max_attempts", "retry_first_s", "retry_max_s"});
  if (auto attempts = table.integer("max_attempts", Need::optional, 1, 100))
    messages.max_attempts = static_cast<int>(attempts->value);
  if (auto seconds = table.integer("retry_first_s", Need::optional, 1, 3600))
    messages.retry_first_s = static_cast<int>(seconds->value);
  if (auto seconds = table.integer("retry_max_s", Need::optional, 1, 86400))
    messages.retry_max_s = static_cast<int>(seconds->value);
}

}  // namespace voiceops::config::detail
