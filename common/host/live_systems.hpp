#pragma once
// The DaemonCore's tool runner and messenger for live calls: what reaches real systems (today
// nothing but the staging daemon's scripted outcomes) and staff outside the call.
#include <fmt/format.h>

#include "base/mask.hpp"
#include "calls/scripted_tools.hpp"
#include "host/core_helpers.hpp"
#include "host/daemon_core.hpp"

namespace voiceops::host {

// Tool calls on live calls: the contract's [tool_calls] entry carried out against Odoo when
// [odoo] is configured (ops/odoo_tools.hpp), within the step's timeout and never past the
// carrier's 15 s; a call with no entry, or no Odoo, fails and the contract's on_error path (or
// tool-failure row) takes over, so the caller hears its promise.
class DaemonCore::Tools final : public calls::ToolRunner {
 public:
  explicit Tools(DaemonCore& core) : core_(core) {}

  // Whether a tool call may wait on the network: with Odoo configured, webhooks run off the
  // event loop (on the handler pool), so a slow Odoo never stalls other calls.
  bool may_block() const { return core_.odoo_tools_ != nullptr; }

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
    const contract::ToolCallMapping* mapping =
        context.contract ? context.contract->tool_call(tool.name) : nullptr;
    if (!core_.odoo_tools_ || !mapping) {
      core_.log_.warning(
          fmt::format("call {}: no connector for {} ({}); following the tool-failure path",
                      short_id(call.call_id), tool.name,
                      core_.odoo_tools_ ? "no [tool_calls] entry in the contract"
                                        : "[odoo] is not configured"));
      return {tool.name, engine::ToolStatus::error, "no connector configured", {}};
    }
    // The step's own budget, never past what leaves the webhook time inside the carrier's 15 s.
    constexpr int default_ms = 8000, most_ms = 12000;
    const int budget_ms = std::min(tool.timeout_ms > 0 ? tool.timeout_ms : default_ms, most_ms);
    engine::ToolResult result =
        core_.odoo_tools_->run(*mapping, context.contract->hours, call, context.summary,
                               std::chrono::milliseconds(budget_ms));
    if (result.status != engine::ToolStatus::ok) {
      core_.log_.warning(fmt::format("call {}: {} {}: {}", short_id(call.call_id), tool.name,
                                     engine::to_string(result.status),
                                     mask_numbers_in(result.detail)));
    }
    return result;
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
