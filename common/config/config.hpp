#pragma once
// voiceops.toml(5): the one configuration file both programs read. Closed tables (an unknown key
// is an error with a "did you mean"), typed values, file:line:column diagnostics. Secrets are
// never in it: only the files holding them, or the environment.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/result.hpp"

namespace voiceops::config {

inline constexpr std::string_view default_config_path = "/etc/voiceops/voiceops.toml";

// Looks up an environment variable; unset and empty are both "not set" (std::nullopt).
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
// The process environment (getenv).
Environment process_environment();

struct ConfigLocation {
  enum class Origin { option, environment, default_path };
  std::string path;
  Origin origin = Origin::default_path;
  // A file named by --config or $VOICEOPS_CONFIG must exist; the default one may be absent.
  bool must_exist() const { return origin != Origin::default_path; }
};

// --config FILE, else $VOICEOPS_CONFIG, else /etc/voiceops/voiceops.toml.
ConfigLocation locate_config(std::string_view config_option, const Environment& environment);

struct ServerConfig {
  std::string listen = "127.0.0.1:8750";
  std::string public_url;  // no trailing '/'; empty: not configured
  std::string control_socket = "/run/voiceops/control.sock";
  std::string events_token_file;  // empty: $VOICEOPS_EVENTS_TOKEN; neither: GET /events is off
  int handler_threads = 16;       // webhooks waiting for their commit or a tool call
};

struct StoreConfig {
  std::string path = "/var/lib/voiceops/voiceops.db";
};

struct TwilioConfig {
  std::string auth_token_file;  // empty: $TWILIO_AUTH_TOKEN
  bool validate_signatures = true;
  // The REST API, for texts and `voiceops twilio check-number`: empty account_sid, not set up.
  std::string account_sid;
  std::string api_url = "https://api.twilio.com";
  std::string api_key_sid;          // set: authenticate with this API key instead of the token
  std::string api_key_secret_file;  // its secret; empty: $TWILIO_API_KEY_SECRET
  // Where the operator hosts `voiceops rollback plan --fallback-twiml` (a TwiML Bin, a static
  // server off this machine): each number's fallback URL must be it. Empty: any, off this host.
  std::string fallback_url;
  std::string messaging_service_sid;  // texts from this Messaging Service...
  std::string sms_from;               // ...or this number; neither: the number the call came to
  int timeout_ms = 10000;             // one REST request, connecting included
};

struct ContractsConfig {
  std::vector<std::string> paths = {"/etc/voiceops/contracts/*.toml"};
};

struct OdooConfig {
  std::string url;  // empty: no Odoo export configured
  std::string database;
  std::string user;
  std::string api_key_file;       // empty: $ODOO_API_KEY
  std::string protocol = "auto";  // auto (probe JSON-2 once, else /jsonrpc), jsonrpc or json2
  int connect_timeout_ms = 3000;
  int timeout_ms = 10000;  // one request to Odoo, connecting included (the outbox, the CLI)
  std::string ca_file;     // PEM to trust instead of the system's CAs (a private CA)
  int batch_size = 50;     // finished calls per `load` request
  int max_attempts = 12;   // an export still failing after this many tries is a dead letter
  int retry_first_s = 30;  // the wait after a first failed export, doubled after each one...
  int retry_max_s = 3600;  // ...up to this
};

// Mailgun, for staff summaries and alerts by email: empty domain, not set up.
struct EmailConfig {
  std::string region = "us";  // us or eu: picks api_url's default
  std::string api_url;       // empty: https://api.mailgun.net (us), https://api.eu.mailgun.net (eu)
  std::string domain;        // the sending domain, e.g. mg.example.com
  std::string api_key_file;  // empty: $MAILGUN_API_KEY
  std::string from;          // "Voiceops <voiceops@mg.example.com>"
  std::vector<std::string> summaries_to;  // staff summaries for queue and voicemail destinations
  std::vector<std::string> alerts_to;     // dead letters and pages that failed
  int timeout_ms = 10000;
  std::string effective_api_url() const {
    if (!api_url.empty()) return api_url;
    return region == "eu" ? "https://api.eu.mailgun.net" : "https://api.mailgun.net";
  }
};

// The message outbox (texts and emails): how often a failed send is tried, and how far apart.
struct MessagesConfig {
  int max_attempts = 10;
  int retry_first_s = 10;  // doubled after each failure...
  int retry_max_s = 900;   // ...up to this
};

struct TestingConfig {
  bool scripted_integrations = false;
};

struct Config {
  ServerConfig server;
  StoreConfig store;
  TwilioConfig twilio;
  ContractsConfig contracts;
  OdooConfig odoo;
  EmailConfig email;
  MessagesConfig messages;
  TestingConfig testing;
  std::string file;                  // the file read; empty when none was (all defaults)
  std::vector<Diagnostic> warnings;  // e.g. signature validation switched off
};

// Parses the text of a configuration file; `file` names it in diagnostics. On failure the
// diagnostics hold at least one error (warnings too, if any).
Result<Config, Diagnostics> parse_config(std::string_view text, const std::string& file);

// Reads and parses the file at `location`. A missing default file gives the defaults; a missing
// file named by --config or $VOICEOPS_CONFIG, an unreadable or malformed one is an error.
// Every error here is a bad configuration: exit status 78 (ExitStatus::config).
Result<Config, Diagnostics> load_config(const ConfigLocation& location);

// Why a secret could not be had; exit status 78 too. Never contains the secret.
struct SecretError {
  std::string message;
  std::string hint;
};

// The carrier's auth token: from [twilio] auth_token_file when set, else $TWILIO_AUTH_TOKEN.
Result<std::string, SecretError> twilio_auth_token(const Config& config,
                                                   const Environment& environment);
// The REST API's password: the API key's secret ([twilio] api_key_secret_file, else
// $TWILIO_API_KEY_SECRET) when api_key_sid is set, else the auth token.
Result<std::string, SecretError> twilio_rest_secret(const Config& config,
                                                    const Environment& environment);
// Mailgun's API key: [email] api_key_file, else $MAILGUN_API_KEY.
Result<std::string, SecretError> mailgun_api_key(const Config& config,
                                                 const Environment& environment);
// The bearer token GET /events requires: [server] events_token_file, else $VOICEOPS_EVENTS_TOKEN.
Result<std::string, SecretError> events_token(const Config& config, const Environment& environment);
// The Odoo API key: from [odoo] api_key_file when set, else $ODOO_API_KEY.
Result<std::string, SecretError> odoo_api_key(const Config& config, const Environment& environment);

// Reads a secret file: at most 64 KiB, one line; trailing whitespace and newline removed.
Result<std::string, SecretError> read_secret_file(const std::string& path, std::string_view what);

}  // namespace voiceops::config
