// What a played call is checked against: its expectations, and whether a daemon can reproduce it.
#include "testcalls/expectations.hpp"

#include <chrono>
#include <cstdio>

#include "engine/business_hours.hpp"

namespace voiceops::testcalls {

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

std::string money(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

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

namespace {

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

}  // namespace

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

}  // namespace voiceops::testcalls
