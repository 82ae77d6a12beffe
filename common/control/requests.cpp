#include "control/requests.hpp"

#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>

#include "base/utf8.hpp"

namespace voiceops::control {
namespace {

using nlohmann::json;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string encode(const Request& request) {
  return std::visit(
      [](const auto& r) -> std::string {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, StatusRequest>) {
          return dump(json{{"command", "status"}});
        } else if constexpr (std::is_same_v<R, ReloadRequest>) {
          return dump(json{{"command", "reload"}, {"wait", r.wait}});
        } else if constexpr (std::is_same_v<R, CallsListRequest>) {
          json j = {{"command", "calls.list"}, {"active", r.active}, {"limit", r.limit}};
          if (r.since) j["since"] = *r.since;
          return dump(j);
        } else if constexpr (std::is_same_v<R, CallsShowRequest>) {
          return dump(json{{"command", "calls.show"}, {"call", r.call}});
        } else {
          return dump(json{{"command", "rollback"},
                           {"action", r.action},
                           {"argument", r.argument},
                           {"workflow", r.workflow},
                           {"reason", r.reason},
                           {"who", r.who},
                           {"now", r.now}});
        }
      },
      request);
}

Result<Request, std::string> decode_request(std::string_view line) {
  const json parsed = json::parse(line, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("command") ||
      !parsed["command"].is_string()) {
    return unexpected(std::string("the request is not a JSON object with a \"command\""));
  }
  const std::string command = parsed["command"];
  if (command == "status") return Request{StatusRequest{}};
  if (command == "reload") {
    ReloadRequest reload;
    if (auto it = parsed.find("wait"); it != parsed.end()) {
      if (!it->is_boolean()) return unexpected(std::string("\"wait\" must be true or false"));
      reload.wait = it->get<bool>();
    }
    return Request{reload};
  }
  if (command == "calls.list") {
    CallsListRequest list;
    if (auto it = parsed.find("since"); it != parsed.end() && !it->is_null()) {
      if (!it->is_number_integer()) return unexpected(std::string("\"since\" must be an integer"));
      list.since = it->get<std::int64_t>();
    }
    if (auto it = parsed.find("active"); it != parsed.end()) {
      if (!it->is_boolean()) return unexpected(std::string("\"active\" must be true or false"));
      list.active = it->get<bool>();
    }
    if (auto it = parsed.find("limit"); it != parsed.end()) {
      // The CLI's range (voiceops calls list --limit), held here too for other clients.
      if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
          it->get<std::int64_t>() > max_list_limit)
        return unexpected("\"limit\" must be an integer from 1 to " +
                          std::to_string(max_list_limit));
      list.limit = it->get<int>();
    }
    return Request{list};
  }
  if (command == "calls.show") {
    auto it = parsed.find("call");
    if (it == parsed.end() || !it->is_string())
      return unexpected(std::string("calls.show needs \"call\""));
    CallsShowRequest show{it->get<std::string>()};
    if (show.call.size() > max_call_id_bytes || find_invalid_utf8(show.call))
      return unexpected("\"call\" must be UTF-8 of at most " + std::to_string(max_call_id_bytes) +
                        " bytes");
    return Request{show};
  }
  if (command == "rollback") {
    RollbackRequest rollback;
    std::string problem;
    const auto text = [&](const char* key, std::string& into) {
      auto it = parsed.find(key);
      if (it == parsed.end() || it->is_null()) return;
      if (!it->is_string()) {
        problem = std::string("\"") + key + "\" must be a string";
        return;
      }
      into = it->get<std::string>();
      if (into.size() > max_rollback_text_bytes || find_invalid_utf8(into))
        problem = std::string("\"") + key + "\" must be UTF-8 of at most " +
                  std::to_string(max_rollback_text_bytes) + " bytes";
    };
    for (const auto& [key, into] :
         {std::pair<const char*, std::string*>{"action", &rollback.action},
          {"argument", &rollback.argument},
          {"workflow", &rollback.workflow},
          {"reason", &rollback.reason},
          {"who", &rollback.who}})
      text(key, *into);
    if (!problem.empty()) return unexpected(problem);
    if (auto it = parsed.find("now"); it != parsed.end()) {
      if (!it->is_boolean()) return unexpected(std::string("\"now\" must be true or false"));
      rollback.now = it->get<bool>();
    }
    static constexpr std::string_view actions[] = {"forward-all", "disable-intent", "enable-intent",
                                                   "after-hours-only", "clear"};
    if (std::find(std::begin(actions), std::end(actions), rollback.action) == std::end(actions))
      return unexpected(
          std::string("\"action\" must be forward-all, disable-intent, "
                      "enable-intent, after-hours-only or clear"));
    return Request{rollback};
  }
  return unexpected("unknown command \"" + command + "\"");
}

}  // namespace voiceops::control
