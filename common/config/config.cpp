#include "config/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "base/input_file.hpp"
#include "base/toml_reader.hpp"
#include "config/config_reader.hpp"

namespace voiceops::config {
namespace detail {

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// An http(s) URL of a server (and optional path), without query or fragment; an empty string
// when fine, else what is wrong.
std::string base_url_problem(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://"))
    rest = url.substr(8);
  else if (url.starts_with("http://"))
    rest = url.substr(7);
  else
    return "it does not start with https:// or http://";
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F)
      return "it holds a space or control character";
  }
  if (url.find_first_of("?#") != std::string_view::npos) return "it has a query or fragment";
  const std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.empty()) return "it has no host";
  if (authority.find('@') != std::string_view::npos) return "it holds a user name or password";
  return {};
}

}  // namespace detail

using namespace detail;

namespace {

constexpr std::size_t max_secret_bytes = 64 * 1024;
// sockaddr_un::sun_path holds 108 bytes, the terminating NUL included.
constexpr std::size_t max_socket_path = 107;

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_port(std::string_view text) {
  if (!all_digits(text) || text.size() > 5) return false;
  int port = 0;
  std::from_chars(text.data(), text.data() + text.size(), port);
  return port >= 1 && port <= 65535;
}

// "HOST:PORT" or "[IPV6]:PORT"; an empty string when fine, else what is wrong.
std::string listen_problem(std::string_view listen) {
  std::string_view host, port;
  if (!listen.empty() && listen.front() == '[') {
    const std::size_t bracket = listen.find(']');
    if (bracket == std::string_view::npos || bracket + 1 >= listen.size() ||
        listen[bracket + 1] != ':') {
      return "not [ADDRESS]:PORT";
    }
    host = listen.substr(1, bracket - 1);
    port = listen.substr(bracket + 2);
  } else {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return "missing the :PORT";
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return "an IPv6 address needs brackets";
  }
  if (host.empty()) return "missing the host or address before ':'";
  if (!valid_port(port)) return "the port is not a number from 1 to 65535";
  for (char c : host) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) return "a host name is ASCII (write an international name in its xn-- form)";
    if (byte <= ' ' || c == '/' || c == '@' || c == '[' || c == ']' || byte == 0x7F)
      return "the host holds a character a host name cannot have";
  }
  return {};
}

void read_server(const toml::table& node, Diagnostics& diagnostics, ServerConfig& server) {
  TableReader table(node, "server", diagnostics,
                    {"listen", "public_url", "control_socket", "events_token_file", "events_token",
                     "handler_threads"});
  ConfigReader r{table};
  r.refuse_secrets({"events_token"}, "events_token_file", "VOICEOPS_EVENTS_TOKEN",
                   "token for the live events stream");
  r.string_into("events_token_file", "\"/run/credentials/voiceopsd.service/events-token\"",
                server.events_token_file);
  if (auto threads = table.integer("handler_threads", Need::optional, 1, 256))
    server.handler_threads = static_cast<int>(threads->value);
  if (auto listen = r.string("listen", "\"127.0.0.1:8750\"")) {
    if (auto why = listen_problem(listen->value); !why.empty()) {
      r.bad_value(*listen, "listen", why, "write listen = \"127.0.0.1:8750\" or \"[::1]:8750\"");
    } else {
      server.listen = listen->value;
    }
  }
  if (auto url = r.string("public_url", "\"https://voice.example.com\"")) {
    if (auto why = base_url_problem(url->value); !why.empty()) {
      r.bad_value(*url, "public_url", why,
                  "the URL the carrier calls, as it signs it: public_url = "
                  "\"https://voice.example.com\"");
    } else {
      server.public_url = url->value;
      while (server.public_url.ends_with('/')) server.public_url.pop_back();
    }
  }
  if (auto socket = r.string("control_socket", "\"/run/voiceops/control.sock\"")) {
    if (socket->value.front() != '/') {
      r.bad_value(*socket, "control_socket", "not an absolute path",
                  "write control_socket = \"/run/voiceops/control.sock\"");
    } else if (socket->value.size() > max_socket_path) {
      r.bad_value(*socket, "control_socket",
                  "longer than the " + std::to_string(max_socket_path) +
                      " bytes a Unix socket path may have",
                  "choose a shorter path, e.g. /run/voiceops/control.sock");
    } else {
      server.control_socket = socket->value;
    }
  }
}

void read_store(const toml::table& node, Diagnostics& diagnostics, StoreConfig& store) {
  TableReader table(node, "store", diagnostics, {"path"});
  ConfigReader{table}.string_into("path", "\"/var/lib/voiceops/voiceops.db\"", store.path);
}

void read_contracts(const toml::table& node, Diagnostics& diagnostics, ContractsConfig& contracts) {
  TableReader table(node, "contracts", diagnostics, {"paths"});
  auto paths = table.text_list("paths", Need::optional);
  if (!paths) return;
  if (paths->empty()) {
    diagnostics.error("empty-value", table.key_location("paths"), "contracts.paths is empty",
                      "list the contract files or globs, e.g. paths = "
                      "[\"/etc/voiceops/contracts/*.toml\"]");
    return;
  }
  bool ok = true;
  for (const auto& path : *paths) {
    if (blank(path.value)) {
      diagnostics.error("empty-value", path.where, "an empty path in contracts.paths",
                        "remove the empty string from the list");
      ok = false;
    }
  }
  if (!ok) return;
  contracts.paths.clear();
  for (auto& path : *paths) contracts.paths.push_back(std::move(path.value));
}

void read_odoo(const toml::table& node, Diagnostics& diagnostics, OdooConfig& odoo) {
  TableReader table(node, "odoo", diagnostics,
                    {"url", "database", "user", "api_key_file", "protocol", "connect_timeout_ms",
                     "timeout_ms", "ca_file", "batch_size", "max_attempts", "retry_first_s",
                     "retry_max_s", "api_key", "key", "password", "secret", "token"});
  ConfigReader r{table};
  r.refuse_secrets({"api_key", "key", "password", "secret", "token"}, "api_key_file",
                   "ODOO_API_KEY", "Odoo API key");
  if (auto url = r.string("url", "\"https://odoo.example.com\"")) {
    if (auto why = base_url_problem(url->value); !why.empty()) {
      r.bad_value(*url, "url", why, "write url = \"https://odoo.example.com\"");
    } else {
      odoo.url = url->value;
      while (odoo.url.ends_with('/')) odoo.url.pop_back();
    }
  }
  r.string_into("database", "\"prod\"", odoo.database);
  r.string_into("user", "\"voiceops@example.com\"", odoo.user);
  r.string_into("api_key_file", "\"/run/credentials/voiceopsd.service/odoo-key\"",
                odoo.api_key_file);
  if (auto protocol = r.string("protocol", "\"auto\"")) {
    if (protocol->value != "auto" && protocol->value != "jsonrpc" && protocol->value != "json2") {
      r.bad_value(*protocol, "protocol", "not auto, jsonrpc or json2",
                  "auto probes the JSON-2 API (Odoo 19 and later) once and falls back to "
                  "/jsonrpc; write protocol = \"auto\"");
    } else {
      odoo.protocol = protocol->value;
    }
  }
  if (auto ms = table.integer("connect_timeout_ms", Need::optional, 100, 60000))
    odoo.connect_timeout_ms = static_cast<int>(ms->value);
  if (auto ms = table.integer("timeout_ms", Need::optional, 500, 300000))
    odoo.timeout_ms = static_cast<int>(ms->value);
  r.string_into("ca_file", "\"/etc/ssl/private-ca.pem\"", odoo.ca_file);
  if (auto size = table.integer("batch_size", Need::optional, 1, 500))
    odoo.batch_size = static_cast<int>(size->value);
  if (auto attempts = table.integer("max_attempts", Need::optional, 1, 100))
    odoo.max_attempts = static_cast<int>(attempts->value);
  if (auto seconds = table.integer("retry_first_s", Need::optional, 1, 86400))
    odoo.retry_first_s = static_cast<int>(seconds->value);
  if (auto seconds = table.integer("retry_max_s", Need::optional, 1, 7 * 86400))
    odoo.retry_max_s = static_cast<int>(seconds->value);
  if (table.has("url")) {
    if (!table.has("database")) table.missing("database", "\"prod\"");
    if (!table.has("user")) table.missing("user", "\"voiceops@example.com\"");
  }
}

void read_testing(const toml::table& node, Diagnostics& diagnostics, TestingConfig& testing) {
  TableReader table(node, "testing", diagnostics, {"scripted_integrations"});
  ConfigReader{table}.boolean_into("scripted_integrations", testing.scripted_integrations);
}

Diagnostics single_error(const std::string& file, const InputError& error) {
  Diagnostics diagnostics(file);
  diagnostics.error(error.rule, error.where, error.message, error.hint);
  return diagnostics;
}

SecretError secret_error(std::string message, std::string hint) {
  return SecretError{std::move(message), std::move(hint)};
}

}  // namespace

namespace detail {

Result<std::string, SecretError> secret(const std::string& file_setting, std::string_view table,
                                        std::string_view file_key, std::string_view variable,
                                        std::string_view what, const Config& config,
                                        const Environment& environment) {
  const std::string key = std::string(table) + "." + std::string(file_key);
  if (!file_setting.empty()) {
    auto value = read_secret_file(file_setting, what);
    if (!value) {
      const std::string& hint = value.error().hint;
      return unexpected(
          secret_error(value.error().message,
                       (hint.empty() ? "" : hint + "; ") + "check " + key + " in " + config.file));
    }
    return value;
  }
  if (auto value = environment(variable)) {
    const std::string_view trimmed = trim(*value);
    if (!trimmed.empty()) return std::string(trimmed);
  }
  const std::string elsewhere = config.file.empty() ? std::string("no configuration file was read")
                                                    : key + " is not set in " + config.file;
  return unexpected(secret_error(
      "no " + std::string(what) + ": " + std::string(variable) + " is not set, and " + elsewhere,
      "export " + std::string(variable) + ", or set " + std::string(file_key) +
          " = \"/path/to/file\" (a file holding only the secret) in [" + std::string(table) +
          "] of voiceops.toml(5)"));
}

}  // namespace detail

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
}

ConfigLocation locate_config(std::string_view config_option, const Environment& environment) {
  if (!config_option.empty()) return {std::string(config_option), ConfigLocation::Origin::option};
  if (auto path = environment("VOICEOPS_CONFIG"))
    return {std::move(*path), ConfigLocation::Origin::environment};
  return {std::string(default_config_path), ConfigLocation::Origin::default_path};
}

Result<Config, Diagnostics> parse_config(std::string_view text, const std::string& file) {
  if (auto problem = check_text(text)) {
    InputError error = *problem;
    error.hint = "voiceops.toml is UTF-8 TOML text";
    return unexpected(single_error(file, error));
  }
  auto parsed = parse_toml(text, file);
  if (!parsed) {
    Diagnostics diagnostics(file);
    diagnostics.add(parsed.error());
    return unexpected(std::move(diagnostics));
  }
  Config config;
  config.file = file;
  Diagnostics diagnostics(file);
  TableReader root(
      *parsed, "", diagnostics,
      {"server", "store", "twilio", "contracts", "odoo", "email", "messages", "testing"});
  if (const auto* t = root.table("server", Need::optional))
    read_server(*t, diagnostics, config.server);
  if (const auto* t = root.table("store", Need::optional))
    read_store(*t, diagnostics, config.store);
  if (const auto* t = root.table("twilio", Need::optional))
    read_twilio(*t, diagnostics, config.twilio);
  if (const auto* t = root.table("contracts", Need::optional))
    read_contracts(*t, diagnostics, config.contracts);
  if (const auto* t = root.table("odoo", Need::optional)) read_odoo(*t, diagnostics, config.odoo);
  if (const auto* t = root.table("email", Need::optional))
    read_email(*t, diagnostics, config.email);
  if (const auto* t = root.table("messages", Need::optional))
    read_messages(*t, diagnostics, config.messages);
  if (const auto* t = root.table("testing", Need::optional))
    read_testing(*t, diagnostics, config.testing);

  if (!config.twilio.validate_signatures) {
    const auto* twilio = parsed->get_as<toml::table>("twilio");
    diagnostics.warning(
        "signatures-off",
        twilio ? location_of(twilio->get("validate_signatures")->source()) : SourceLocation{},
        "twilio.validate_signatures is false: forged webhooks will be accepted",
        "switch it off only on a test machine no carrier can reach");
  }
  if (config.testing.scripted_integrations) {
    const auto* testing = parsed->get_as<toml::table>("testing");
    diagnostics.warning(
        "scripted-integrations",
        testing ? location_of(testing->get("scripted_integrations")->source()) : SourceLocation{},
        "testing.scripted_integrations is on: test calls may script what real systems answer",
        "a staging-only switch; never turn it on for a production daemon");
  }
  diagnostics.sort();
  if (diagnostics.has_errors()) return unexpected(std::move(diagnostics));
  config.warnings = diagnostics.all();
  return config;
}

Result<Config, Diagnostics> load_config(const ConfigLocation& location) {
  auto text = read_input_file(location.path);
  if (!text) {
    if (text.error().rule == "missing-file" && !location.must_exist()) return Config{};
    InputError error = text.error();
    if (error.rule == "missing-file") {
      error.hint = location.origin == ConfigLocation::Origin::option
                       ? "--config names a file that does not exist; check the path"
                       : "$VOICEOPS_CONFIG names a file that does not exist; check it, or unset "
                         "it to use " +
                             std::string(default_config_path);
    } else if (error.rule == "too-large") {
      error.hint = "a configuration file is a few hundred bytes; is this the right file?";
    }
    return unexpected(single_error(location.path, error));
  }
  return parse_config(*text, location.path);
}

Result<std::string, SecretError> read_secret_file(const std::string& path, std::string_view what) {
  auto text = read_input_file(path, max_secret_bytes);
  if (!text) {
    const InputError& e = text.error();
    std::string hint;
    if (e.rule == "permission") hint = "the file must be readable by the user voiceops runs as";
    return unexpected(secret_error(
        "cannot read the " + std::string(what) + " file: " +
            (e.rule == "too-large" ? "'" + path + "' is larger than 64 KiB" : e.message),
        std::move(hint)));
  }
  const std::string_view value = trim(*text);
  const std::string where = "the " + std::string(what) + " file '" + path + "'";
  if (value.empty())
    return unexpected(secret_error(where + " is empty", "write the secret into it"));
  if (value.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos) {
    return unexpected(secret_error(where + " holds more than one line",
                                   "keep only the secret in it, on one line"));
  }
  return std::string(value);
}

Result<std::string, SecretError> twilio_auth_token(const Config& config,
                                                   const Environment& environment) {
  return secret(config.twilio.auth_token_file, "twilio", "auth_token_file", "TWILIO_AUTH_TOKEN",
                "Twilio auth token", config, environment);
}

Result<std::string, SecretError> twilio_rest_secret(const Config& config,
                                                    const Environment& environment) {
  if (config.twilio.api_key_sid.empty()) return twilio_auth_token(config, environment);
  return secret(config.twilio.api_key_secret_file, "twilio", "api_key_secret_file",
                "TWILIO_API_KEY_SECRET", "Twilio API key secret", config, environment);
}

Result<std::string, SecretError> mailgun_api_key(const Config& config,
                                                 const Environment& environment) {
  return secret(config.email.api_key_file, "email", "api_key_file", "MAILGUN_API_KEY",
                "Mailgun API key", config, environment);
}

Result<std::string, SecretError> events_token(const Config& config,
                                              const Environment& environment) {
  return secret(config.server.events_token_file, "server", "events_token_file",
                "VOICEOPS_EVENTS_TOKEN", "token for the live events stream", config, environment);
}

Result<std::string, SecretError> odoo_api_key(const Config& config,
                                              const Environment& environment) {
  return secret(config.odoo.api_key_file, "odoo", "api_key_file", "ODOO_API_KEY", "Odoo API key",
                config, environment);
}

}  // namespace voiceops::config
