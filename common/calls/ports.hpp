#pragma once
// What a call needs from the world outside the dialogue, as interfaces the hosts implement: the
// systems' operations (ToolRunner), staff notices outside the call (Messenger) and the time.
// The session store is the fourth port (calls/session_store.hpp).
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "contract/model.hpp"
#include "engine/call_state.hpp"
#include "engine/events.hpp"

namespace voiceops::calls {

// What a tool call may know of the request being answered, without the carrier's format.
struct ToolContext {
  // Staging only: the test call's scripted outcomes for every system (calls/scripted_tools.hpp,
  // encoded); nullopt when the request carries none.
  std::optional<std::string> scripted_integrations;
  // Filled by the turn loop for the tool call at hand: the call's contract, and the staff summary
  // as of now (what a record written during the call describes).
  const contract::Contract* contract = nullptr;
  std::string summary;
};

// Runs the systems' operations a contract's call steps name ("odoo.helpdesk.ticket.create").
class ToolRunner {
 public:
  virtual ~ToolRunner() = default;
  virtual engine::ToolResult run(const engine::CallState& call, const engine::CallTool& tool,
                                 const ToolContext& context) = 0;
};

// Passes call summaries to staff outside the call (texts, queue items, voicemail). `kept`: the
// turn that decided it was written to the store (with the notice, for a host that keeps them);
// false when the write failed, and the host must send it some other way.
class Messenger {
 public:
  virtual ~Messenger() = default;
  virtual void notify(const engine::CallState& call, const engine::Notify& notice, bool kept) = 0;
};

// Now, UTC, to the second: the system clock unless a host (a test pack) plays another.
using Clock = std::function<std::chrono::sys_seconds()>;

}  // namespace voiceops::calls
