// Metamorphic tests (issue 9): every shipped happy-path and correction call, said another way,
// must end with the same slots, outcome and escalation. The ways:
//   - fillers and a repeated word ("um yeah yeah it's maria lopez you know");
//   - numbers said as digits instead of words ("4106 elm street", "5125550142");
//   - (happy paths) the answers merged into the first words, then whatever is still asked;
//   - (happy paths) each answer given one question early, before the one asked.
// The last two play the caller adaptively against the engine: the caller answers what is asked
// from what the original call said to each question.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "calls/scripted_tools.hpp"
#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "engine/dialogue.hpp"
#include "nlu/nlu.hpp"
#include "support/corpus.hpp"
#include "testcalls/pack.hpp"
#include "testcalls/runner.hpp"

using namespace voiceops;
namespace fs = std::filesystem;

namespace {

struct LoadedPack {
  testcalls::Pack pack;
  contract::CheckedContract contract;
  std::optional<contract::Directory> directory;
};

std::vector<LoadedPack> shipped_packs() {
  std::vector<LoadedPack> out;
  for (const auto& entry : fs::directory_iterator(testing::source_dir() + "/testcalls")) {
    if (!entry.is_directory()) continue;
    std::vector<Diagnostic> diagnostics;
    auto loaded = testcalls::load_pack(entry.path().string(), diagnostics);
    REQUIRE(loaded.pack);
    auto checked = contract::check_contract_file(loaded.pack->contract, false);
    REQUIRE(checked.contract);
    auto directory = contract::directory_of(*checked.contract);
    out.push_back({std::move(*loaded.pack), std::move(checked), std::move(directory)});
  }
  std::sort(out.begin(), out.end(),
            [](const LoadedPack& a, const LoadedPack& b) { return a.pack.name < b.pack.name; });
  return out;
}

testcalls::CallReport run_one(const LoadedPack& p, const testcalls::ScriptedCall& call) {
  testcalls::Pack one = p.pack;
  one.calls = {call};
  one.budgets = {};
  auto report =
      testcalls::run_pack(one, *p.contract.contract, p.directory ? &*p.directory : nullptr);
  REQUIRE(report.calls.size() == 1);
  return report.calls.front();
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// --- scripted transforms ----------------------------------------------------------------------

bool is_number_word(const std::string& w) {
  static const std::vector<std::string> words = {
      "zero",    "oh",      "one",       "two",      "three",    "four",    "five",     "six",
      "seven",   "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen", "fourteen",
      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",  "thirty",   "forty",
      "fifty",   "sixty",   "seventy",   "eighty",   "ninety",   "hundred", "double"};
  return std::find(words.begin(), words.end(), w) != words.end();
}

// Runs of three or more number words said as digits: "forty one oh six elm" -> "4106 elm".
std::string numbers_as_digits(const std::string& said) {
  const auto words = nlu::tokens(lower(said));
  std::string out;
  for (std::size_t i = 0; i < words.size();) {
    std::size_t j = i;
    while (j < words.size() && is_number_word(words[j])) ++j;
    std::string piece;
    // Three words or more: "two guys" after "a three" is two numbers, not 32.
    if (j - i >= 3) {
      std::string run;
      for (std::size_t k = i; k < j; ++k) run += (run.empty() ? "" : " ") + words[k];
      piece = nlu::words_to_digits(run);
      i = j;
    } else {
      piece = words[i++];
    }
    out += (out.empty() ? "" : " ") + piece;
  }
  return out;
}

std::string with_fillers(const std::string& said) {
  auto words = nlu::tokens(said);
  if (words.empty()) return said;
  // A repeated opening word, as people restart: "yeah yeah", "it's it's", "my my".
  static const std::vector<std::string> restarts = {"yeah", "yes", "no",  "it's", "this", "my",
                                                    "i",    "so",  "the", "well", "oh",   "okay"};
  std::string first = words.front();
  std::string out = "um ";
  if (std::find(restarts.begin(), restarts.end(), first) != restarts.end()) out += first + " ";
  out += said;
  return out;
}

using Transform = std::string (*)(const std::string&);

testcalls::ScriptedCall transformed(const testcalls::ScriptedCall& call, Transform t) {
  testcalls::ScriptedCall out = call;
  for (auto& turn : out.turns) {
    if (turn.kind == testcalls::CallerTurn::Kind::say) turn.text = t(turn.text);
  }
  return out;
}

// Free text is kept word for word, fillers and all: it is not a value to compare.
bool is_free_text(const LoadedPack& p, const std::string& slot) {
  const contract::Question* q = p.contract.contract->question(slot);
  return q && q->type.value == contract::QuestionType::text;
}

void check_same(const LoadedPack& p, const testcalls::ScriptedCall& call,
                const testcalls::CallReport& base, const testcalls::CallReport& again,
                const std::string& how) {
  INFO(call.name << " said " << how << " (" << again.outcome << ", " << again.failures.size()
                 << " failures: " << (again.failures.empty() ? "" : again.failures.front().message)
                 << ")");
  CHECK(again.outcome == base.outcome);
  CHECK(again.escalation == base.escalation);
  for (const auto& [slot, value] : call.expect.slots) {
    if (is_free_text(p, slot)) continue;
    const auto it = again.slots.find(slot);
    CHECK(it != again.slots.end());
    if (it != again.slots.end()) CHECK(lower(it->second) == lower(value));
  }
}

// --- adaptive callers ---------------------------------------------------------------------------

// What the original call said, by what the agent was asking when it was said.
struct Answers {
  std::string opening;
  std::map<std::string, std::string> by_question;  // question id -> the first answer to it
  std::vector<std::string> order;                  // question ids in the order first asked
};

Answers answers_of(const LoadedPack& p, const testcalls::ScriptedCall& call) {
  const contract::Contract& c = *p.contract.contract;
  engine::Dialogue dialogue(c, p.directory ? &*p.directory : nullptr);
  engine::CallState state;
  state.call_id = "mm";
  const std::chrono::sys_seconds at{std::chrono::seconds{call.at_unix}};
  const std::string to = call.to.empty() ? c.answers.numbers.front().value : call.to;
  dialogue.handle(state, engine::CallArrived{call.from, to}, at);
  Answers out;
  for (const auto& turn : call.turns) {
    if (turn.kind != testcalls::CallerTurn::Kind::say) break;  // keys, silences: stop here
    std::string asked;
    if (state.phase == engine::Phase::choose_intent && out.opening.empty()) {
      out.opening = turn.text;
    } else if (state.phase == engine::Phase::ask) {
      if (const contract::Step* step = c.step(state.step)) asked = step->target.value;
    }
    const bool had = state.slots.count(asked) > 0;
    auto actions = dialogue.handle(state, engine::SpeechHeard{turn.text, turn.confidence, {}}, at);
    // Only an answer the agent took for that question is one.
    if (!asked.empty() && !had && state.slots.count(asked) && !out.by_question.count(asked)) {
      out.by_question[asked] = turn.text;
      out.order.push_back(asked);
    }
    // Tools answer as scripted, one after another (a booking, then a lead).
    for (int depth = 0; depth < 8; ++depth) {
      const engine::CallTool* tool = nullptr;
      for (const auto& action : actions) {
        if (const auto* t = std::get_if<engine::CallTool>(&action)) tool = t;
      }
      if (!tool) break;
      const engine::CallTool pending = *tool;
      actions =
          dialogue.handle(state, calls::answer_from_script(call.integrations, pending).result, at);
    }
  }
  return out;
}

// An answer said unasked, with the words that say what it is.
std::string introduced(const contract::Question& q, const std::string& answer) {
  std::string said = lower(answer);
  // The words that only answered the question ("yeah it's ...", "um ...") go.
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view lead : {"yeah ", "yes ", "um ", "uh ", "it's ", "oh ", "sure "}) {
      if (said.starts_with(lead)) {
        said.erase(0, lead.size());
        stripped = true;
      }
    }
  }
  switch (q.type.value) {
    case contract::QuestionType::name:
      return said.find("name") != std::string::npos || said.find("this is") != std::string::npos
                 ? said
                 : "my name is " + said;
    case contract::QuestionType::phone:
      return said.find("number") != std::string::npos ? said : "my number is " + said;
    case contract::QuestionType::address:
      return said.find("address") != std::string::npos ? said : "the address is " + said;
    default: return said;
  }
}

bool volunteerable(const contract::Question& q) {
  return q.type.value == contract::QuestionType::name ||
         q.type.value == contract::QuestionType::phone ||
         q.type.value == contract::QuestionType::address;
}

struct Played {
  engine::CallState state;
  std::vector<std::string> prompts;
  std::string transcript;  // for the failure message
};

// Plays the call against the engine, answering what is asked. `early`: before answering a
// question, give the next volunteerable answer not given yet (the answers in another order).
Played play_adaptive(const LoadedPack& p, const testcalls::ScriptedCall& call, const Answers& a,
                     const std::string& opening, bool early) {
  const contract::Contract& c = *p.contract.contract;
  engine::Dialogue dialogue(c, p.directory ? &*p.directory : nullptr);
  Played out;
  out.state.call_id = "mm";
  const std::chrono::sys_seconds at{std::chrono::seconds{call.at_unix}};
  const std::string to = call.to.empty() ? c.answers.numbers.front().value : call.to;
  std::vector<engine::Action> actions =
      dialogue.handle(out.state, engine::CallArrived{call.from, to}, at);
  std::set<std::string> given;
  bool opened = false;
  for (int round = 0; round < 80; ++round) {
    std::optional<engine::Event> next;
    for (const auto& action : actions) {
      if (const auto* tool = std::get_if<engine::CallTool>(&action)) {
        next = calls::answer_from_script(call.integrations, *tool).result;
      } else if (std::holds_alternative<engine::Transfer>(action)) {
        next = engine::TransferResult{engine::TransferStatus::completed};
      } else if (const auto* gather = std::get_if<engine::Gather>(&action)) {
        out.prompts.push_back(gather->prompt);
        std::string say = "yes";
        const engine::CallState& s = out.state;
        if (!opened && s.phase == engine::Phase::choose_intent) {
          say = opening;
          opened = true;
        } else if (s.phase == engine::Phase::ask) {
          const contract::Step* step = c.step(s.step);
          const std::string id = step ? step->target.value : "";
          say = a.by_question.count(id) ? a.by_question.at(id) : "yes";
          if (early) {
            // The next answer, before this one.
            auto at_id = std::find(a.order.begin(), a.order.end(), id);
            if (at_id != a.order.end() && at_id + 1 != a.order.end()) {
              const std::string& later = *(at_id + 1);
              const contract::Question* q = c.question(later);
              if (q && volunteerable(*q) && !given.count(later) && !s.slots.count(later) &&
                  !given.count(id)) {
                given.insert(later);
                say = introduced(*q, a.by_question.at(later));
              }
            }
          }
          given.insert(id);
        }
        out.transcript += "  agent: " + gather->prompt + "\n  caller: " + say + "\n";
        next = engine::SpeechHeard{say, 0.92, {}};
      }
    }
    if (!next || out.state.phase == engine::Phase::ended) break;
    actions = dialogue.handle(out.state, *next, at);
  }
  return out;
}

void check_adaptive(const LoadedPack& p, const testcalls::ScriptedCall& call,
                    const testcalls::CallReport& base, const Played& played,
                    const std::string& how) {
  INFO(call.name << " with " << how << "\n" << played.transcript);
  const engine::CallState& s = played.state;
  CHECK(s.phase == engine::Phase::ended);
  REQUIRE(s.outcome);
  CHECK(std::string(engine::to_string(*s.outcome)) == base.outcome);
  for (const auto& [slot, value] : call.expect.slots) {
    if (is_free_text(p, slot)) continue;
    const auto it = s.slots.find(slot);
    CHECK(it != s.slots.end());
    if (it != s.slots.end()) CHECK(lower(it->second.value) == lower(value));
  }
}

}  // namespace

TEST_CASE("shipped calls said another way keep their slots, outcome and escalation",
          "[engine][metamorphic]") {
  int checked = 0;
  for (const LoadedPack& p : shipped_packs()) {
    for (const testcalls::ScriptedCall& call : p.pack.calls) {
      if (call.kind != "happy_path" && call.kind != "caller_correction") continue;
      const testcalls::CallReport base = run_one(p, call);
      if (!base.passed()) continue;  // the pack test reports it
      ++checked;
      check_same(p, call, base, run_one(p, transformed(call, with_fillers)),
                 "fillers and restarts");
      check_same(p, call, base, run_one(p, transformed(call, numbers_as_digits)),
                 "numbers as digits");
      // The adaptive caller answers from what the call said: it needs a call that got through.
      // The Ops line identifies its caller first; its calls are said another way above.
      if (call.kind != "happy_path" || base.outcome != "success" ||
          p.contract.contract->workflow.internal()) {
        continue;
      }
      const Answers answers = answers_of(p, call);
      if (answers.opening.empty()) continue;
      // Merged: the name, number and address said with the first words.
      std::string merged = answers.opening;
      std::vector<std::string> merged_prompts;
      for (const std::string& id : answers.order) {
        const contract::Question* q = p.contract.contract->question(id);
        if (!q || !volunteerable(*q)) continue;
        merged += ", and " + introduced(*q, answers.by_question.at(id));
        merged_prompts.push_back(q->prompt.value);
      }
      const Played once = play_adaptive(p, call, answers, merged, false);
      check_adaptive(p, call, base, once, "the answers in the first words");
      for (const std::string& prompt : merged_prompts) {
        INFO(call.name << ": asked again for what the first words said");
        CHECK(std::find(once.prompts.begin(), once.prompts.end(), prompt) == once.prompts.end());
      }
      check_adaptive(p, call, base, play_adaptive(p, call, answers, answers.opening, true),
                     "each answer given one question early");
    }
  }
  CHECK(checked >= 25);
}
