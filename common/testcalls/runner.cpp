#include "testcalls/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <set>

#include "engine/cost.hpp"
#include "engine/dialogue.hpp"
#include "service/call_service.hpp"
#include "testcalls/twiml_reader.hpp"
#include "twilio/signature.hpp"

namespace voiceops::testcalls {
namespace {

constexpr const char* test_token = "voiceops-test-auth-token";
constexpr const char* test_url = "https://voiceops.test";
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

// Answers a call's tool calls from its [integrations] script; unscripted tools succeed.
class ScriptedTools final : public service::ToolRunner {
 public:
  ScriptedTools(const ScriptedCall& call, CallReport& report, int& clock_ms)
      : call_(call), report_(report), clock_ms_(clock_ms) {}

  engine::ToolResult run(const engine::CallState&, const engine::CallTool& tool,
                         const twilio::FormParams&) override {
    const service::ScriptedAnswer answer = service::answer_from_script(call_.integrations, tool);
    const engine::ToolResult& result = answer.result;
    const int spent = answer.spent_ms;
    clock_ms_ += spent;
    const std::string outcome = engine::to_string(result.status);
    report_.tool_calls.push_back(tool.name + " -> " + outcome);
    report_.transcript.push_back({TranscriptLine::Who::system, "tool " + tool.name + ": " + outcome,
                                  spent > 0 ? std::to_string(spent) + " ms" : "", clock_ms_});
    if (result.status != engine::ToolStatus::ok && result.status != engine::ToolStatus::duplicate) {
      report_.failed_systems.push_back(tool.name.substr(0, tool.name.find('.')));
    }
    return result;
  }

 private:
  const ScriptedCall& call_;
  CallReport& report_;
  int& clock_ms_;
};

class RecordingMessenger final : public service::Messenger {
 public:
  RecordingMessenger(CallReport& report, int& clock_ms) : report_(report), clock_ms_(clock_ms) {}
  void notify(const engine::CallState&, const engine::Notify& notice) override {
    if (report_.destination.empty()) report_.destination = notice.destination;
    const char* how = notice.kind == "queue"       ? "queued for "
                      : notice.kind == "voicemail" ? "message left for "
                                                   : "text to ";
    report_.transcript.push_back({TranscriptLine::Who::system,
                                  how + notice.destination + ": " + notice.text, "", clock_ms_});
  }

 private:
  CallReport& report_;
  int& clock_ms_;
};

// One scripted call, played against a fresh service.
class CallPlayer {
 public:
  CallPlayer(const ScriptedCall& call, const contract::Contract& contract,
             std::shared_ptr<const contract::Contract> shared_contract,
             std::shared_ptr<const contract::Directory> directory, CallReport& report)
      : call_(call),
        contract_(contract),
        report_(report),
        tools_(call, report, clock_ms_),
        messenger_(report, clock_ms_) {
    service::CallServiceOptions options;
    options.public_url = test_url;
    options.auth_token = test_token;
    options.clock = [this] {
      return std::chrono::sys_seconds{std::chrono::seconds{call_.at_unix + clock_ms_ / 1000}};
    };
    service_ = std::make_unique<service::CallService>(
        std::vector<service::Workflow>{{std::move(shared_contract), std::move(directory)}},
        sessions_, tools_, messenger_, std::move(options));
    call_id_ = "CA" + std::string(32 - std::min<std::size_t>(call.name.size(), 30), '0') +
               call.name.substr(0, 30);
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
      return;
    }
    follow_loop(xml);
    if (next_turn_ < call_.turns.size() && !hung_up_by_script_) {
      fail("script_unused", "the call ended with " +
                                std::to_string(call_.turns.size() - next_turn_) +
                                " caller turn(s) unplayed, from line " +
                                std::to_string(call_.turns[next_turn_].where.line));
    }
  }

  service::CallService& service() { return *service_; }
  const std::string& call_id() const { return call_id_; }
  int clock_ms() const { return clock_ms_; }
  int speech_requests() const { return speech_requests_; }
  long spoken_characters() const { return spoken_characters_; }
  const std::string& agent_said() const { return agent_said_; }

 private:
  void fail(std::string kind, std::string message) {
    report_.failures.push_back({std::move(kind), std::move(message)});
  }

  bool post(const std::string& path, std::vector<twilio::FormParam> params, std::string& xml) {
    params.insert(params.begin(),
                  {{"AccountSid", "AC00000000000000000000000000000000"}, {"CallSid", call_id_}});
    service::HttpRequest request;
    request.target = path;
    request.body = twilio::encode_form(params);
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"X-Twilio-Signature", twilio::compute_signature(test_token, test_url + path, params)}};
    ++report_.webhooks;
    const auto start = std::chrono::steady_clock::now();
    service::HttpResponse response = service_->handle(request);
    const double spent =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    report_.engine_microseconds += spent;
    report_.webhook_microseconds.push_back(spent);
    if (response.status != 200) {
      fail("unfollowable_twiml", path + " answered HTTP " + std::to_string(response.status) + ": " +
                                     squeeze(response.body));
      finished_ = true;
      return false;
    }
    xml = response.body;
    return true;
  }

  void agent_says(const std::string& text, int spoken_ms) {
    if (text.empty()) return;
    report_.transcript.push_back({TranscriptLine::Who::agent, text, "", clock_ms_});
    agent_said_ += text + "\n";
    spoken_characters_ += static_cast<long>(text.size());
    clock_ms_ += spoken_ms;
  }

  void end_call() {
    if (finished_) return;
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
    std::vector<twilio::FormParam> params;
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
  CallReport& report_;
  int clock_ms_ = 0;
  ScriptedTools tools_;
  RecordingMessenger messenger_;
  service::MemorySessionStore sessions_;
  std::unique_ptr<service::CallService> service_;
  std::string call_id_;
  std::size_t next_turn_ = 0;
  bool finished_ = false;
  bool hung_up_by_script_ = false;
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

void check_expectations(const ScriptedCall& call, const contract::Contract& contract,
                        CallReport& report, const std::string& agent_said) {
  const Expectations& e = call.expect;
  auto fail = [&](std::string kind, std::string message) {
    report.failures.push_back({std::move(kind), std::move(message)});
  };
  if (e.outcome && *e.outcome != report.outcome) {
    fail("wrong_outcome", "outcome is " + report.outcome + ", expected " + *e.outcome);
  }
  if (e.event && *e.event != report.event)
    fail("wrong_event", "event is " + report.event + ", expected " + *e.event);
  if (e.destination && *e.destination != report.destination) {
    fail("wrong_destination",
         "destination is " +
             (report.destination.empty() ? std::string("none") : report.destination) +
             ", expected " + *e.destination);
  }
  if (e.escalation && *e.escalation != report.escalation) {
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
    std::string label = "row " + std::to_string(i + 1) + " " + row.trigger.value +
                        (row.name.value.empty() ? "" : " (" + row.name.value + ")") + " -> " +
                        row.destination.value;
    // A tool failure the flow handles with on_error exercises the tool-failure rule as well.
    const bool covered =
        !hit_by.empty() || (row.trigger.value == "tool_failure" && any_tool_failure);
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
      std::count_if(calls.begin(), calls.end(), [](const CallReport& c) { return !c.passed(); }));
}

PackReport run_pack(const Pack& pack, const contract::Contract& contract,
                    const contract::Directory* directory) {
  PackReport report;
  report.pack = &pack;
  report.contract_name = contract.workflow.id.value;
  // The service shares ownership; these aliases do not own what the caller keeps alive.
  std::shared_ptr<const contract::Contract> shared_contract(std::shared_ptr<void>(), &contract);
  std::shared_ptr<const contract::Directory> shared_directory(std::shared_ptr<void>(), directory);
  for (const ScriptedCall& call : pack.calls) {
    CallReport& r = report.calls.emplace_back();
    r.script = &call;
    CallPlayer player(call, contract, shared_contract, shared_directory, r);
    player.play();
    if (auto state = player.service().call_state(player.call_id())) {
      r.outcome = state->outcome ? engine::to_string(*state->outcome) : "unfinished";
      r.event = state->event;
      r.after_hours = state->after_hours;
      for (const auto& [name, slot] : state->slots) r.slots[name] = slot.value;
      r.escalation_rows = state->escalations;
      if (!state->escalations.empty())
        r.escalation = contract.escalation[state->escalations.front()].trigger.value;
      r.summary = player.service().summary(*state);
    } else {
      r.outcome = "unfinished";
    }
    r.duration_s = player.clock_ms() / 1000.0;
    r.cost = engine::call_cost(
        contract.cost, {r.duration_s, player.speech_requests(), player.spoken_characters()});
    check_expectations(call, contract, r, player.agent_said());
  }
  check_coverage(pack, contract, report);
  return report;
}

}  // namespace voiceops::testcalls
