#include "testcalls/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "calls/scripted_tools.hpp"
#include "engine/business_hours.hpp"
#include "engine/cost.hpp"
#include "engine/dialogue.hpp"
#include "testcalls/twiml_reader.hpp"

namespace voiceops::testcalls {
namespace {

constexpr int max_webhooks_per_call = 400;
constexpr int caller_words_per_minute = 170;
constexpr int caller_reaction_ms = 600;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string squeeze(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      out += c;
      space = false;
    }
  }
  return out;
}

// One scripted call, played against a target. In-process, the target calls back for the call's
// clock, its scripted systems and its staff messages.
class CallPlayer final : public CallHooks {
 public:
  CallPlayer(const ScriptedCall& call, const contract::Contract& contract, Target& target,
             CallReport& report)
      : call_(call), contract_(contract), target_(target), report_(report) {
    call_id_ = target_.begin_call(call_, *this);
  }

  void play() {
    std::string to = call_.to.empty() && !contract_.answers.numbers.empty()
                         ? contract_.answers.numbers.front().value
                         : call_.to;
    std::string xml;
    if (!post(
            "/twilio/voice",
            {{"CallStatus", "ringing"}, {"Direction", "inbound"}, {"From", call_.from}, {"To", to}},
            xml)) {
      if (target_.remote()) end_call();  // a daemon closes the call it may have started
      return;
    }
    follow_loop(xml);
    if (target_.remote()) end_call();
    if (next_turn_ < call_.turns.size() && !hung_up_by_script_ && !report_.skipped() &&
        !unreachable_) {
      fail("script_unused", "the call ended with " +
                                std::to_string(call_.turns.size() - next_turn_) +
                                " caller turn(s) unplayed, from line " +
                                std::to_string(call_.turns[next_turn_].where.line));
    }
  }

  const std::string& call_id() const { return call_id_; }
  int clock_ms() const { return clock_ms_; }
  int speech_requests() const { return speech_requests_; }
  long spoken_characters() const { return spoken_characters_; }
  const std::string& agent_said() const { return agent_said_; }
  bool dialled() const { return dialled_; }
  const std::optional<std::string>& unreachable() const { return unreachable_; }

  // CallHooks: the call's simulated clock, its [integrations] script (unscripted tools succeed)
  // and the summaries the agent hands to staff.
  std::chrono::sys_seconds now() const override {
    return std::chrono::sys_seconds{std::chrono::seconds{call_.at_unix + clock_ms_ / 1000}};
  }

  engine::ToolResult run_tool(const engine::CallTool& tool) override {
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

  void notified(const engine::Notify& notice) override {
    if (report_.destination.empty()) report_.destination = notice.destination;
    const char* how = notice.kind == "queue"       ? "queued for "
                      : notice.kind == "voicemail" ? "message left for "
                                                   : "text to ";
    report_.transcript.push_back({TranscriptLine::Who::system,
                                  how + notice.destination + ": " + notice.text, "", clock_ms_});
  }

 private:
  void fail(std::string kind, std::string message) {
    report_.failures.push_back({std::move(kind), std::move(message)});
  }

  bool post(const std::string& path, std::vector<carrier::FormParam> params, std::string& xml) {
    params.insert(params.begin(),
                  {{"AccountSid", "AC00000000000000000000000000000000"}, {"CallSid", call_id_}});
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
        message +=
            " (sign with the daemon's [server] public_url: --public-url, and its auth token)";
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

  void agent_says(const std::string& text, int spoken_ms) {
    if (text.empty()) return;
    report_.transcript.push_back({TranscriptLine::Who::agent, text, "", clock_ms_});
    agent_said_ += text + "\n";
    spoken_characters_ += static_cast<long>(text.size());
    clock_ms_ += spoken_ms;
  }

  // The carrier's final status callback, so the target closes the call; once per call.
  void end_call() {
    if (status_sent_ || unreachable_) return;
    status_sent_ = true;
    finished_ = true;
    std::string ignored;
    post("/twilio/status",
         {{"CallStatus", "completed"}, {"CallDuration", std::to_string(clock_ms_ / 1000)}},
         ignored);
  }

  // Follows one TwiML document; false when the call is over.
  bool follow(const std::string& xml) {
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

  bool gather(const ReadGather& verb) {
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

  static std::string confidence_note(double confidence) {
    char text[48];
    std::snprintf(text, sizeof text, "recogniser confidence %.2f", confidence);
    return text;
  }

  bool dial(const ReadDial& verb) {
    std::string destination = verb.number;
    for (const auto& d : contract_.destinations) {
      if (d.number.value == verb.number) destination = d.id;
    }
    report_.destination = destination;
    dialled_ = true;
    report_.transcript.push_back(
        {TranscriptLine::Who::system,
         "transfer to " + destination + " (" + verb.number + "): " + call_.transfer_result, "",
         clock_ms_});
    clock_ms_ += 8000;  // ringing
    if (verb.action.empty()) {
      end_call();
      return false;
    }
    std::string next;
    if (!post(verb.action, {{"DialCallStatus", call_.transfer_result}}, next)) return false;
    pending_xml_ = std::move(next);
    return true;
  }

  // Follows each document the handlers answer with until the call ends.
  void follow_loop(std::string xml) {
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
  std::optional<std::string> unreachable_;
  int speech_requests_ = 0;
  long spoken_characters_ = 0;
  std::string agent_said_;
  std::string pending_xml_;
};

std::string money(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

// What the target could not show is listed as unchecked rather than judged.
struct Observed {
  bool escalation = true;
  bool destination = true;
};

void check_expectations(const ScriptedCall& call, const contract::Contract& contract,
                        CallReport& report, const std::string& agent_said,
                        const Observed& observed) {
  const Expectations& e = call.expect;
  auto fail = [&](std::string kind, std::string message) {
    report.failures.push_back({std::move(kind), std::move(message)});
  };
  if (e.destination && !observed.destination) report.unchecked.push_back("destination");
  if (e.escalation && !observed.escalation) report.unchecked.push_back("escalation");
  if (e.outcome && *e.outcome != report.outcome) {
    fail("wrong_outcome", "outcome is " + report.outcome + ", expected " + *e.outcome);
  }
  if (e.event && *e.event != report.event)
    fail("wrong_event", "event is " + report.event + ", expected " + *e.event);
  if (e.destination && observed.destination && *e.destination != report.destination) {
    fail("wrong_destination",
         "destination is " +
             (report.destination.empty() ? std::string("none") : report.destination) +
             ", expected " + *e.destination);
  }
  if (e.escalation && observed.escalation && *e.escalation != report.escalation) {
    fail("wrong_escalation",
         "escalation is " + (report.escalation.empty() ? std::string("none") : report.escalation) +
             ", expected " + *e.escalation);
  }
  if (e.hours) {
    const std::string hours = report.after_hours ? "after_hours" : "business_hours";
    if (*e.hours != hours)
      fail("wrong_hours", "the call was in " + hours + ", expected " + *e.hours);
  }
  for (const auto& [name, expected] : e.slots) {
    auto it = report.slots.find(name);
    if (it == report.slots.end()) {
      fail("missing_slot", "slot " + name + " was never filled, expected \"" + expected + "\"");
    } else if (lower(it->second) != lower(expected)) {
      fail("wrong_slot_value",
           "slot " + name + " is \"" + it->second + "\", expected \"" + expected + "\"");
    }
  }
  const std::string said = lower(squeeze(agent_said));
  for (const auto& phrase : e.say) {
    if (said.find(lower(squeeze(phrase))) == std::string::npos) {
      fail("missing_phrase", "the agent never said \"" + phrase + "\"");
    }
  }
  for (const auto& phrase : e.never_say) {
    if (said.find(lower(squeeze(phrase))) != std::string::npos) {
      fail("forbidden_phrase", "the agent said \"" + phrase + "\"");
    }
  }
  if (report.summary.empty()) fail("summary", "the call has no summary");
  if (static_cast<int>(report.summary.size()) > e.max_summary_chars) {
    fail("summary_too_long", "the summary has " + std::to_string(report.summary.size()) +
                                 " characters, over " + std::to_string(e.max_summary_chars));
  }
  for (const auto& phrase : e.summary_contains) {
    if (lower(report.summary).find(lower(phrase)) == std::string::npos) {
      fail("summary_content", "the summary lacks \"" + phrase + "\": " + report.summary);
    }
  }
  if (e.max_turns && report.turns > *e.max_turns) {
    fail("budget_exceeded", "the call took " + std::to_string(report.turns) +
                                " caller turns, over " + std::to_string(*e.max_turns));
  }
  if (e.max_duration_s && report.duration_s > *e.max_duration_s) {
    fail("budget_exceeded", "the call lasted " +
                                std::to_string(static_cast<int>(report.duration_s)) + " s, over " +
                                std::to_string(*e.max_duration_s) + " s");
  }
  if (e.max_cost && report.cost > *e.max_cost + 1e-9) {
    fail("budget_exceeded", "the call cost " + money(report.cost) + " " +
                                contract.cost.currency.value + ", over " + money(*e.max_cost));
  }
}

// A daemon routes by its own clock: a call scripted in the other hours than now would reach the
// other hours' workflow (or answers), so it cannot be reproduced there.
std::optional<std::string> hours_mismatch(const ScriptedCall& call,
                                          const contract::Contract& contract,
                                          std::chrono::sys_seconds now) {
  const auto scripted = engine::in_business_hours(
      contract.hours, std::chrono::sys_seconds{std::chrono::seconds{call.at_unix}});
  const auto current = engine::in_business_hours(contract.hours, now);
  if (!scripted || !current || *scripted == *current) return std::nullopt;
  const bool scripted_business = *scripted, now_business = *current;
  const auto name = [](bool business) { return business ? "business hours" : "after hours"; };
  return "scripted in " + std::string(name(scripted_business)) + " (" + call.at + "); it is " +
         name(now_business) + " now on the daemon's clock";
}

// The agent reads resolved dates back as "December 4" and writes them as 2026-12-04.
bool names_a_date(const std::string& phrase) {
  static constexpr const char* months[] = {"january", "february", "march",   "april",
                                           "june",    "july",     "august",  "september",
                                           "october", "november", "december"};
  const std::string text = lower(phrase);
  for (const char* month : months) {
    if (text.find(month) != std::string::npos) return true;
  }
  // An ISO date, 2026-12-07.
  for (std::size_t i = 0; i + 10 <= text.size(); ++i) {
    const auto digit = [&](std::size_t k) {
      return std::isdigit(static_cast<unsigned char>(text[k]));
    };
    if (digit(i) && digit(i + 1) && digit(i + 2) && digit(i + 3) && text[i + 4] == '-' &&
        digit(i + 5) && digit(i + 6) && text[i + 7] == '-' && digit(i + 8) && digit(i + 9))
      return true;
  }
  return false;
}

// A daemon resolves "next Thursday" against today, not the call's scripted day: expectations that
// name a resolved date (a datetime slot, or a date in a phrase) cannot be reproduced there.
std::optional<std::string> date_dependence(const ScriptedCall& call,
                                           const contract::Contract& contract) {
  std::string what;
  for (const auto& [slot, expected] : call.expect.slots) {
    const contract::Question* question = contract.question(slot);
    if (question && question->type.value == contract::QuestionType::datetime) {
      what = "slot " + slot;
      break;
    }
  }
  for (const auto* phrases : {&call.expect.say, &call.expect.summary_contains}) {
    for (const auto& phrase : *phrases) {
      if (what.empty() && names_a_date(phrase)) what = "\"" + phrase + "\"";
    }
  }
  if (what.empty()) return std::nullopt;
  return "its expectations name a date (" + what +
         "), which depends on the day on the daemon's clock, not the scripted " + call.at;
}

void check_coverage(const Pack& pack, const contract::Contract& contract, PackReport& report) {
  auto gap = [&](std::string message) {
    report.coverage.push_back({"coverage_gap", std::move(message)});
  };
  for (const char* kind : call_kinds) {
    const bool present = std::any_of(pack.calls.begin(), pack.calls.end(),
                                     [&](const ScriptedCall& c) { return c.kind == kind; });
    if (!present)
      gap(std::string("no ") + kind + " call: the launch gate needs one of each of the five kinds");
  }
  const contract::Hours when = contract.answers.when.value;
  const bool any_after = std::any_of(report.calls.begin(), report.calls.end(),
                                     [](const CallReport& c) { return c.after_hours; });
  const bool any_business = std::any_of(report.calls.begin(), report.calls.end(),
                                        [](const CallReport& c) { return !c.after_hours; });
  if ((when == contract::Hours::always || when == contract::Hours::after_hours) && !any_after) {
    gap("no call after hours, when the workflow answers");
  }
  if ((when == contract::Hours::always || when == contract::Hours::business_hours) &&
      !any_business) {
    gap("no call in business hours, when the workflow answers");
  }
  const bool any_tool_failure =
      std::any_of(report.calls.begin(), report.calls.end(),
                  [](const CallReport& c) { return !c.failed_systems.empty(); });
  for (std::size_t i = 0; i < contract.escalation.size(); ++i) {
    const auto& row = contract.escalation[i];
    const bool applies = row.hours.value == contract::Hours::always ||
                         when == contract::Hours::always || row.hours.value == when;
    std::vector<std::string> hit_by;
    for (const auto& call : report.calls) {
      const bool hit = std::find(call.escalation_rows.begin(), call.escalation_rows.end(),
                                 int(i)) != call.escalation_rows.end();
      if (hit) hit_by.push_back(call.script->name);
    }
    std::string label = "row " + std::to_string(i + 1) + " " +
                        std::string(to_string(row.trigger.value)) +
                        (row.name.value.empty() ? "" : " (" + row.name.value + ")") + " -> " +
                        row.destination.value;
    // A tool failure the flow handles with on_error exercises the tool-failure rule as well.
    const bool covered = !hit_by.empty() ||
                         (row.trigger.value == contract::Trigger::tool_failure && any_tool_failure);
    report.row_coverage.emplace_back(label, hit_by);
    if (applies && !covered) gap("escalation " + label + " is exercised by no call");
  }
  std::set<std::string> called_systems;
  for (const auto& step : contract.steps) {
    if (step.kind == contract::StepKind::call)
      called_systems.insert(step.target.value.substr(0, step.target.value.find('.')));
  }
  for (const auto& system : called_systems) {
    const bool exercised =
        std::any_of(report.calls.begin(), report.calls.end(), [&](const CallReport& c) {
          return std::find(c.failed_systems.begin(), c.failed_systems.end(), system) !=
                 c.failed_systems.end();
        });
    if (!exercised)
      gap("the failure path of system '" + system +
          "' is exercised by no call (script an error or timeout)");
  }
  double total_cost = 0, total_duration = 0;
  for (const auto& call : report.calls) {
    total_cost += call.cost;
    total_duration += call.duration_s;
  }
  if (pack.budgets.max_total_cost && total_cost > *pack.budgets.max_total_cost + 1e-9) {
    report.coverage.push_back({"budget_exceeded", "the pack cost " + money(total_cost) + ", over " +
                                                      money(*pack.budgets.max_total_cost)});
  }
  if (pack.budgets.max_total_duration_s && total_duration > *pack.budgets.max_total_duration_s) {
    report.coverage.push_back(
        {"budget_exceeded", "the pack's calls lasted " + std::to_string(int(total_duration)) +
                                " s, over " + std::to_string(*pack.budgets.max_total_duration_s)});
  }
}

}  // namespace

int PackReport::failed_calls() const {
  return static_cast<int>(
      std::count_if(calls.begin(), calls.end(), [](const CallReport& c) { return c.failed(); }));
}

int PackReport::skipped_calls() const {
  return static_cast<int>(
      std::count_if(calls.begin(), calls.end(), [](const CallReport& c) { return c.skipped(); }));
}

PackReport run_pack(const Pack& pack, const contract::Contract& contract,
                    const contract::Directory* directory) {
  const std::unique_ptr<Target> target = in_process_target(contract, directory);
  return run_pack(pack, contract, directory, *target);
}

PackReport run_pack(const Pack& pack, const contract::Contract& contract,
                    const contract::Directory*, Target& target) {
  PackReport report;
  report.pack = &pack;
  report.contract_name = contract.workflow.id.value;
  const auto wall_clock =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const ScriptedCall& call : pack.calls) {
    CallReport& r = report.calls.emplace_back();
    r.script = &call;
    if (target.remote()) {
      auto reason = hours_mismatch(call, contract, wall_clock);
      if (!reason) reason = date_dependence(call, contract);
      if (reason) {
        r.skip_reason = std::move(reason);
        continue;
      }
    }
    CallPlayer player(call, contract, target, r);
    player.play();
    if (player.unreachable()) {
      report.unreachable = *player.unreachable();
      r.skip_reason = "not finished: the daemon went away";
      break;
    }
    r.duration_s = player.clock_ms() / 1000.0;
    // What the player heard, until the call's own counts are read below.
    engine::CallUsage usage{r.duration_s, player.speech_requests(), player.spoken_characters()};
    r.cost = engine::call_cost(contract.cost, usage);
    if (r.skipped()) continue;
    auto seen = target.observe(player.call_id());
    if (!seen) {
      if (seen.error().unreachable) {
        report.unreachable = seen.error().message;
        r.skip_reason = "not finished: the daemon went away";
        break;
      }
      r.failures.push_back({"target_error", seen.error().message});
      continue;
    }
    if (!*seen && target.remote()) {
      r.skip_reason = "the daemon shows no test state for the call (GET /testing/calls/" +
                      player.call_id() +
                      " answered 404): set [testing] scripted_integrations = true on a staging "
                      "daemon";
      continue;
    }
    r.outcome = "unfinished";
    if (*seen) {
      const ObservedCall& state = **seen;
      if (state.outcome) r.outcome = *state.outcome;
      r.event = state.event;
      r.after_hours = state.after_hours;
      r.slots = state.slots;
      if (state.escalation_rows) {
        // A daemon's answer is input: a row this contract does not have names no trigger.
        for (int row : *state.escalation_rows) {
          if (row >= 0 && static_cast<std::size_t>(row) < contract.escalation.size())
            r.escalation_rows.push_back(row);
        }
        if (!r.escalation_rows.empty())
          r.escalation = to_string(contract.escalation[r.escalation_rows.front()].trigger.value);
      }
      r.summary = state.summary;
      // The cost the store records for a live call: from the call state's own counts.
      if (state.speech_requests && state.spoken_characters) {
        usage.speech_requests = *state.speech_requests;
        usage.spoken_characters = *state.spoken_characters;
        r.cost = engine::call_cost(contract.cost, usage);
      }
    }
    Observed observed;
    observed.escalation = !*seen || (*seen)->escalation_rows.has_value();
    // In-process every staff message is seen; a daemon shows only the transfers it dials.
    observed.destination = !target.remote() || player.dialled();
    check_expectations(call, contract, r, player.agent_said(), observed);
  }
  if (target.remote()) {
    report.coverage_skipped =
        "the pack's coverage of the contract is judged in-process (run without --target)";
  } else {
    check_coverage(pack, contract, report);
  }
  return report;
}

}  // namespace voiceops::testcalls
