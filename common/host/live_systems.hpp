#pragma once
// The DaemonCore's tool runner and messenger for live calls: what reaches real systems (today
// nothing but the staging daemon's scripted outcomes) and staff outside the call.
#include <fmt/format.h>

#include "base/mask.hpp"
#include "calls/scripted_tools.hpp"
#include "host/core_helpers.hpp"
#include "host/daemon_core.hpp"

namespace voiceops::host {

// Tool calls on live calls. Connectors to real systems come with their own issue; until then a
// tool call fails and the contract's tool-failure row takes over (the caller hears its promise).
class DaemonCore::Tools final : public calls::ToolRunner {
 public:
  explicit Tools(DaemonCore& core) : core_(core) {}

  // Whether a tool call may wait on the network. Not yet: no connector to a real system exists,
  // and scripted outcomes answer at once. Connectors will make this true, and webhooks then run
  // off the event loop.
  bool may_block() const { return false; }

  engine::ToolResult run(const engine::CallState& call, const engine::CallTool& tool,
                         const calls::ToolContext& context) override {
    if (core_.config_.testing.scripted_integrations) {
      if (const auto& script = context.scripted_integrations) {
        if (auto outcomes = calls::decode_scripted_outcomes(*script)) {
          return calls::answer_from_script(*outcomes, tool).result;
        } else {
          core_.log_.warning(fmt::format("call {}: ignoring malformed {}: {}",
                                         short_id(call.call_id),
                                         carrier::scripted_integrations_param, outcomes.error()));
        }
      }
    }
    core_.log_.warning(
        fmt::format("call {}: no connector for {} is configured; following the "
                    "tool-failure path",
                    short_id(call.call_id), tool.name));
    return {tool.name, engine::ToolStatus::error, "no connector configured"};
  }

 private:
  DaemonCore& core_;
};

// Summaries handed to staff outside the call. Delivery (texts, queues) comes with the messaging
// connectors; the store keeps every notice as a call event, and the log says where it went.
class DaemonCore::Messages final : public calls::Messenger {
 public:
  explicit Messages(DaemonCore& core) : core_(core) {}
  void notify(const engine::CallState& call, const engine::Notify& notice) override {
    const std::string address =
        notice.kind == "queue" ? notice.address : mask_phone(notice.address);
    core_.log_.notice(fmt::format("call {}: summary for {} ({} {})", short_id(call.call_id),
                                  notice.destination, notice.kind, address));
  }

 private:
  DaemonCore& core_;
};

}  // namespace voiceops::host
