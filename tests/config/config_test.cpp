#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config/config.hpp"

using namespace voiceops;
using namespace voiceops::config;

namespace {

std::filesystem::path scratch() {
  auto dir = std::filesystem::temp_directory_path() /
             ("voiceops-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  const auto path = scratch() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

Environment environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

Config parsed(const std::string& text) {
  auto result = parse_config(text, "voiceops.toml");
  if (!result) {
    for (const auto& d : result.error().all()) UNSCOPED_INFO(d.message << " / " << d.hint);
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
    if (d.severity == Severity::error)
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " +
                    d.rule);
  }
  return out;
}

const Diagnostic& first_error(const Result<Config, Diagnostics>& result) {
  REQUIRE_FALSE(result);
  REQUIRE_FALSE(result.error().all().empty());
  return result.error().all().front();
}

constexpr const char* design_example = R"(
[server]
listen = "127.0.0.1:8750"                 # HTTP for the carrier's webhooks, health, metrics
public_url = "https://voice.example.com"  # the URL the carrier signs requests against
control_socket = "/run/voiceops/control.sock"
[store]
path = "/var/lib/voiceops/voiceops.db"
[twilio]
auth_token_file = "/run/credentials/voiceopsd.service/twilio-token"  # or env TWILIO_AUTH_TOKEN
validate_signatures = true
[contracts]
paths = ["/etc/voiceops/contracts/*.toml"]
[odoo]
url = "https://odoo.example.com"
database = "prod"
user = "voiceops@example.com"
api_key_file = "/run/credentials/voiceopsd.service/odoo-key"          # or env ODOO_API_KEY
[testing]
scripted_integrations = false
)";

}  // namespace

TEST_CASE("config: the design's example reads as written", "[config]") {
  const Config c = parsed(design_example);
  CHECK(c.file == "voiceops.toml");
  CHECK(c.server.listen == "127.0.0.1:8750");
  CHECK(c.server.public_url == "https://voice.example.com");
  CHECK(c.server.control_socket == "/run/voiceops/control.sock");
  CHECK(c.store.path == "/var/lib/voiceops/voiceops.db");
  CHECK(c.twilio.auth_token_file == "/run/credentials/voiceopsd.service/twilio-token");
  CHECK(c.twilio.validate_signatures);
  CHECK(c.contracts.paths == std::vector<std::string>{"/etc/voiceops/contracts/*.toml"});
  CHECK(c.odoo.url == "https://odoo.example.com");
  CHECK(c.odoo.database == "prod");
  CHECK(c.odoo.user == "voiceops@example.com");
  CHECK(c.odoo.api_key_file == "/run/credentials/voiceopsd.service/odoo-key");
  CHECK_FALSE(c.testing.scripted_integrations);
  CHECK(c.warnings.empty());
}

TEST_CASE("config: defaults for everything left out", "[config]") {
  for (const char* text : {"", "# nothing\n", "[server]\n[odoo]\n"}) {
    const Config c = parsed(text);
    CHECK(c.server.listen == "127.0.0.1:8750");
    CHECK(c.server.public_url.empty());
    CHECK(c.server.control_socket == "/run/voiceops/control.sock");
    CHECK(c.store.path == "/var/lib/voiceops/voiceops.db");
    CHECK(c.twilio.auth_token_file.empty());
    CHECK(c.twilio.validate_signatures);
    CHECK(c.contracts.paths == std::vector<std::string>{"/etc/voiceops/contracts/*.toml"});
    CHECK(c.odoo.url.empty());
    CHECK_FALSE(c.testing.scripted_integrations);
    CHECK(c.server.handler_threads == 16);
  }
  const Config c = parsed(
      "[server]\nlisten = \"[::1]:9000\"\npublic_url = \"https://v.example.com/voice/\"\n"
      "handler_threads = 64\n[contracts]\npaths = [\"a.toml\", \"/b/*.toml\"]\n");
  CHECK(c.server.handler_threads == 64);
  CHECK(c.server.listen == "[::1]:9000");
  CHECK(c.server.public_url == "https://v.example.com/voice");  // no trailing '/'
  CHECK(c.contracts.paths == std::vector<std::string>{"a.toml", "/b/*.toml"});
}

TEST_CASE("config: unknown keys and tables, with a did-you-mean", "[config]") {
  auto result = parse_config("[server]\nlisten = \"127.0.0.1:1\"\npublic_ulr = \"https://x\"\n",
                             "/etc/voiceops/voiceops.toml");
  const Diagnostic& d = first_error(result);
  CHECK(d.file == "/etc/voiceops/voiceops.toml");
  CHECK(d.rule == "unknown-key");
  CHECK(d.where.line == 3);
  CHECK(d.where.column == 1);
  CHECK(d.message == "unknown key 'server.public_ulr'");
  CHECK(d.hint == "did you mean 'public_url'?");
  CHECK(errors("[twillio]\nvalidate_signatures = true\n") ==
        std::vector<std::string>{"1:2 unknown-key"});
  CHECK(first_error(parse_config("[twillio]\n", "f")).hint == "did you mean 'twilio'?");
  CHECK(errors("[testing]\nscripted_integration = true\n") ==
        std::vector<std::string>{"2:1 unknown-key"});
  CHECK(errors("listen = \"127.0.0.1:8750\"\n") == std::vector<std::string>{"1:1 unknown-key"});
}

TEST_CASE("config: typed values, located", "[config]") {
  CHECK(errors("[twilio]\nvalidate_signatures = \"yes\"\n") ==
        std::vector<std::string>{"2:23 wrong-type"});
  CHECK(errors("[server]\nlisten = 8750\n") == std::vector<std::string>{"2:10 wrong-type"});
  CHECK(errors("[contracts]\npaths = \"/etc/voiceops/contracts/*.toml\"\n") ==
        std::vector<std::string>{"2:9 wrong-type"});
  CHECK(errors("[contracts]\npaths = []\n") == std::vector<std::string>{"2:1 empty-value"});
  CHECK(errors("[contracts]\npaths = [\"a\", \"\"]\n") ==
        std::vector<std::string>{"2:15 empty-value"});
  CHECK(errors("server = 1\n") == std::vector<std::string>{"1:10 wrong-type"});
  CHECK(errors("[store]\npath = \"\"\n") == std::vector<std::string>{"2:8 empty-value"});
  for (const char* threads : {"0", "257", "-1", "2.5", "\"8\""}) {
    INFO(threads);
    CHECK(errors("[server]\nhandler_threads = " + std::string(threads) + "\n").size() == 1);
  }
  for (const char* listen : {"8750", "127.0.0.1", ":8750", "127.0.0.1:0", "127.0.0.1:65536",
                             "127.0.0.1:http", "::1:8750", "[::1]8750", "a b:1", "[::1"}) {
    INFO(listen);
    CHECK(errors("[server]\nlisten = \"" + std::string(listen) + "\"\n") ==
          std::vector<std::string>{"2:10 bad-value"});
  }
  for (const char* url : {"voice.example.com", "ftp://x", "https://", "https:///x",
                          "https://x/y?z=1", "https://x/#f", "https://user:pw@x", "https://x y"}) {
    INFO(url);
    CHECK(errors("[server]\npublic_url = \"" + std::string(url) + "\"\n") ==
          std::vector<std::string>{"2:14 bad-value"});
    CHECK(errors("[odoo]\nurl = \"" + std::string(url) + "\"\ndatabase = \"d\"\nuser = \"u\"\n") ==
          std::vector<std::string>{"2:7 bad-value"});
  }
  const auto credentials =
      parse_config("[odoo]\nurl = \"https://admin:hunter2@odoo.example.com\"\n", "f");
  REQUIRE_FALSE(credentials);
  for (const auto& d : credentials.error().all()) {
    CHECK(d.message.find("hunter2") == std::string::npos);
    CHECK(d.hint.find("hunter2") == std::string::npos);
  }
  CHECK(errors("[odoo]\nurl = \"https://admin:hunter2@odoo.example.com\"\n").back() ==
        "2:7 bad-value");
  CHECK(errors("[server]\ncontrol_socket = \"run/control.sock\"\n") ==
        std::vector<std::string>{"2:18 bad-value"});
  CHECK(errors("[server]\ncontrol_socket = \"/" + std::string(120, 'x') + "\"\n") ==
        std::vector<std::string>{"2:18 bad-value"});
  CHECK(errors("[odoo]\nurl = \"https://odoo.example.com\"\n") ==
        std::vector<std::string>{"1:1 missing-field", "1:1 missing-field"});
  // The export's own settings, each in its range.
  CHECK(errors("[odoo]\nprotocol = \"xmlrpc\"\n") == std::vector<std::string>{"2:12 bad-value"});
  CHECK(errors("[odoo]\nbatch_size = 0\n").size() == 1);
  CHECK(errors("[odoo]\nbatch_size = 501\n").size() == 1);
  CHECK(errors("[odoo]\ntimeout_ms = 10\n").size() == 1);
  CHECK(errors("[odoo]\nmax_attempts = \"5\"\n").size() == 1);
  auto tuned = parse_config(
      "[odoo]\nprotocol = \"json2\"\nbatch_size = 200\nmax_attempts = 3\ntimeout_ms = 4000\n"
      "connect_timeout_ms = 500\nretry_first_s = 5\nretry_max_s = 60\nca_file = \"/etc/ca.pem\"\n",
      "f");
  REQUIRE(tuned);
  CHECK(tuned->odoo.protocol == "json2");
  CHECK(tuned->odoo.batch_size == 200);
  CHECK(tuned->odoo.max_attempts == 3);
  CHECK(tuned->odoo.timeout_ms == 4000);
  CHECK(tuned->odoo.connect_timeout_ms == 500);
  CHECK(tuned->odoo.retry_first_s == 5);
  CHECK(tuned->odoo.retry_max_s == 60);
  CHECK(tuned->odoo.ca_file == "/etc/ca.pem");
  // Several problems are all reported, top to bottom.
  CHECK(errors("[server]\nlisten = 1\n[twilio]\nvalidate_signature = true\n") ==
        std::vector<std::string>{"2:10 wrong-type", "4:1 unknown-key"});
}

TEST_CASE("config: a secret inline is refused without echoing it", "[config]") {
  for (const auto& [text, key] :
       {std::pair<std::string, std::string>{"[twilio]\nauth_token = \"s3cr3t-token\"\n",
                                            "twilio.auth_token"},
        {"[twilio]\ntoken = \"s3cr3t-token\"\n", "twilio.token"},
        {"[odoo]\napi_key = \"s3cr3t-token\"\n", "odoo.api_key"},
        {"[odoo]\npassword = \"s3cr3t-token\"\n", "odoo.password"},
        {"[server]\nevents_token = \"s3cr3t-token\"\n", "server.events_token"}}) {
    auto result = parse_config(text, "voiceops.toml");
    const Diagnostic& d = first_error(result);
    CHECK(result.error().all().size() == 1);
    CHECK(d.rule == "secret-inline");
    CHECK(d.where.line == 2);
    CHECK(d.message.find(key) == 0);
    const char* variable = key.starts_with("twilio")   ? "TWILIO_AUTH_TOKEN"
                           : key.starts_with("server") ? "VOICEOPS_EVENTS_TOKEN"
                                                       : "ODOO_API_KEY";
    CHECK(d.hint.find(variable) != std::string::npos);
    CHECK(d.hint.find("_file") != std::string::npos);
    CHECK(d.message.find("s3cr3t") == std::string::npos);
    CHECK(d.hint.find("s3cr3t") == std::string::npos);
  }
}

TEST_CASE("config: malformed files", "[config]") {
  CHECK(errors("[server\n") == std::vector<std::string>{"1:8 parse-error"});
  CHECK(errors("[server]\nlisten = \"a:1\"\nlisten = \"b:2\"\n").front().ends_with("parse-error"));
  CHECK(errors(std::string("[server]\n\0", 10)) == std::vector<std::string>{"2:1 encoding"});
  CHECK(errors("a = \"\xff\"\n") == std::vector<std::string>{"1:6 encoding"});
}

TEST_CASE("config: warnings for switches that weaken the daemon", "[config]") {
  const Config c =
      parsed("[twilio]\nvalidate_signatures = false\n[testing]\nscripted_integrations = true\n");
  CHECK_FALSE(c.twilio.validate_signatures);
  CHECK(c.testing.scripted_integrations);
  REQUIRE(c.warnings.size() == 2);
  CHECK(c.warnings[0].rule == "signatures-off");
  CHECK(c.warnings[0].where.line == 2);
  CHECK(c.warnings[1].rule == "scripted-integrations");
  CHECK(c.warnings[1].where.line == 4);
}

TEST_CASE("config: where the file is found", "[config]") {
  const auto none = environment({});
  const auto with_env = environment({{"VOICEOPS_CONFIG", "/srv/voiceops.toml"}});
  auto l = locate_config("/tmp/mine.toml", with_env);
  CHECK(l.path == "/tmp/mine.toml");
  CHECK(l.origin == ConfigLocation::Origin::option);
  CHECK(l.must_exist());
  l = locate_config("", with_env);
  CHECK(l.path == "/srv/voiceops.toml");
  CHECK(l.origin == ConfigLocation::Origin::environment);
  CHECK(l.must_exist());
  l = locate_config("", none);
  CHECK(l.path == "/etc/voiceops/voiceops.toml");
  CHECK_FALSE(l.must_exist());
  CHECK(locate_config("", environment({{"VOICEOPS_CONFIG", ""}})).path == l.path);

  // A missing default file is fine; a missing named one is not.
  const std::string missing = (scratch() / "missing.toml").string();
  auto defaults = load_config({missing, ConfigLocation::Origin::default_path});
  REQUIRE(defaults);
  CHECK(defaults->file.empty());
  CHECK(defaults->server.listen == "127.0.0.1:8750");
  for (auto origin : {ConfigLocation::Origin::option, ConfigLocation::Origin::environment}) {
    auto result = load_config({missing, origin});
    const Diagnostic& d = first_error(result);
    CHECK(d.rule == "missing-file");
    CHECK(d.file == missing);
    CHECK(d.hint.find(origin == ConfigLocation::Origin::option ? "--config" : "VOICEOPS_CONFIG") !=
          std::string::npos);
  }
  // A directory is no configuration file, even at the default place.
  CHECK(first_error(load_config({scratch().string(), ConfigLocation::Origin::default_path})).rule ==
        "not-a-file");
  const std::string file = write_file("ok.toml", "[store]\npath = \"/tmp/v.db\"\n");
  auto loaded = load_config({file, ConfigLocation::Origin::option});
  REQUIRE(loaded);
  CHECK(loaded->file == file);
  CHECK(loaded->store.path == "/tmp/v.db");
  const std::string bad = write_file("bad.toml", "\n[store]\npaht = \"/tmp/v.db\"\n");
  const auto bad_result = load_config({bad, ConfigLocation::Origin::option});
  const Diagnostic& d = first_error(bad_result);
  CHECK(d.file == bad);
  CHECK(d.where.line == 3);
  CHECK(d.hint == "did you mean 'path'?");
  std::filesystem::remove_all(scratch());
}

TEST_CASE("config: secrets from their files or the environment", "[config]") {
  Config c;
  c.file = "/etc/voiceops/voiceops.toml";
  SECTION("the environment when no file is configured") {
    auto token = twilio_auth_token(c, environment({{"TWILIO_AUTH_TOKEN", "tok123\n"}}));
    REQUIRE(token);
    CHECK(*token == "tok123");
    auto key = odoo_api_key(c, environment({{"ODOO_API_KEY", "key456"}}));
    REQUIRE(key);
    CHECK(*key == "key456");
  }
  SECTION("neither: a clear error") {
    for (const auto& env : {environment({}), environment({{"TWILIO_AUTH_TOKEN", "  \n"}})}) {
      auto token = twilio_auth_token(c, env);
      REQUIRE_FALSE(token);
      CHECK(token.error().message.find("TWILIO_AUTH_TOKEN") != std::string::npos);
      CHECK(token.error().message.find("auth_token_file") != std::string::npos);
    }
    CHECK(odoo_api_key(c, environment({})).error().message.find("ODOO_API_KEY") !=
          std::string::npos);
  }
  SECTION("the live events token: its file, else the environment") {
    CHECK(*events_token(c, environment({{"VOICEOPS_EVENTS_TOKEN", "ev"}})) == "ev");
    CHECK(events_token(c, environment({})).error().message.find("VOICEOPS_EVENTS_TOKEN") !=
          std::string::npos);
    c.server.events_token_file = write_file("events", "file-events\n");
    CHECK(*events_token(c, environment({{"VOICEOPS_EVENTS_TOKEN", "ev"}})) == "file-events");
  }
  SECTION("the file wins over the environment, one line, trimmed") {
    c.twilio.auth_token_file = write_file("token", "from-file-token\n");
    c.odoo.api_key_file = write_file("key", "  odoo-key \r\n");
    const auto env = environment({{"TWILIO_AUTH_TOKEN", "env"}, {"ODOO_API_KEY", "env"}});
    CHECK(*twilio_auth_token(c, env) == "from-file-token");
    CHECK(*odoo_api_key(c, env) == "odoo-key");
  }
  SECTION("a configured file that is missing, empty or not one line is an error") {
    const auto env = environment({{"TWILIO_AUTH_TOKEN", "env-token"}});
    c.twilio.auth_token_file = (scratch() / "nope").string();
    auto missing = twilio_auth_token(c, env);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("No such file") != std::string::npos);
    CHECK(missing.error().hint.find("twilio.auth_token_file in /etc/voiceops/voiceops.toml") !=
          std::string::npos);
    c.twilio.auth_token_file = write_file("empty", "\n\n");
    CHECK(twilio_auth_token(c, env).error().message.find("is empty") != std::string::npos);
    c.twilio.auth_token_file = write_file("two", "line-one\nline-two\n");
    auto two = twilio_auth_token(c, env);
    REQUIRE_FALSE(two);
    CHECK(two.error().message.find("more than one line") != std::string::npos);
    CHECK(two.error().message.find("line-one") == std::string::npos);
    c.twilio.auth_token_file = write_file("big", std::string(70000, 'x'));
    CHECK(twilio_auth_token(c, env).error().message.find("64 KiB") != std::string::npos);
  }
  std::filesystem::remove_all(scratch());
}
