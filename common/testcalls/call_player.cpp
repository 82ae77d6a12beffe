// The carrier's side of one scripted call, turn by turn, on the call's simulated clock.
#include "testcalls/call_player.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "calls/scripted_tools.hpp"
#include "engine/dialogue.hpp"
#include "testcalls/expectations.hpp"

namespace voiceops::testcalls {
namespace {

constexpr int max_webhooks_per_call = 400;
constexpr int caller_words_per_minute = 170;
constexpr int caller_reaction_ms = 600;

}  // namespace

CallPlayer::CallPlayer(const ScriptedCall& call, const contract::Contract& contract, Target& target,
                       CallReport& report)
    : call_(call), contract_(contract), target_(target), report_(report) {
  call_id_ = target_.begin_call(call_, *this);
}

void CallPlayer::play() {
  std::string to = call_.to.empty() && !contract_.answers.numbers.empty()
                       ? contract_.answers.numbers.front().value
                       : call_.to;
  std::string xml;
  if (!post("/twilio/voice",
            {{"CallStatus", "ringing"}, {"Direction", "inbound"}, {"From", call_.from}, {"To", to}},
            xml)) {
    if (target_.remote()) end_call();  // a daemon closes the call it may have started
    return;
  }
  follow_loop(xml);
  if (target_.remote()) end_call();
  if (next_turn_ < call_.turns.size() && !hung_up_by_script_ && !report_.skipped() &&
      !unreachable_) {
    fail("script_unused", "the call ended with " + std::to_string(call_.turns.size() - next_turn_) +
                              " caller turn(s) unplayed, from line " +
                              std::to_string(call_.turns[next_turn_].where.line));
  }
}

// CallHooks: the call's simulated clock, its [integrations] script (unscripted tools succeed)
// and the summaries the agent hands to staff.
std::chrono::sys_seconds CallPlayer::now() const {
  return std::chrono::sys_seconds{std::chrono::seconds{call_.at_unix + clock_ms_ / 1000}};
}

engine::ToolResult CallPlayer::run_tool(const engine::CallTool& tool) {
  const calls::ScriptedAnswer answer = calls::answer_from_script(call_.integrations, tool);
  const int spent = answer.spent_ms;
  clock_ms_ += spent;
  const std::string outcome = engine::to_string(answer.result.status);
  report_.tool_calls.push_back(tool.name + " -> " + outcome);
  report_.transcript.push_back({TranscriptLine::Who::system, "tool " + tool.name + ": " + outcome,
                                spent > 0 ? std::to_string(spent) + " ms" : "", clock_ms_});
  if (answer.result.status != engine::ToolStatus::ok &&
      answer.result.status != engine::ToolStatus::duplicate) {
    report_.failed_systems.push_back(tool.name.substr(0, tool.name.find('.')));
  }
  return answer.result;
}

void CallPlayer::notified(const engine::Notify& notice) {
  if (report_.destination.empty()) report_.destination = notice.destination;
  const char* how = notice.kind == "queue"       ? "queued for "
                    : notice.kind == "voicemail" ? "message left for "
                                                 : "text to ";
  report_.transcript.push_back(
      {TranscriptLine::Who::system, how + notice.destination + ": " + notice.text, "", clock_ms_});
}

void CallPlayer::fail(std::string kind, std::string message) {
  report_.failures.push_back({std::move(kind), std::move(message)});
}

bool CallPlayer::post(const std::string& path, std::vector<carrier::FormParam> params,
                      std::string& xml) {
  return post_as(call_id_, path, std::move(params), xml);
}

bool CallPlayer::post_as(const std::string& sid, const std::string& path,
                         std::vector<carrier::FormParam> params, std::string& xml) {
  params.insert(params.begin(),
                {{"AccountSid", "AC00000000000000000000000000000000"}, {"CallSid", sid}});
  ++report_.webhooks;
  auto answer = target_.post(path, std::move(params));
  if (!answer) {
    if (answer.error().unreachable) {
      unreachable_ = answer.error().message;
    } else {
      fail("target_error", path + ": " + answer.error().message);
    }
    finished_ = true;
    return false;
  }
  report_.engine_microseconds += answer->microseconds;
  report_.webhook_microseconds.push_back(answer->microseconds);
  if (answer->status != 200) {
    std::string message =
        path + " answered HTTP " + std::to_string(answer->status) + ": " + squeeze(answer->body);
    if (answer->status == 403 && target_.remote())
      message += " (sign with the daemon's [server] public_url: --public-url, and its auth token)";
    fail("unfollowable_twiml", message);
    finished_ = true;
    return false;
  }
  // A daemon that does not honour the scripted outcomes would run the call against real
  // systems: nothing it does then says anything about the script's expectations.
  if (target_.remote() && answer->scripted_integrations != "honoured" && !report_.skipped() &&
      path != "/twilio/status") {
    report_.skip_reason =
        "daemon does not honour scripted integrations; set [testing] scripted_integrations = "
        "true on a staging daemon";
    finished_ = true;
    return false;
  }
  xml = std::move(answer->body);
  return true;
}

void CallPlayer::agent_says(const std::string& text, int spoken_ms) {
  if (text.empty()) return;
  report_.transcript.push_back({TranscriptLine::Who::agent, text, "", clock_ms_});
  agent_said_ += text + "\n";
  spoken_characters_ += static_cast<long>(text.size());
  clock_ms_ += spoken_ms;
}

// The carrier's final status callback, so the target closes the call; once per call.
void CallPlayer::end_call() {
  if (status_sent_ || unreachable_) return;
  status_sent_ = true;
  finished_ = true;
  std::string ignored;
  post("/twilio/status",
       {{"CallStatus", "completed"}, {"CallDuration", std::to_string(clock_ms_ / 1000)}}, ignored);
}

// Follows one TwiML document; false when the call is over.
bool CallPlayer::follow(const std::string& xml) {
  auto verbs = read_twiml(xml);
  if (!verbs) {
    fail("unfollowable_twiml", verbs.error());
    finished_ = true;
    return false;
  }
  for (const ReadVerb& verb : *verbs) {
    if (const auto* say = std::get_if<ReadSay>(&verb)) {
      agent_says(say->text, engine::spoken_milliseconds(say->text));
    } else if (const auto* pause = std::get_if<ReadPause>(&verb)) {
      clock_ms_ += pause->seconds * 1000;
    } else if (const auto* gather_verb = std::get_if<ReadGather>(&verb)) {
      return gather(*gather_verb);
    } else if (const auto* dial_verb = std::get_if<ReadDial>(&verb)) {
      return dial(*dial_verb);
    } else if (const auto* redirect = std::get_if<ReadRedirect>(&verb)) {
      std::string next;
      if (!post(redirect->url, {}, next)) return false;
      pending_xml_ = std::move(next);
      return true;
    } else {
      end_call();
      return false;
    }
  }
  // The end of a document without Gather, Dial, Redirect or Hangup ends the call.
  end_call();
  return false;
}

bool CallPlayer::gather(const ReadGather& verb) {
  const std::string& prompt = verb.prompt;
  const int prompt_ms = engine::spoken_milliseconds(prompt);
  if (next_turn_ >= call_.turns.size()) {
    // The script is over: the caller listens and hangs up.
    agent_says(prompt, prompt_ms);
    report_.transcript.push_back(
        {TranscriptLine::Who::caller, "", "hangs up (end of script)", clock_ms_});
    end_call();
    return false;
  }
  const CallerTurn& turn = call_.turns[next_turn_++];
  ++report_.turns;
  std::vector<carrier::FormParam> params;
  std::string note;
  switch (turn.kind) {
    case CallerTurn::Kind::say: {
      int heard_ms = prompt_ms;
      if (turn.barge_in_ms && *turn.barge_in_ms < prompt_ms) {
        heard_ms = *turn.barge_in_ms;
        char text[64];
        std::snprintf(text, sizeof text, "talks over the agent %.1f s into its prompt",
                      heard_ms / 1000.0);
        note = text;
        params.push_back({"VoiceopsBargeInMs", std::to_string(heard_ms)});
      }
      agent_says(prompt, heard_ms);
      clock_ms_ += turn.pause_ms + caller_reaction_ms;
      if (turn.confidence < 0.6)
        note += (note.empty() ? "" : "; ") + confidence_note(turn.confidence);
      report_.transcript.push_back({TranscriptLine::Who::caller, turn.text, note, clock_ms_});
      clock_ms_ += engine::spoken_milliseconds(turn.text, caller_words_per_minute);
      char confidence[16];
      std::snprintf(confidence, sizeof confidence, "%.2f", turn.confidence);
      params.push_back({"SpeechResult", turn.text});
      params.push_back({"Confidence", confidence});
      ++speech_requests_;
      break;
    }
    case CallerTurn::Kind::dtmf:
      agent_says(prompt, prompt_ms);
      clock_ms_ += turn.pause_ms + caller_reaction_ms + 300 * static_cast<int>(turn.text.size());
      report_.transcript.push_back(
          {TranscriptLine::Who::caller, "", "presses " + turn.text, clock_ms_});
      params.push_back({"Digits", turn.text});
      break;
    case CallerTurn::Kind::silence:
      agent_says(prompt, prompt_ms);
      clock_ms_ += verb.timeout_s * 1000;
      report_.transcript.push_back({TranscriptLine::Who::caller, "",
                                    "silence (" + std::to_string(verb.timeout_s) + " s)",
                                    clock_ms_});
      ++speech_requests_;
      break;
    case CallerTurn::Kind::hangup:
      agent_says(prompt, turn.barge_in_ms ? std::min(prompt_ms, *turn.barge_in_ms) : prompt_ms);
      report_.transcript.push_back({TranscriptLine::Who::caller, "", "hangs up", clock_ms_});
      hung_up_by_script_ = true;
      end_call();
      return false;
  }
  std::string next;
  if (!post(verb.action, std::move(params), next)) return false;
  pending_xml_ = std::move(next);
  return true;
}

std::string CallPlayer::confidence_note(double confidence) {
  char text[48];
  std::snprintf(text, sizeof text, "recogniser confidence %.2f", confidence);
  return text;
}

bool CallPlayer::dial(const ReadDial& verb) {
  std::string destination = verb.number;
  for (const auto& d : contract_.destinations) {
    if (d.number.value == verb.number) destination = d.id;
  }
  report_.destination = destination;
  dialled_ = true;
  const std::string& result = call_.transfer_result;
  report_.transcript.push_back({TranscriptLine::Who::system,
                                "transfer to " + destination + " (" + verb.number + "): " + result,
                                "", clock_ms_});
  clock_ms_ += 8000;  // ringing
  if (verb.action.empty()) {
    end_call();
    return false;
  }
  // The staff leg: a CallSid of its own, unique within the run.
  const std::string leg = call_id_ + "L" + std::to_string(++transfers_);
  // A phone that answers (a person, or their voicemail) completes the dial, whatever follows.
  const bool answered = result == "completed" || result == "voicemail" || result == "declined";
  if (answered && !verb.screen_url.empty() && !screen(verb, leg, result)) return false;
  std::string next;
  if (!post(verb.action,
            {{"DialCallStatus", answered ? "completed" : result}, {"DialCallSid", leg}}, next))
    return false;
  pending_xml_ = std::move(next);
  return true;
}

bool CallPlayer::screen(const ReadDial& verb, const std::string& sid, const std::string& result) {
  const std::vector<carrier::FormParam> leg = {{"ParentCallSid", call_id_},
                                               {"Direction", "outbound-dial"},
                                               {"CallStatus", "in-progress"},
                                               {"To", verb.number}};
  std::string xml;
  if (!post_as(sid, verb.screen_url, leg, xml)) return false;
  auto verbs = read_twiml(xml);
  if (!verbs) {
    fail("unfollowable_twiml", verb.screen_url + ": " + verbs.error());
    finished_ = true;
    return false;
  }
  const ReadGather* gather = nullptr;
  for (const ReadVerb& v : *verbs) {
    if ((gather = std::get_if<ReadGather>(&v))) break;
  }
  if (!gather) {  // the screen hung up at once: nobody can take the call
    report_.transcript.push_back({TranscriptLine::Who::system,
                                  "the staff phone is hung up without a screen", "", clock_ms_});
    return true;
  }
  // The screen plays on the staff leg while the caller hears ringing: the call's clock counts
  // the transfer's fixed ringing time only, screened or not.
  report_.transcript.push_back(
      {TranscriptLine::Who::system, "staff hears: " + gather->prompt, "", clock_ms_});
  if (result == "voicemail") {
    report_.transcript.push_back(
        {TranscriptLine::Who::system, "voicemail answers; no key is pressed", "", clock_ms_});
    return true;
  }
  const std::string key = result == "completed" ? "1" : "2";
  report_.transcript.push_back(
      {TranscriptLine::Who::system, "staff presses " + key, "", clock_ms_});
  std::vector<carrier::FormParam> answer = leg;
  answer.push_back({"Digits", key});
  std::string ignored;
  return post_as(sid, gather->action, std::move(answer), ignored);
}

// Follows each document the handlers answer with until the call ends.
void CallPlayer::follow_loop(std::string xml) {
  pending_xml_ = std::move(xml);
  while (!pending_xml_.empty() && !finished_) {
    if (report_.webhooks > max_webhooks_per_call) {
      fail("unfollowable_twiml", "the call did not end after " +
                                     std::to_string(max_webhooks_per_call) +
                                     " webhooks; the agent is looping");
      return;
    }
    std::string current = std::move(pending_xml_);
    pending_xml_.clear();
    if (!follow(current)) return;
  }
}

}  // namespace voiceops::testcalls
