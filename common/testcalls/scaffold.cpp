#include "testcalls/scaffold.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <set>

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

// Follows the flow from `step_id` to an end the way a cooperative caller would, answering every
// question and taking every tool's on_ok.
Walk walk(const contract::Contract& c, std::string step_id) {
  Walk w;
  std::set<std::string> seen;
  while (seen.insert(step_id).second) {
    const Step* step = c.step(step_id);
    if (!step) break;
    switch (step->kind) {
      case StepKind::ask: {
        const Question* q = c.question(step->target.value);
        if (!q) return w;
        std::string answer = sample_answer(*q);
        std::string value = q->type.value == contract::QuestionType::yes_no   ? "yes"
                            : q->type.value == contract::QuestionType::choice ? answer
                                                                              : "";
        if (q->type.value == contract::QuestionType::yes_no && value_escalates(c, q->id, "yes")) {
          answer = "no";
          value = "no";
        }
        // A safety screen is answered "no": the happy path is not an emergency.
        if (q->type.value == contract::QuestionType::yes_no) {
          for (const auto& [branch, target] : step->branch) {
            const Step* next = c.step(target.value);
            if (branch.value == "yes" && next && next->kind != StepKind::ask &&
                next->kind != StepKind::call && value == "yes") {
              const bool leads_to_transfer =
                  next->kind == StepKind::transfer ||
                  (next->kind == StepKind::say && c.step(next->next.value) &&
                   c.step(next->next.value)->kind == StepKind::transfer);
              if (leads_to_transfer) answer = value = "no";
            }
          }
        }
        w.answers.emplace_back(q->id, answer);
        if (!q->confirm.value.empty()) w.answers.emplace_back("", "yes that's right");
        step_id = step->next.value;
        for (const auto& [branch, target] : step->branch) {
          if (branch.value == value || (step_id.empty() && branch.value == "other"))
            step_id = target.value;
        }
        if (step_id.empty() && !step->branch.empty()) step_id = step->branch.front().second.value;
        break;
      }
      case StepKind::say: step_id = step->next.value; break;
      case StepKind::transfer: w.outcome = "escalated"; return w;
      case StepKind::call:
        w.tools.push_back({step->target.value, step->on_error.value, w.answers.size()});
        step_id = step->on_ok.value;
        break;
      case StepKind::end: w.outcome = step->target.value; return w;
    }
  }
  return w;
}

// A local time in the contract's zone as RFC 3339 with its offset: the Monday after 2026-11-22
// at `hour`, moved to a weekday the contract is open or closed as wanted.
std::string call_time(const contract::Contract& c, bool after_hours) {
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
    return date::format("%FT%T", local) + fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+',
                                                      std::abs(offset) / 60, std::abs(offset) % 60);
  } catch (const std::exception&) {
    return date::format("%FT%T", local) + "+00:00";
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

std::string call_file(const contract::Contract& c, const std::string& from, const Walk& w,
                      const std::string& kind, const std::string& description,
                      std::size_t turn_index_to_vary) {
  const bool after = c.answers.when.value == contract::Hours::after_hours;
  std::string out = fmt::format("# {}\n[call]\nkind = \"{}\"\ndescription = {}\nfrom = \"{}\"\n",
                                description, kind, quoted(description), from);
  out += fmt::format("at = {}\n\n", call_time(c, after));
  const std::string opening = c.intents.empty() || c.intents.front().examples.empty()
                                  ? "hi i need some help"
                                  : c.intents.front().examples.front().value;
  out += "[[turn]]\nsay = " + quoted(opening) + "\n";
  if (kind == "escalation") {
    out +=
        "\n[[turn]]\nsay = \"can i just talk to a real person\"\n\n[expect]\noutcome = "
        "\"escalated\"\n"
        "escalation = \"asks_for_person\"\n";
    return out;
  }
  std::vector<std::pair<std::string, std::string>> answers = w.answers;
  std::string outcome = w.outcome, expectations;
  if (kind == "integration_failure" && !w.tools.empty()) {
    // The last system call fails: the flow's on_error path, or the tool-failure escalation row.
    const Walk::Tool& tool = w.tools.back();
    answers.resize(tool.answers_before);
    if (tool.on_error.empty()) {
      outcome = "escalated";
      expectations = "escalation = \"tool_failure\"\n";
    } else {
      const Walk after_error = walk(c, tool.on_error);
      answers.insert(answers.end(), after_error.answers.begin(), after_error.answers.end());
      outcome = after_error.outcome;
    }
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
  const Walk w = walk(c, c.intents.front().start.value);
  const std::string from = caller_for(c, directory);
  std::size_t address_turn = 0;
  for (std::size_t i = 0; i < w.answers.size(); ++i) {
    const Question* q = c.question(w.answers[i].first);
    if (q && q->type.value == contract::QuestionType::address) address_turn = i;
  }
  std::vector<ScaffoldFile> files;
  files.push_back(
      {"pack.toml",
       fmt::format("# The five-call test pack for {}: voiceops-testcalls(5).\n"
                   "# Run it with: voiceops testcalls run <this folder>\n"
                   "schema_version = 1\nname = \"{}\"\ncontract = {}\n",
                   c.workflow.id.value, c.workflow.id.value, quoted(contract_path_from_pack))});
  files.push_back({"01-happy-path.toml", call_file(c, from, w, "happy_path",
                                                   "A cooperative caller, start to finish", 0)});
  files.push_back(
      {"02-caller-correction.toml", call_file(c, from, w, "caller_correction",
                                              "The caller corrects the address", address_turn)});
  files.push_back({"03-interruptions.toml",
                   call_file(c, from, w, "interruptions",
                             "The caller talks over a prompt and asks to hear it again", 0)});
  files.push_back(
      {"04-integration-failure.toml", call_file(c, from, w, "integration_failure",
                                                "The last system the workflow calls fails", 0)});
  files.push_back({"05-escalation.toml",
                   call_file(c, from, w, "escalation", "The caller asks for a person", 0)});
  return files;
}

}  // namespace voiceops::testcalls
