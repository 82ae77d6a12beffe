#pragma once
// Odoo's two wire formats, as pure functions (no I/O, so they are fuzzed and unit-tested alone):
// - /jsonrpc (Odoo up to 18): a JSON-RPC 2.0 "call" of service "common" or "object"
//   (execute_kw); errors come back as HTTP 200 with error.data.name, an exception's name.
// - JSON-2 (Odoo 19 and later): POST /json/2/<model>/<method> with named arguments and a bearer
//   key; the result is the body itself, errors are real HTTP statuses with {name, message}.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "connectors/odoo/odoo_error.hpp"

namespace voiceops::connectors::odoo {

using Json = nlohmann::json;

// The body of a /jsonrpc request.
std::string jsonrpc_body(std::int64_t id, std::string_view service, std::string_view method,
                         const Json& args);

// The result of a /jsonrpc answer, or what its error says.
Result<Json, Error> read_jsonrpc_reply(int http_status, std::string_view body);

// Named arguments as execute_kw's positional args and kwargs: a record method's `ids` go first
// (Odoo calls the method on those records), everything else is a keyword argument.
struct ExecuteArgs {
  Json args = Json::array();
  Json kwargs = Json::object();
};
ExecuteArgs execute_args(const Json& named);

// "/json/2/<model>/<method>" under `base_path` ("/" or "/odoo").
std::string json2_target(std::string_view base_path, std::string_view model,
                         std::string_view method);

// The result of a JSON-2 answer, or what its status and error body say.
Result<Json, Error> read_json2_reply(int http_status, std::string_view body);

// An exception Odoo named (in either format) as an Error: "odoo.exceptions.AccessError" and
// its message.
Error error_from_exception(std::string_view name, std::string_view message, int http_status);

// Whether a model or method name is one Odoo could have ("helpdesk.ticket", "search_read"):
// lower-case letters, digits, '_' and '.'; nothing else may go into a URL path or a log line.
bool plausible_name(std::string_view name);

}  // namespace voiceops::connectors::odoo
