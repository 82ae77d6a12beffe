#pragma once
// The control socket's requests, one typed definition for both ends: `voiceops daemon|calls`
// encodes them, voiceopsd decodes them. One JSON object per line, with a "command":
//   {"command":"status"}
//   {"command":"reload","wait":true}
//   {"command":"calls.list","since":1764979200,"active":false,"limit":100}
//   {"command":"calls.show","call":"CA0123..."}
//   {"command":"rollback","action":"forward-all","argument":"+15125550180","workflow":"",
//    "reason":"...","who":"alice","now":false}
// The answers are JSON objects with a boolean "ok" (and "error" when it is false).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"

namespace voiceops::control {

inline constexpr int max_list_limit = 100000;
inline constexpr std::size_t max_call_id_bytes = 256;  // a CallSid is 34

struct StatusRequest {};

struct ReloadRequest {
  bool wait = true;  // false: answer at once, reload on the daemon's event loop
};

struct CallsListRequest {
  std::optional<std::int64_t> since;  // started at or after, Unix seconds
  bool active = false;
  int limit = 1000;  // 1 to max_list_limit; the CLI sends its own default
};

struct CallsShowRequest {
  std::string call;  // UTF-8, at most max_call_id_bytes
};

// A voiceops rollback change, applied and recorded by the daemon (store/rollback_store.hpp).
inline constexpr std::size_t max_rollback_text_bytes = 1000;
struct RollbackRequest {
  std::string action;  // forward-all, disable-intent, enable-intent, after-hours-only, clear
  std::string argument, workflow, reason, who;
  bool now = false;
};

using Request =
    std::variant<StatusRequest, ReloadRequest, CallsListRequest, CallsShowRequest, RollbackRequest>;

// One line of JSON, without the newline.
std::string encode(const Request& request);
// The error is a message for the answer's "error" (or the CLI's complaint).
Result<Request, std::string> decode_request(std::string_view line);

}  // namespace voiceops::control
