#include "connectors/odoo/odoo_client.hpp"

namespace voiceops::connectors::odoo {
namespace {

constexpr std::string_view masked_key = "••••••••";

Error from_http(const HttpError& failure) {
  Error error;
  error.message = failure.message;
  switch (failure.kind) {
    case HttpErrorKind::timeout:
      error.kind = ErrorKind::timeout;
      error.ambiguous = true;
      break;
    case HttpErrorKind::io:
      // The connection broke mid-exchange: the request may have been carried out.
      error.kind = ErrorKind::unreachable;
      error.ambiguous = true;
      break;
    case HttpErrorKind::protocol:
    case HttpErrorKind::too_large:
      error.kind = ErrorKind::malformed;
      error.ambiguous = true;
      break;
    case HttpErrorKind::unreachable:
    case HttpErrorKind::tls:
    case HttpErrorKind::unavailable: error.kind = ErrorKind::unreachable; break;
  }
  return error;
}

Error config_error(std::string message) {
  Error error;
  error.kind = ErrorKind::config;
  error.message = std::move(message);
  return error;
}

}  // namespace

std::string_view protocol_name(Protocol protocol) {
  return protocol == Protocol::json2 ? "json2" : "jsonrpc";
}

Result<Client, Error> Client::make(Settings settings) {
  if (settings.url.empty()) return unexpected(config_error("[odoo] url is not set"));
  if (settings.database.empty()) return unexpected(config_error("[odoo] database is not set"));
  if (settings.user.empty()) return unexpected(config_error("[odoo] user is not set"));
  if (settings.api_key.empty()) return unexpected(config_error("the Odoo API key is empty"));
  if (settings.protocol != "auto" && settings.protocol != "jsonrpc" && settings.protocol != "json2")
    return unexpected(config_error("[odoo] protocol is not auto, jsonrpc or json2"));
  auto url = parse_http_url(settings.url);
  if (!url) return unexpected(config_error("[odoo] url: " + url.error().message));
  Client client(std::move(settings), *url);
  if (client.settings_.protocol == "json2") client.protocol_ = Protocol::json2;
  if (client.settings_.protocol == "jsonrpc") client.protocol_ = Protocol::jsonrpc;
  return client;
}

std::string Client::jsonrpc_target() const {
  return (url_.path == "/" ? std::string() : url_.path) + "/jsonrpc";
}

Headers Client::json2_headers(std::string_view key) const {
  return {{"Content-Type", "application/json; charset=utf-8"},
          {"Accept", "application/json"},
          {"Authorization", "bearer " + std::string(key)},
          {"X-Odoo-Database", settings_.database},
          {"User-Agent", "voiceops"}};
}

Result<Json, Error> Client::post(const std::string& target, std::string body, Headers headers,
                                 std::chrono::milliseconds timeout, bool json2) {
  ClientRequest request;
  request.method = "POST";
  request.target = target;
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.timeout = timeout;
  auto response = http_.send(request);
  if (!response) return unexpected(from_http(response.error()));
  return json2 ? read_json2_reply(response->status, response->body)
               : read_jsonrpc_reply(response->status, response->body);
}

Result<Json, Error> Client::jsonrpc(std::string_view service, std::string_view method,
                                    const Json& args, std::chrono::milliseconds timeout) {
  return post(jsonrpc_target(), jsonrpc_body(next_id_++, service, method, args),
              {{"Content-Type", "application/json; charset=utf-8"},
               {"Accept", "application/json"},
               {"User-Agent", "voiceops"}},
              timeout, false);
}

Result<Protocol, Error> Client::protocol() {
  return protocol_within({});
}

Result<Protocol, Error> Client::protocol_within(std::chrono::milliseconds timeout) {
  if (protocol_) return *protocol_;
  // res.users/context_get exists on every Odoo 19+ and needs no arguments; an Odoo without
  // JSON-2 answers its route 404.
  auto probe = post(json2_target(url_.path, "res.users", "context_get"), "{}",
                    json2_headers(settings_.api_key), timeout, true);
  if (probe) {
    protocol_ = Protocol::json2;
  } else if (probe.error().kind == ErrorKind::not_found) {
    protocol_ = Protocol::jsonrpc;
  } else {
    return unexpected(std::move(probe.error()));
  }
  return *protocol_;
}

Result<std::int64_t, Error> Client::uid(std::chrono::milliseconds timeout) {
  if (uid_) return *uid_;
  auto answer =
      jsonrpc("common", "authenticate",
              Json::array({settings_.database, settings_.user, settings_.api_key, Json::object()}),
              timeout);
  if (!answer) return unexpected(std::move(answer.error()));
  if (!answer->is_number_integer() || answer->get<std::int64_t>() <= 0) {
    Error error;
    error.kind = ErrorKind::access_denied;
    error.message = "Odoo refused user '" + settings_.user + "' on database '" +
                    settings_.database + "' with this API key";
    return unexpected(std::move(error));
  }
  uid_ = answer->get<std::int64_t>();
  return *uid_;
}

Result<Json, Error> Client::call(std::string_view model, std::string_view method, const Json& named,
                                 std::chrono::milliseconds timeout) {
  if (!plausible_name(model) || !plausible_name(method)) {
    Error error;
    error.kind = ErrorKind::validation;
    error.message =
        "not an Odoo model and method: '" + std::string(model) + "." + std::string(method) + "'";
    return unexpected(std::move(error));
  }
  // One budget for the whole call: the probe and the login, when still to do, spend from it too.
  using Steady = std::chrono::steady_clock;
  const auto deadline = timeout.count() > 0 ? Steady::now() + timeout : Steady::time_point::max();
  const auto left = [&]() -> std::chrono::milliseconds {
    if (timeout.count() <= 0) return {};
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
    return std::max(ms, std::chrono::milliseconds(1));
  };
  auto in_use = protocol_within(left());
  if (!in_use) return unexpected(std::move(in_use.error()));
  if (*in_use == Protocol::json2) {
    return post(json2_target(url_.path, model, method),
                named.dump(-1, ' ', false, Json::error_handler_t::replace),
                json2_headers(settings_.api_key), left(), true);
  }
  auto user = uid(left());
  if (!user) return unexpected(std::move(user.error()));
  ExecuteArgs split = execute_args(named);
  auto answer = jsonrpc("object", "execute_kw",
                        Json::array({settings_.database, *user, settings_.api_key, model, method,
                                     std::move(split.args), std::move(split.kwargs)}),
                        left());
  // A key revoked since we authenticated: authenticate again next time.
  if (!answer && answer.error().kind == ErrorKind::access_denied) uid_.reset();
  return answer;
}

Result<std::string, Error> Client::server_version() {
  auto answer = jsonrpc("common", "version", Json::array(), {});
  if (!answer) return unexpected(std::move(answer.error()));
  if (answer->is_object()) {
    if (const auto it = answer->find("server_version"); it != answer->end() && it->is_string())
      return it->get<std::string>();
  }
  Error error;
  error.kind = ErrorKind::malformed;
  error.message = "Odoo's version answer has no server_version";
  return unexpected(std::move(error));
}

WireRequest Client::describe(Protocol protocol, std::string_view model, std::string_view method,
                             const Json& named) const {
  WireRequest wire;
  if (protocol == Protocol::json2) {
    wire.url = url_.origin() + json2_target(url_.path, model, method);
    wire.headers = json2_headers(masked_key);
    wire.body = named.dump(2, ' ', false, Json::error_handler_t::replace);
    return wire;
  }
  ExecuteArgs split = execute_args(named);
  wire.url = url_.origin() + jsonrpc_target();
  wire.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  const Json args = Json::array({settings_.database, "<uid from common.authenticate>", masked_key,
                                 model, method, std::move(split.args), std::move(split.kwargs)});
  wire.body = Json::parse(jsonrpc_body(1, "object", "execute_kw", args)).dump(2);
  return wire;
}

}  // namespace voiceops::connectors::odoo
