#pragma once
// What config.cpp and config_messaging.cpp share to read voiceops.toml's tables: the readers of
// keys with their diagnostics, URL and secret checks. Not part of config's interface.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "base/toml_reader.hpp"
#include "config/config.hpp"

namespace voiceops::config::detail {

bool blank(std::string_view text);
std::string_view trim(std::string_view text);
// An http(s) URL of a server (and optional path), without query or fragment; an empty string
// when fine, else what is wrong.
std::string base_url_problem(std::string_view url);

struct ConfigReader {
  TableReader& table;

  // A string key that, when present, must be non-blank.
  std::optional<Text> string(std::string_view key, std::string_view example) {
    auto value = table.text(key, Need::optional);
    if (!value) return std::nullopt;
    if (blank(value->value)) {
      table.diagnostics().error("empty-value", value->where, table.qualified(key) + " is empty",
                                "remove the line to use the default, or write " + std::string(key) +
                                    " = " + std::string(example));
      return std::nullopt;
    }
    return value;
  }

  void string_into(std::string_view key, std::string_view example, std::string& target) {
    if (auto value = string(key, example)) target = std::move(value->value);
  }

  void boolean_into(std::string_view key, bool& target) {
    if (auto value = table.boolean(key, Need::optional)) target = value->value;
  }

  // The value is quoted in the message, unless it may carry a password (user:password@host).
  void bad_value(const Text& value, std::string_view key, const std::string& why,
                 std::string hint) {
    const bool may_hold_secret = value.value.find('@') != std::string::npos;
    table.diagnostics().error(
        "bad-value", value.where,
        table.qualified(key) + (may_hold_secret ? "" : " \"" + value.value + "\"") + ": " + why,
        std::move(hint));
  }

  // Keys that would hold a secret inline are refused, pointing at the file or the environment.
  void refuse_secrets(std::initializer_list<std::string_view> keys, std::string_view file_key,
                      std::string_view environment_variable, std::string_view what) {
    for (std::string_view key : keys) {
      if (!table.has(key)) continue;
      table.diagnostics().error("secret-inline", table.key_location(key),
                                table.qualified(key) + ": the " + std::string(what) +
                                    " is never read from the configuration file",
                                "put it in a file only voiceops can read and set " +
                                    std::string(file_key) + " = \"/path/to/file\", or set " +
                                    std::string(environment_variable) +
                                    " in the environment; then remove this line");
    }
  }
};

// A secret from its file setting when set, else from the environment variable.
Result<std::string, SecretError> secret(const std::string& file_setting, std::string_view table,
                                        std::string_view file_key, std::string_view variable,
                                        std::string_view what, const Config& config,
                                        const Environment& environment);

// The tables config_messaging.cpp reads.
void read_twilio(const toml::table& node, Diagnostics& diagnostics, TwilioConfig& twilio);
void read_email(const toml::table& node, Diagnostics& diagnostics, EmailConfig& email);
void read_messages(const toml::table& node, Diagnostics& diagnostics, MessagesConfig& messages);

}  // namespace voiceops::config::detail
