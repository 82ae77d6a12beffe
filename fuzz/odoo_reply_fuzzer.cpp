// libFuzzer target: what an Odoo server (or a proxy in front of it) answers the export and the
// live tool calls. The first byte picks the reader and the HTTP status:
//   even  the rest is a /jsonrpc answer (HTTP 200, or a 5xx when the byte is over 200);
//   odd   the rest is a JSON-2 answer under the status 200, 401, 403, 404, 422, 500 or 502.
// A result is then read as `load`'s {ids, messages} would be. Beyond "no crash": a failure
// always has a kind, a message, and an exit status voiceops(1) documents.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "connectors/odoo/envelope.hpp"
#include "ops/odoo_export.hpp"

using namespace voiceops::connectors::odoo;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  constexpr std::array statuses = {200, 401, 403, 404, 422, 500, 502};
  auto reply = pick % 2 == 0 ? read_jsonrpc_reply(pick > 200 ? 502 : 200, body)
                             : read_json2_reply(statuses[(pick / 2) % statuses.size()], body);
  if (!reply) {
    const Error& error = reply.error();
    if (error.message.empty()) __builtin_trap();
    const int status = voiceops::to_int(exit_status(error));
    if (status != 65 && status != 69 && status != 77 && status != 78) __builtin_trap();
    (void)hint(error);
    return 0;
  }
  // What the export reads out of a load answer, and named arguments split for execute_kw.
  const Json& result = *reply;
  (void)execute_args(result);
  const std::size_t rows = pick % 7;
  if (auto verdict = voiceops::ops::read_load_answer(result, rows)) {
    for (const auto& [row, message] : verdict->refused)
      if (row >= rows) __builtin_trap();  // a message is only ever pinned to a row sent
  }
  return 0;
}
