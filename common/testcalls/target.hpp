#pragma once
// Where the runner sends a pack's calls: the webhook handlers in-process, or a running voiceopsd
// over HTTP (`testcalls run --target`). Both take signed webhooks and answer TwiML, so the runner
// follows the TwiML and checks expectations with the same code for either.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "carrier/form.hpp"
#include "connectors/http_client.hpp"
#include "contract/directory.hpp"
#include "contract/model.hpp"
#include "engine/events.hpp"
#include "testcalls/pack.hpp"

namespace voiceops::testcalls {

// The runner's side of one call, which an in-process target calls back into: the call's
// simulated clock, its scripted systems and the messages the agent passes on to staff.
class CallHooks {
 public:
  virtual ~CallHooks() = default;
  virtual std::chrono::sys_seconds now() const = 0;
  virtual engine::ToolResult run_tool(const engine::CallTool& tool) = 0;
  virtual void notified(const engine::Notify& notice) = 0;
};

struct WebhookAnswer {
  int status = 0;
  std::string body;
  std::string scripted_integrations;  // X-Voiceops-Scripted-Integrations; empty when absent
  double microseconds = 0;            // in the handlers (in-process), or the round trip (a daemon)
};

// What the target's engine knows about a call once it is over.
struct ObservedCall {
  std::optional<std::string> outcome;  // none while unfinished
  std::string event;
  bool after_hours = false;
  std::map<std::string, std::string> slots;
  std::optional<std::vector<int>> escalation_rows;  // nullopt when the target does not say
  std::string summary;
  // What the call used, as the call's state counted it (engine/cost.hpp); nullopt from a daemon
  // that does not say, when the runner falls back to what its player heard.
  std::optional<int> speech_requests;
  std::optional<long> spoken_characters;
};

struct TargetError {
  bool unreachable = false;  // the daemon cannot be reached (or went away): the run stops
  std::string message;
};

class Target {
 public:
  virtual ~Target() = default;
  // A daemon: wall clock, no view of tool calls or staff messages.
  virtual bool remote() const = 0;
  // The CallSid for the next call; `hooks` serve it until the next begin_call.
  virtual std::string begin_call(const ScriptedCall& call, CallHooks& hooks) = 0;
  virtual Result<WebhookAnswer, TargetError> post(const std::string& path,
                                                  carrier::FormParams params) = 0;
  // nullopt when the target keeps no state for the call.
  virtual Result<std::optional<ObservedCall>, TargetError> observe(const std::string& call_id) = 0;
};

// The handlers in this process, with one service (and one pre-built dialogue) for a whole pack.
std::unique_ptr<Target> in_process_target(const contract::Contract& contract,
                                          const contract::Directory* directory);

struct RemoteTargetOptions {
  connectors::HttpUrl daemon;  // where to connect
  std::string public_url;      // what the daemon signs against: its [server] public_url
  std::string auth_token;
  connectors::HttpClientOptions http;
};

// A running voiceopsd. Every webhook carries the call's scripted integration outcomes (an empty
// list when it scripts none: every system answers ok, as in-process), and CallSids carry a
// per-run nonce so repeated runs never meet in the daemon's store.
std::unique_ptr<Target> remote_target(RemoteTargetOptions options);

}  // namespace voiceops::testcalls
