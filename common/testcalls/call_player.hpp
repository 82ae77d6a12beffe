#pragma once
// One scripted call played against a target (testcalls/target.hpp): the carrier's side of the
// call, built from the script, signed, posted, and steered by the TwiML that comes back. In
// process, the target calls back for the call's clock, its scripted systems and staff messages.
#include <optional>
#include <string>

#include <chrono>
#include <vector>

#include "carrier/form.hpp"
#include "testcalls/runner.hpp"
#include "testcalls/twiml_reader.hpp"

namespace voiceops::testcalls {

class CallPlayer final : public CallHooks {
 public:
  CallPlayer(const ScriptedCall& call, const contract::Contract& contract, Target& target,
             CallReport& report);

  void play();

  const std::string& call_id() const { return call_id_; }
  int clock_ms() const { return clock_ms_; }
  int speech_requests() const { return speech_requests_; }
  long spoken_characters() const { return spoken_characters_; }
  const std::string& agent_said() const { return agent_said_; }
  bool dialled() const { return dialled_; }
  const std::optional<std::string>& unreachable() const { return unreachable_; }

  // CallHooks: the call's simulated clock, its [integrations] script (unscripted tools succeed)
  // and the summaries the agent hands to staff.
  std::chrono::sys_seconds now() const override;
  engine::ToolResult run_tool(const engine::CallTool& tool) override;

  void notified(const engine::Notify& notice) override;

 private:
  void fail(std::string kind, std::string message);
  bool post(const std::string& path, std::vector<carrier::FormParam> params, std::string& xml);
  // The same for another leg of the call: a transfer's staff leg, `sid`.
  bool post_as(const std::string& sid, const std::string& path,
               std::vector<carrier::FormParam> params, std::string& xml);

  void agent_says(const std::string& text, int spoken_ms);

  // The carrier's final status callback, so the target closes the call; once per call.
  void end_call();

  // Follows one TwiML document; false when the call is over.
  bool follow(const std::string& xml);
  bool gather(const ReadGather& verb);

  static std::string confidence_note(double confidence);
  bool dial(const ReadDial& verb);
  // The staff phone answered a screened transfer (`result` completed, voicemail or declined):
  // the carrier plays the screen on leg `sid`, and the staff member (or their voicemail) keys
  // in the answer, or nothing. False when the call is over.
  bool screen(const ReadDial& verb, const std::string& sid, const std::string& result);

  // Follows each document the handlers answer with until the call ends.
  void follow_loop(std::string xml);

  const ScriptedCall& call_;
  const contract::Contract& contract_;
  Target& target_;
  CallReport& report_;
  std::string call_id_;
  int clock_ms_ = 0;
  std::size_t next_turn_ = 0;
  bool finished_ = false;
  bool status_sent_ = false;
  bool hung_up_by_script_ = false;
  bool dialled_ = false;
  int transfers_ = 0;  // legs dialled so far, for their CallSids
  std::optional<std::string> unreachable_;
  int speech_requests_ = 0;
  long spoken_characters_ = 0;
  std::string agent_said_;
  std::string pending_xml_;
};

}  // namespace voiceops::testcalls
