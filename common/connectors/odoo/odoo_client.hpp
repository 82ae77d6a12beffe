#pragma once
// One Odoo database, spoken to over the libcurl client in whichever protocol it has: JSON-2
// (Odoo 19+) or /jsonrpc execute_kw (up to 18). "auto" probes JSON-2 once and remembers the
// answer. Calls take named arguments, as JSON-2 does; /jsonrpc gets them as execute_kw's args and
// kwargs. Blocking; one client per thread (it keeps its connection alive).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "connectors/http_client.hpp"
#include "connectors/odoo/envelope.hpp"
#include "connectors/odoo/odoo_error.hpp"

namespace voiceops::connectors::odoo {

enum class Protocol { jsonrpc, json2 };
std::string_view protocol_name(Protocol protocol);

struct Settings {
  std::string url;  // "https://odoo.example.com", no trailing '/'
  std::string database;
  std::string user;
  std::string api_key;            // never logged, never printed
  std::string protocol = "auto";  // auto, jsonrpc or json2
  HttpClientOptions http;
};

// One request as it would go on the wire, the key masked: what `--dry-run` prints.
struct WireRequest {
  std::string method = "POST";
  std::string url;
  Headers headers;
  std::string body;
};

class Client {
 public:
  // Checks the settings (a URL, a database, a user, a key); connects on the first call.
  static Result<Client, Error> make(Settings settings);

  // model.method(**named), e.g. call("res.partner", "search_read", {{"domain", ...}}).
  // `timeout`, when set and shorter than the client's, bounds this call alone (a tool step's).
  Result<Json, Error> call(std::string_view model, std::string_view method, const Json& named,
                           std::chrono::milliseconds timeout = {});

  // The protocol in use, probing the server once when the settings say auto.
  Result<Protocol, Error> protocol();
  // The protocol, when known (set, or probed already); never touches the network.
  std::optional<Protocol> known_protocol() const { return protocol_; }
  // The server's version string ("17.0", "saas~18.4", "19.0").
  Result<std::string, Error> server_version();

  // What call() would send for `model.method(**named)` in `protocol`, with the key masked.
  WireRequest describe(Protocol protocol, std::string_view model, std::string_view method,
                       const Json& named) const;

  const Settings& settings() const { return settings_; }

 private:
  Client(Settings settings, HttpUrl url)
      : settings_(std::move(settings)), url_(url), http_(std::move(url), settings_.http) {}
  Result<Json, Error> post(const std::string& target, std::string body, Headers headers,
                           std::chrono::milliseconds timeout, bool json2);
  Result<Json, Error> jsonrpc(std::string_view service, std::string_view method, const Json& args,
                              std::chrono::milliseconds timeout);
  Result<std::int64_t, Error> uid(std::chrono::milliseconds timeout);
  Result<Protocol, Error> protocol_within(std::chrono::milliseconds timeout);
  std::string jsonrpc_target() const;
  Headers json2_headers(std::string_view key) const;

  Settings settings_;
  HttpUrl url_;
  HttpClient http_;
  std::optional<Protocol> protocol_;
  std::optional<std::int64_t> uid_;
  std::int64_t next_id_ = 1;
};

}  // namespace voiceops::connectors::odoo
