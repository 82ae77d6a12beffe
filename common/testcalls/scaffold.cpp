#include "testcalls/scaffold.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <optional>
#include <set>

#include "engine/dialogue.hpp"

namespace voiceops::testcalls {
namespace {

using contract::Question;
using contract::Step;
using contract::StepKind;

// What a cooperative caller answers to a question of each type.
std::string sample_answer(const Question& q) {
  const std::string type(to_string(q.type.value));
  if (type == "name") return "it's maria lopez";
  if (type == "phone") return "five one two five five five zero one four two";
  if (type == "address") return "twelve oak street";
  if (type == "yes_no") return "yes";
  if (type == "scale") return "about a four";
  if (type == "choice") return q.choices.empty() ? "" : q.choices.front().value;
  if (type == "digits") {
    std::string digits;
    for (int i = 0; i < std::max(q.digits, 4); ++i)
      digits += (i ? " " : "") + std::string(1, "26018394"[i % 8]);
    return digits;
  }
  if (type == "datetime") return "tomorrow morning";
  return "it started making a loud banging noise this morning";
}

bool value_escalates(const contract::Contract& c, const std::string& slot,
                     const std::string& value) {
  for (const auto& row : c.escalation) {
    if (row.slot.value != slot) continue;
    for (const auto& v : row.values) {
      if (v.value == value) return true;
    }
  }
  return false;
}

struct Walk {
  std::vector<std::pair<std::string, std::string>>
      answers;  // question id ("" = a read-back), what the caller says
  struct Tool {
    std::string name, on_error;
    std::size_t answers_before = 0;
  };
  std::vector<Tool> tools;
  std::string outcome = "failure";  // how the walk ends: success, failure or escalated (a transfer)
};

// A yes/no answer that would take a cooperative caller off the happy path: a "yes" that fires an
// escalation row or leads straight to a transfer (a safety screen) is answered "no".
std::string cooperative_yes_no(const contract::Contract& c, const Step& step, const Question& q) {
  if (value_escalates(c, q.id, "yes")) return "no";
  for (const auto& [branch, target] : step.branch) {
    const Step* next = c.step(target.value);
    if (branch.value != "yes" || !next || next->kind == StepKind::ask ||
        next->kind == StepKind::call) {
      continue;
    }
    const bool leads_to_transfer = next->kind == StepKind::transfer ||
                                   (next->kind == StepKind::say && c.step(next->next.value) &&
                                    c.step(next->next.value)->kind == StepKind::transfer);
    if (leads_to_transfer) return "no";
  }
  return "yes";
}

// Plays the first intent through the engine the way a cooperative caller would, answering what
// is asked (a read-back with a yes), so the script follows the very flow the engine takes:
// questions answered by the opening words are skipped there too. `failing_tool`, when set, is
// the tool that fails (the rest succeed).
Walk walk(const contract::Contract& c, const contract::Directory* directory,
          const std::string& from, std::chrono::sys_seconds at, const std::string& opening,
          const std::string& failing_tool = {}) {
  Walk w;
  const engine::Dialogue dialogue(c, directory);
  engine::CallState state;
  state.call_id = "scaffold";
  const std::string to = c.answers.numbers.empty() ? "" : c.answers.numbers.front().value;
  std::vector<engine::Action> actions = dialogue.handle(state, engine::CallArrived{from, to}, at);
  bool opened = false;
  for (int rounds = 0; rounds < 200; ++rounds) {
    std::optional<engine::Event> next;
    for (const auto& action : actions) {
      if (const auto* tool = std::get_if<engine::CallTool>(&action)) {
        const contract::Step* step = c.step(state.step);
        w.tools.push_back({tool->name, step ? step->on_error.value : "", w.answers.size()});
        const bool fails = !failing_tool.empty() && tool->name == failing_tool;
        next = engine::ToolResult{tool->name,
                                  fails ? engine::ToolStatus::error : engine::ToolStatus::ok, ""};
      } else if (std::holds_alternative<engine::Transfer>(action)) {
        w.outcome = "escalated";
        return w;
      } else if (const auto* ended = std::get_if<engine::EndCall>(&action)) {
        w.outcome = to_string(ended->outcome);
        return w;
      } else if (std::holds_alternative<engine::Gather>(action)) {
        std::string question_id, answer;
        if (!opened) {
          answer = opening;
          opened = true;
        } else if (state.phase == engine::Phase::confirm) {
          answer = "yes that's right";
        } else if (state.phase == engine::Phase::safety_check) {
          answer = "no";
        } else if (const contract::Step* step = c.step(state.step);
                   step && step->kind == StepKind::ask && state.phase == engine::Phase::ask) {
          const Question* q = c.question(step->target.value);
          if (!q) return w;
          question_id = q->id;
          answer = q->type.value == contract::QuestionType::yes_no
                       ? cooperative_yes_no(c, *step, *q)
                       : sample_answer(*q);
        } else if (const Question* part = c.question(state.message_part)) {
          question_id = part->id;
          answer = sample_answer(*part);
        } else {
          answer = "no that's all";
        }
        w.answers.emplace_back(question_id, answer);
        next = engine::SpeechHeard{answer, 0.92, std::nullopt};
      }
    }
    if (!next) return w;
    actions = dialogue.handle(state, *next, at);
  }
  return w;
}

// A local time in the contract's zone as RFC 3339 with its offset: the Monday after 2026-11-22
// at `hour`, moved to a weekday the contract is open or closed as wanted.
struct CallTime {
  std::string text;  // RFC 3339 with the zone's offset
  std::chrono::sys_seconds instant{};
};

CallTime call_time(const contract::Contract& c, bool after_hours) {
  int hour = after_hours ? 21 : 10;
  int day_offset = 1;  // 2026-11-23 is a Monday
  for (int d = 0; d < 7; ++d) {
    const auto& day = c.hours.days[d];
    const bool open_at = day.open && hour * 60 >= day.opens_minute && hour * 60 < day.closes_minute;
    if (open_at != after_hours) {
      day_offset = 1 + d;
      break;
    }
  }
  const auto local = date::local_days{date::year{2026} / 11 / 22} + date::days{day_offset} +
                     std::chrono::hours{hour};
  try {
    const auto zoned = date::make_zoned(c.hours.time_zone.value, local);
    const auto offset =
        std::chrono::duration_cast<std::chrono::minutes>(zoned.get_info().offset).count();
    return {
        date::format("%FT%T", local) + fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+',
                                                   std::abs(offset) / 60, std::abs(offset) % 60),
        std::chrono::time_point_cast<std::chrono::seconds>(zoned.get_sys_time())};
  } catch (const std::exception&) {
    return {date::format("%FT%T", local) + "+00:00",
            std::chrono::sys_seconds{local.time_since_epoch()}};
  }
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

// The opening words of every scaffolded call: the first intent's first example.
std::string opening_of(const contract::Contract& c) {
  return c.intents.empty() || c.intents.front().examples.empty()
             ? "hi i need some help"
             : c.intents.front().examples.front().value;
}

std::string call_file(const contract::Contract& c, const contract::Directory* directory,
                      const std::string& from, const Walk& w, const std::string& kind,
                      const std::string& description, std::size_t turn_index_to_vary) {
  const bool after = c.answers.when.value == contract::Hours::after_hours;
  const CallTime when = call_time(c, after);
  std::string out = fmt::format("# {}\n[call]\nkind = \"{}\"\ndescription = {}\nfrom = \"{}\"\n",
                                description, kind, quoted(description), from);
  out += fmt::format("at = {}\n\n", when.text);
  const std::string opening = opening_of(c);
  out += "[[turn]]\nsay = " + quoted(opening) + "\n";
  if (kind == "escalation") {
    out +=
        "\n[[turn]]\nsay = \"can i just talk to a real person\"\n\n[expect]\noutcome = "
        "\"escalated\"\n"
        "escalation = \"asks_for_person\"\n";
    return out;
  }
  // The opening words are the walk's first answer; the rest follow.
  std::vector<std::pair<std::string, std::string>> answers(
      w.answers.empty() ? w.answers.begin() : w.answers.begin() + 1, w.answers.end());
  std::string outcome = w.outcome, expectations;
  if (kind == "integration_failure" && !w.tools.empty()) {
    // The last system call fails: the flow's on_error path, or the tool-failure escalation row.
    const Walk failed = walk(c, directory, from, when.instant, opening, w.tools.back().name);
    answers.assign(failed.answers.empty() ? failed.answers.begin() : failed.answers.begin() + 1,
                   failed.answers.end());
    outcome = failed.outcome;
    if (w.tools.back().on_error.empty()) expectations = "escalation = \"tool_failure\"\n";
  }
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const bool read_back_follows = i + 1 < answers.size() && answers[i + 1].first.empty();
    out += "\n[[turn]]\nsay = " + quoted(answers[i].second) + "\n";
    if (kind == "interruptions" && i == turn_index_to_vary) {
      out += "barge_in_ms = 800\n\n[[turn]]\nsay = \"sorry what was that\"\n\n[[turn]]\nsay = " +
             quoted(answers[i].second) + "\n";
    }
    if (kind == "caller_correction" && i == turn_index_to_vary) {
      out += "\n[[turn]]\nsay = \"actually no wait it's 21 oak street not 12\"\n";
      if (read_back_follows) ++i;  // the correction is confirmed back in place of the read-back
    }
  }
  if (kind == "integration_failure" && !w.tools.empty()) {
    out += fmt::format("\n[integrations]\n{} = \"error\"\n", quoted(w.tools.back().name));
  }
  out += fmt::format("\n[expect]\noutcome = \"{}\"\n", outcome);
  if (outcome == "success") out += fmt::format("event = \"{}\"\n", c.workflow.success_event.value);
  if (outcome == "failure") out += fmt::format("event = \"{}\"\n", c.workflow.failure_event.value);
  out += expectations + "max_duration_s = 240\n";
  return out;
}

// The caller: for an Ops line, someone in the directory who may use the first flow.
std::string caller_for(const contract::Contract& c, const contract::Directory* directory) {
  if (!c.workflow.internal() || !directory || c.intents.empty()) return "+15125550142";
  for (const auto& person : directory->people) {
    if (person.shared_phone || person.phones.empty()) continue;
    for (const auto& role_id : person.roles) {
      for (const auto& role : c.roles) {
        if (role.id != role_id.value) continue;
        for (const auto& flow : role.flows) {
          if (flow.value == c.intents.front().id) return person.phones.front().value;
        }
      }
    }
  }
  return "+15125550142";
}

}  // namespace

Result<std::vector<ScaffoldFile>, std::string> scaffold_pack(
    const contract::Contract& c, const contract::Directory* directory,
    const std::string& contract_path_from_pack) {
  if (c.intents.empty()) return unexpected(std::string("the contract has no intents to script"));
  const std::string from = caller_for(c, directory);
  const Walk w = walk(c, directory, from,
                      call_time(c, c.answers.when.value == contract::Hours::after_hours).instant,
                      opening_of(c));
  std::size_t address_turn = 0;
  for (std::size_t i = 1; i < w.answers.size(); ++i) {
    const Question* q = c.question(w.answers[i].first);
    if (q && q->type.value == contract::QuestionType::address) address_turn = i - 1;
  }
  std::vector<ScaffoldFile> files;
  files.push_back(
      {"pack.toml",
       fmt::format("# The five-call test pack for {}: voiceops-testcalls(5).\n"
                   "# Run it with: voiceops testcalls run <this folder>\n"
                   "schema_version = 1\nname = \"{}\"\ncontract = {}\n",
                   c.workflow.id.value, c.workflow.id.value, quoted(contract_path_from_pack))});
  files.push_back({"01-happy-path.toml", call_file(c, directory, from, w, "happy_path",
                                                   "A cooperative caller, start to finish", 0)});
  files.push_back(
      {"02-caller-correction.toml", call_file(c, directory, from, w, "caller_correction",
                                              "The caller corrects the address", address_turn)});
  files.push_back({"03-interruptions.toml",
                   call_file(c, directory, from, w, "interruptions",
                             "The caller talks over a prompt and asks to hear it again", 0)});
  files.push_back(
      {"04-integration-failure.toml", call_file(c, directory, from, w, "integration_failure",
                                                "The last system the workflow calls fails", 0)});
  files.push_back({"05-escalation.toml", call_file(c, directory, from, w, "escalation",
                                                   "The caller asks for a person", 0)});
  return files;
}

}  // namespace voiceops::testcalls
