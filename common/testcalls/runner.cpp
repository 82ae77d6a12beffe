// The pack loop: each call played, observed, checked and priced; the pack's coverage checked.
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
#include "testcalls/call_player.hpp"
#include "testcalls/coverage.hpp"
#include "testcalls/expectations.hpp"

namespace voiceops::testcalls {

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
