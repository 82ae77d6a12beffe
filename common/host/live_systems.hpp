#pragma once
// The DaemonCore's tool runner and messenger for live calls: what reaches real systems (Odoo,
// the carrier's Messages API; the staging daemon's scripted outcomes) and staff outside the call.
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
  bool may_block() const { return core_.odoo_tools_ != nullptr || core_.text_settings_; }

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
    // The step's own budget, never past what leaves the webhook time inside the carrier's 15 s.
    constexpr int default_ms = 8000, most_ms = 12000;
    const int budget_ms = std::min(tool.timeout_ms > 0 ? tool.timeout_ms : default_ms, most_ms);
    if (mapping && mapping->operation.value == "text") {
      return core_.send_text_page(call, *context.contract, *mapping, context.summary,
                                  std::chrono::milliseconds(budget_ms));
    }
    if (!core_.odoo_tools_ || !mapping) {
      core_.log_.warning(
          fmt::format("call {}: no connector for {} ({}); following the tool-failure path",
                      short_id(call.call_id), tool.name,
                      core_.odoo_tools_ ? "no [tool_calls] entry in the contract"
                                        : "[odoo] is not configured"));
      return {tool.name, engine::ToolStatus::error, "no connector configured", {}};
    }
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

// Summaries handed to staff outside the call: the turn that decided them wrote them to the
// message outbox in its own transaction (store/message_queue.hpp); once it is committed, the
// message worker is woken to send them.
class DaemonCore::Messages final : public calls::Messenger {
 public:
  explicit Messages(DaemonCore& core) : core_(core) {}
  void notify(const engine::CallState& call, const engine::Notify& notice, bool kept) override {
    const std::string address =
        notice.kind == "queue" ? notice.address : mask_phone(notice.address);
    core_.log_.notice(fmt::format("call {}: summary for {} ({} {}) queued", short_id(call.call_id),
                                  notice.destination, notice.kind, address));
    if (!kept) {
      // The turn's write failed, and its notice with it: the store may take the message alone;
      // if not, it is sent from memory. A possible emergency is never dropped.
      store::NewMessage message{.call_id = call.call_id,
                                .turn = call.turns,
                                .purpose = "notice",
                                .kind = notice.kind,
                                .destination = notice.destination,
                                .address = notice.address,
                                .sender = call.to,
                                .body = notice.text};
      const std::int64_t now = core_.clock_().time_since_epoch().count();
      if (!core_.store_->add_message(message, now)) {
        store::MessageItem item;
        item.call_id = call.call_id;
        item.purpose = message.purpose;
        item.kind = message.kind;
        item.destination = message.destination;
        item.address = message.address;
        item.sender = message.sender;
        item.body = message.body;
        item.created_at = item.next_attempt_at = now;
        core_.message_worker_->send_unkept(std::move(item));
        return;
      }
    }
    core_.message_worker_->wake();
  }

 private:
  DaemonCore& core_;
};

}  // namespace voiceops::host
