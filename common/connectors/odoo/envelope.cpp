#include "connectors/odoo/envelope.hpp"

#include <algorithm>

namespace voiceops::connectors::odoo {
namespace {

std::string_view last_part(std::string_view dotted) {
  const std::size_t dot = dotted.rfind('.');
  return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The field an Odoo message names: "Invalid field 'x_nope' on model ...", or the technical name
// in parentheses after a label: "The field 'Phone' (partner_phone) is required".
std::string field_named_in(std::string_view message) {
  if (const std::size_t at = message.find("field '"); at != std::string_view::npos) {
    const std::size_t start = at + 7;
    const std::size_t end = message.find('\'', start);
    if (end != std::string_view::npos) {
      const std::string_view quoted = message.substr(start, end - start);
      if (!quoted.empty() && std::all_of(quoted.begin(), quoted.end(), identifier_char))
        return std::string(quoted);
    }
  }
  for (std::size_t open = message.find('('); open != std::string_view::npos;
       open = message.find('(', open + 1)) {
    const std::size_t close = message.find(')', open);
    if (close == std::string_view::npos) break;
    const std::string_view inside = message.substr(open + 1, close - open - 1);
    if (inside.size() > 1 && inside.find('_') != std::string_view::npos &&
        std::all_of(inside.begin(), inside.end(), identifier_char))
      return std::string(inside);
  }
  return {};
}

// The first line of a message, trimmed to a length a log line can carry.
std::string one_line(std::string_view text) {
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() > 300) return std::string(text.substr(0, 297)) + "...";
  return std::string(text);
}

std::string string_at(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Error http_failure(int status, std::string_view what) {
  Error error;
  error.http_status = status;
  if (status >= 500) {
    error.kind = ErrorKind::server;
    // A proxy's 502 or 504 may come after Odoo committed.
    error.ambiguous = true;
    error.message = "Odoo answered HTTP " + std::to_string(status) + std::string(what);
  } else if (status == 404) {
    error.kind = ErrorKind::not_found;
    error.message = "HTTP 404" + std::string(what);
  } else {
    error.kind = ErrorKind::malformed;
    error.message = "Odoo answered HTTP " + std::to_string(status) + std::string(what);
  }
  return error;
}

Result<Json, Error> parse_body(std::string_view body, int status) {
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    Error error;
    error.kind = ErrorKind::malformed;
    error.http_status = status;
    error.ambiguous = true;
    error.message = body.empty() ? "Odoo's answer was empty"
                                 : "Odoo's answer is not JSON (" + std::to_string(body.size()) +
                                       " bytes; truncated?)";
    return unexpected(std::move(error));
  }
  return parsed;
}

}  // namespace

bool plausible_name(std::string_view name) {
  return !name.empty() && name.size() <= 128 && name.front() != '.' &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return identifier_char(c) || c == '.'; });
}

Error error_from_exception(std::string_view name, std::string_view message, int http_status) {
  Error error;
  error.name = std::string(name);
  error.http_status = http_status;
  error.message = one_line(message.empty() ? name : message);
  const std::string_view kind = last_part(name);
  if (kind == "AccessDenied" || kind == "Unauthorized" || kind == "SessionExpiredException") {
    error.kind = ErrorKind::access_denied;
  } else if (kind == "AccessError" || kind == "Forbidden") {
    error.kind = ErrorKind::access_error;
  } else if (kind == "UserError" && message.starts_with("Object ") &&
             message.find("doesn't exist") != std::string_view::npos) {
    error.kind = ErrorKind::not_found;  // execute_kw on a model the database lacks
  } else if (kind == "ValidationError" || kind == "UserError" || kind == "MissingError" ||
             kind == "ValueError" || kind == "TypeError" || kind == "RedirectWarning" ||
             kind == "UnprocessableEntity" || kind == "BadRequest" || kind == "IntegrityError") {
    error.kind = ErrorKind::validation;
    error.field = field_named_in(message);
  } else if (kind == "KeyError" || kind == "AttributeError" || kind == "NotFound") {
    error.kind = ErrorKind::not_found;
  } else if (kind == "OperationalError" && message.find("database") != std::string_view::npos) {
    error.kind = ErrorKind::access_denied;  // "database "prod" does not exist": the settings
  } else {
    error.kind = ErrorKind::server;
  }
  if (error.kind == ErrorKind::access_denied && error.message.empty())
    error.message = "Access Denied";
  return error;
}

std::string jsonrpc_body(std::int64_t id, std::string_view service, std::string_view method,
                         const Json& args) {
  const Json request = {
      {"jsonrpc", "2.0"},
      {"method", "call"},
      {"params", {{"service", service}, {"method", method}, {"args", args}}},
      {"id", id},
  };
  return request.dump(-1, ' ', false, Json::error_handler_t::replace);
}

ExecuteArgs execute_args(const Json& named) {
  ExecuteArgs out;
  if (!named.is_object()) return out;
  for (const auto& [key, value] : named.items()) {
    if (key == "ids")
      out.args.push_back(value);
    else
      out.kwargs[key] = value;
  }
  return out;
}

Result<Json, Error> read_jsonrpc_reply(int http_status, std::string_view body) {
  if (http_status != 200) return unexpected(http_failure(http_status, " to /jsonrpc"));
  auto parsed = parse_body(body, http_status);
  if (!parsed) return unexpected(std::move(parsed.error()));
  Json& reply = *parsed;
  if (!reply.is_object()) {
    return unexpected(Error{ErrorKind::malformed,
                            "Odoo's /jsonrpc answer is not an object",
                            {},
                            {},
                            http_status,
                            true});
  }
  if (const auto error = reply.find("error"); error != reply.end() && !error->is_null()) {
    const Json data = error->is_object() && error->contains("data") ? (*error)["data"] : Json();
    std::string name = string_at(data, "name");
    std::string message = string_at(data, "message");
    if (message.empty()) message = string_at(*error, "message");
    if (name.empty()) name = "odoo.error";
    return unexpected(error_from_exception(name, message, http_status));
  }
  const auto result = reply.find("result");
  if (result == reply.end()) {
    return unexpected(Error{ErrorKind::malformed,
                            "Odoo's /jsonrpc answer has neither a result nor an error",
                            {},
                            {},
                            http_status,
                            true});
  }
  return std::move(*result);
}

std::string json2_target(std::string_view base_path, std::string_view model,
                         std::string_view method) {
  std::string target(base_path == "/" ? "" : base_path);
  target += "/json/2/";
  target += model;
  target += '/';
  target += method;
  return target;
}

Result<Json, Error> read_json2_reply(int http_status, std::string_view body) {
  if (http_status >= 200 && http_status < 300) return parse_body(body, http_status);
  // Odoo's JSON-2 errors carry {name, message, arguments, context, debug}; a proxy's do not.
  const Json parsed = Json::parse(body, nullptr, false);
  const std::string name = string_at(parsed, "name");
  const std::string message = string_at(parsed, "message");
  if (name.empty() || http_status >= 500) {
    Error error = http_failure(http_status, " to a JSON-2 request");
    if (!message.empty()) error.message += ": " + one_line(message);
    if (http_status == 401) error.kind = ErrorKind::access_denied;
    if (http_status == 403) error.kind = ErrorKind::access_error;
    if (http_status == 422) error.kind = ErrorKind::validation;
    if (!name.empty()) error.name = name;
    return unexpected(std::move(error));
  }
  Error error = error_from_exception(name, message, http_status);
  // The status is the API's word on what class of failure it was.
  switch (http_status) {
    case 401: error.kind = ErrorKind::access_denied; break;
    case 403: error.kind = ErrorKind::access_error; break;
    case 404: error.kind = ErrorKind::not_found; break;
    case 422:
      error.kind = ErrorKind::validation;
      if (error.field.empty()) error.field = field_named_in(message);
      break;
    default: break;
  }
  return unexpected(std::move(error));
}

}  // namespace voiceops::connectors::odoo
