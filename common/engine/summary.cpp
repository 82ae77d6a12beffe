// The call summary staff read at a glance (DESIGN 4a): one plain sentence of when, who, what,
// where, what happened and what to do next, in the contract's time zone, with no engine or tool
// words. It is what a transfer's staff member hears first, what texts and queues carry, and what
// the call record keeps.
#include <algorithm>
#include <array>

#include "engine/business_hours.hpp"
#include "engine/dialogue.hpp"
#include "engine/prepared_contract.hpp"

namespace voiceops::engine {
namespace {

using contract::QuestionType;

std::string spaced(std::string id) {
  std::replace(id.begin(), id.end(), '_', ' ');
  return id;
}

// "Wed 8:05 p.m." in the contract's time zone.
std::string local_time(const date::time_zone* zone, std::int64_t started_at) {
  if (started_at <= 0 || !zone) return "";
  const auto local = to_local(*zone, std::chrono::sys_seconds{std::chrono::seconds{started_at}});
  static constexpr std::array<const char*, 7> days = {"Mon", "Tue", "Wed", "Thu",
                                                      "Fri", "Sat", "Sun"};
  const int hour = local.minute_of_day / 60, minute = local.minute_of_day % 60;
  const int twelve = hour % 12 == 0 ? 12 : hour % 12;
  std::string out = std::string(days[static_cast<std::size_t>(local.weekday % 7)]) + " " +
                    std::to_string(twelve) + ":" + (minute < 10 ? "0" : "") +
                    std::to_string(minute) + (hour < 12 ? " a.m." : " p.m.");
  return out;
}

// A destination as staff know it: the start of its description ("On-call technician").
std::string destination_name(const contract::Contract& c, const std::string& id) {
  const contract::Destination* d = c.destination(id);
  if (!d || d->description.value.empty()) return spaced(id);
  std::string name = d->description.value;
  const std::size_t cut = name.find_first_of("(:;,");
  if (cut != std::string::npos) name = name.substr(0, cut);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return name.empty() ? spaced(id) : name;
}

std::string transfer_words(const std::string& result) {
  if (result == "completed") return "answered";
  if (result == "no-answer") return "no answer";
  if (result == "not-accepted") return "not accepted";  // voicemail, or a refusal
  if (result.empty()) return "ringing";
  return result;  // busy, failed, canceled
}

std::string reason_words(const contract::EscalationRow& row) {
  using contract::Trigger;
  switch (row.trigger.value) {
    case Trigger::safety:
      return "safety concern" + (row.name.value.empty() ? "" : " (" + spaced(row.name.value) + ")");
    case Trigger::asks_for_person: return "asked for a person";
    case Trigger::tool_failure: return "our system could not take the request";
    case Trigger::out_of_scope: return "a question the agent does not answer";
    case Trigger::high_value_lead: return "possible new-system sale";
    case Trigger::repeated_confusion: return "the agent could not understand";
    case Trigger::custom: return row.name.value.empty() ? "flagged" : spaced(row.name.value);
    case Trigger::unknown: break;
  }
  return "escalated";
}

std::string shorten(const std::string& text, std::size_t room) {
  if (text.size() <= room) return text;
  if (room < 4) return "";
  std::string cut = text.substr(0, room - 3);
  const std::size_t space = cut.find_last_of(' ');
  if (space != std::string::npos && space > cut.size() / 2) cut.resize(space);
  return cut + "...";
}

}  // namespace

std::string Dialogue::summary(const CallState& s) const {
  const contract::Contract& c = contract_;
  const auto slot = [&](const std::string& name) -> std::string {
    auto it = s.slots.find(name);
    return it == s.slots.end() ? "" : it->second.value;
  };
  std::string who, phone, where;
  std::vector<std::string> details;
  std::string free_text;
  // The call's own questions in the order the caller met them, then the rest of the contract's.
  std::vector<const contract::Question*> questions;
  if (auto it = prepared_->intent_questions.find(s.intent);
      it != prepared_->intent_questions.end()) {
    questions = it->second;
  }
  for (const auto& q : c.questions) {
    if (std::find(questions.begin(), questions.end(), &q) == questions.end())
      questions.push_back(&q);
  }
  for (const contract::Question* question : questions) {
    const contract::Question& q = *question;
    const std::string value = slot(q.id);
    if (value.empty()) continue;
    switch (q.type.value) {
      case QuestionType::name:
        if (who.empty()) who = value;
        break;
      case QuestionType::phone:
        if (phone.empty()) phone = value;
        break;
      case QuestionType::address:
        if (where.empty()) where = value;
        break;
      case QuestionType::text: {
        // "no", "nothing", "nope": an answer, but nothing for staff to read.
        const std::string said = value.size() <= 16 ? nlu::normalize(value) : std::string();
        if (said == "no" || said == "nope" || said == "nothing" || said == "no thanks") break;
        free_text += (free_text.empty() ? "" : "; ") + value;
        break;
      }
      case QuestionType::yes_no:
        if (value == "yes") details.push_back(spaced(q.id));
        break;
      default: details.push_back(value);
    }
  }
  if (who.empty()) who = s.person_name.empty() ? "Caller" : s.person_name;
  if (phone.empty()) phone = s.from;
  // No one field may crowd out the rest, whatever a slot holds.
  who = shorten(who, 40);
  phone = shorten(phone, 20);
  where = shorten(where, 70);

  std::string what;
  if (const auto* intent = c.intent(s.intent)) {
    what = spaced(intent->id);
  } else if (!s.out_of_scope_topic.empty()) {
    what = spaced(s.out_of_scope_topic);
  } else if (!s.escalation_words.empty()) {
    what = "\"" + shorten(s.escalation_words, 60) + "\"";
  } else {
    what = "an unclear request";
  }

  std::string happened, next;
  const std::string callback = "call " + who + " back at " + phone;
  if (!s.escalations.empty()) {
    const auto& row = c.escalation[static_cast<std::size_t>(s.escalations.back())];
    happened = reason_words(row);
    if (row.trigger.value == contract::Trigger::safety && !s.escalation_words.empty()) {
      happened += ", said \"" + shorten(s.escalation_words, 60) + "\"";
    }
    if (!s.transfer_destination.empty()) {
      const std::string result = transfer_words(s.transfer_result);
      happened +=
          "; transferred to " + destination_name(c, s.transfer_destination) + " (" + result + ")";
      next = result == "answered" || result == "ringing"
                 ? destination_name(c, s.transfer_destination) + " has the call"
                 : callback;
    } else {
      const std::string& id = s.after_hours && !row.after_hours_destination.value.empty()
                                  ? row.after_hours_destination.value
                                  : row.destination.value;
      happened += "; passed to " + destination_name(c, id);
      next = callback;
    }
    if (!s.message.empty()) happened += "; message: \"" + shorten(s.message, 80) + "\"";
  } else if (!s.transfer_destination.empty()) {
    happened = "transferred to " + destination_name(c, s.transfer_destination) + " (" +
               transfer_words(s.transfer_result) + ")";
    next = s.transfer_result == "completed"
               ? destination_name(c, s.transfer_destination) + " has the call"
               : callback;
  } else if (s.outcome == Outcome::success) {
    happened = "done: " + spaced(s.event);
    next = "follow up as usual";
  } else if (s.outcome == Outcome::abandoned) {
    happened = "caller hung up";
    next = callback;
  } else if (s.outcome) {
    happened = "not completed";
    next = callback;
  } else {
    happened = "call in progress";
    next = callback;
  }
  if (!s.tool_failures.empty()) happened += "; a system did not answer";

  const std::string when = local_time(prepared_->zone, s.started_at);
  const auto compose = [&](const std::string& detail_text, const std::string& said) {
    // The number to call back, and the one the call came from when it is another.
    const std::string numbers =
        phone == s.from || s.from.empty() ? phone : phone + "; called from " + s.from;
    std::string out = (when.empty() ? "" : when + ": ") + who + " (" + numbers + ") about " + what;
    if (!where.empty()) out += " at " + where;
    if (!detail_text.empty()) out += "; " + detail_text;
    if (!said.empty()) out += "; \"" + said + "\"";
    out += ". " + std::string(1, static_cast<char>(std::toupper(happened[0]))) +
           happened.substr(1) + ". Next: " + next + ".";
    return out;
  };
  std::string detail_text;
  for (const auto& d : details) detail_text += (detail_text.empty() ? "" : ", ") + d;
  constexpr std::size_t limit = 300;
  std::string out = compose(detail_text, free_text);
  if (out.size() <= limit) return out;
  // The caller's own words go first, then the details; who, what, where and the outcome stay.
  const std::size_t without_said = compose(detail_text, "").size();
  if (without_said + 8 < limit)
    return compose(detail_text, shorten(free_text, limit - without_said - 4));
  const std::size_t bare = compose("", "").size();
  if (bare + 8 < limit) return compose(shorten(detail_text, limit - bare - 2), "");
  out = compose("", "");
  if (out.size() > limit) out = shorten(out, limit);
  return out;
}

}  // namespace voiceops::engine
