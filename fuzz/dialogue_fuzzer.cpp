// libFuzzer target: the understanding and the dialogue, turn by turn, against each shipped
// contract. The input is text, one event a line, so seeds are what callers say:
//   "2 1"          (first line, optional) contract 0-2 and 1 for after hours
//   "@0.41 words"  speech at that confidence; plain "words" at 0.92
//   "#123"         keys pressed          ""   no input (silence)
//   "!ok" "!error" "!timeout"            the pending tool's result
//   "~completed" "~busy" "~no-answer"    the pending transfer's result
//   "^"            the caller hangs up
// Checks, beyond "no crash": a caller the agent still listens to always has a prompt (never
// silence on the line), an ended call says how it ended, the summary stays a summary, and the
// call state survives a save and a load unchanged.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "engine/dialogue.hpp"

namespace {

using namespace voiceops;

struct Loaded {
  contract::CheckedContract checked;
  std::optional<contract::Directory> directory;
  std::unique_ptr<engine::Dialogue> dialogue;
};

// The shipped contracts, loaded once: they are the fuzzer's fixture, not its input.
const std::vector<std::unique_ptr<Loaded>>& contracts() {
  static const std::vector<std::unique_ptr<Loaded>> all = [] {
    std::vector<std::unique_ptr<Loaded>> out;
    for (const char* name : {"after-hours-service", "missed-call-booking", "ops-line"}) {
      auto loaded = std::make_unique<Loaded>(
          Loaded{contract::check_contract_file(
                     std::string(VOICEOPS_SOURCE_DIR) + "/contracts/" + name + ".toml", false),
                 std::nullopt, nullptr});
      if (!loaded->checked.contract) __builtin_trap();  // the fixture itself is broken
      loaded->directory = contract::directory_of(*loaded->checked.contract);
      loaded->dialogue = std::make_unique<engine::Dialogue>(
          *loaded->checked.contract, loaded->directory ? &*loaded->directory : nullptr);
      out.push_back(std::move(loaded));
    }
    return out;
  }();
  return all;
}

bool listening(engine::Phase phase) {
  using engine::Phase;
  return phase != Phase::tool && phase != Phase::transfer && phase != Phase::ended;
}

template <typename T>
bool has(const std::vector<engine::Action>& actions) {
  for (const auto& action : actions) {
    if (std::holds_alternative<T>(action)) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  while (!input.empty() && lines.size() < 64) {
    const std::size_t end = input.find('\n');
    lines.push_back(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
  }
  std::size_t which = 0;
  bool after_hours = true;
  std::size_t first = 0;
  if (!lines.empty() && lines[0].size() == 3 && lines[0][0] >= '0' && lines[0][0] <= '9' &&
      lines[0][1] == ' ') {
    which = static_cast<std::size_t>(lines[0][0] - '0') % contracts().size();
    after_hours = lines[0][2] == '1';
    first = 1;
  }
  const Loaded& loaded = *contracts()[which];
  const engine::Dialogue& dialogue = *loaded.dialogue;
  const contract::Contract& c = *loaded.checked.contract;
  // Monday 2026-11-23 at 10:00 or 21:00 in Austin (UTC-6).
  const std::chrono::sys_seconds now{std::chrono::seconds{after_hours ? 1795489200 : 1795449600}};
  const std::string to = c.answers.numbers.empty() ? "" : c.answers.numbers.front().value;
  const std::string from = which == 2 ? "+15125550167" : "+15125550142";  // a shared truck phone

  engine::CallState state;
  state.call_id = "CAfuzz";
  std::vector<engine::Action> actions = dialogue.handle(state, engine::CallArrived{from, to}, now);
  if (!has<engine::Gather>(actions)) __builtin_trap();  // every call opens with a prompt
  for (std::size_t i = first; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    std::optional<engine::Event> event;
    if (line.empty()) {
      event = engine::NoInput{};
    } else if (line[0] == '#') {
      event = engine::KeypadDigits{std::string(line.substr(1))};
    } else if (line[0] == '!') {
      const auto status = engine::tool_status_from(line.substr(1));
      event = engine::ToolResult{"fuzz.tool", status.value_or(engine::ToolStatus::error), ""};
    } else if (line[0] == '~') {
      const auto status = engine::transfer_status_from(line.substr(1));
      event = engine::TransferResult{status.value_or(engine::TransferStatus::failed)};
    } else if (line == "^") {
      event = engine::HungUp{};
    } else {
      double confidence = 0.92;
      std::string_view text = line;
      if (line[0] == '@' && line.size() >= 5) {
        int hundredths = 0;
        std::from_chars(line.data() + 3, line.data() + 5, hundredths);
        confidence = hundredths / 100.0;
        text = line.substr(std::min<std::size_t>(line.size(), 6));
      }
      event = engine::SpeechHeard{std::string(text), confidence, std::nullopt};
    }
    const engine::Phase before = state.phase;
    actions = dialogue.handle(state, *event, now);
    const bool caller_event = !std::holds_alternative<engine::ToolResult>(*event) &&
                              !std::holds_alternative<engine::TransferResult>(*event) &&
                              !std::holds_alternative<engine::HungUp>(*event);
    // Never silence: whatever the caller did, while the agent listens it has asked something.
    if (caller_event && listening(before) && listening(state.phase) &&
        !has<engine::Gather>(actions)) {
      __builtin_trap();
    }
    if (state.phase == engine::Phase::ended && !state.outcome) __builtin_trap();
    if (dialogue.summary(state).size() > 300) __builtin_trap();
    const std::string saved = engine::serialize(state);
    auto loaded_back = engine::deserialize(saved);
    if (!loaded_back || engine::serialize(*loaded_back) != saved) __builtin_trap();
  }
  return 0;
}
