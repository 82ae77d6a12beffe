#include "control/call_records.hpp"

namespace voiceops::control {

using nlohmann::json;

json to_json(const CallRecord& c) {
  json j = {{"id", c.id},
            {"workflow", c.workflow},
            {"caller", c.caller},
            {"called", c.called},
            {"status", c.status},
            {"phase", c.phase},
            {"started_at", c.started_at},
            {"updated_at", c.updated_at},
            {"after_hours", c.after_hours},
            {"turns", c.turns},
            {"summary", c.summary}};
  const auto put = [&](const char* key, const auto& optional) {
    j[key] = optional ? json(*optional) : json(nullptr);
  };
  put("ended_at", c.ended_at);
  put("duration_s", c.duration_s);
  put("intent", c.intent);
  put("outcome", c.outcome);
  put("event", c.event);
  put("escalation", c.escalation);
  put("destination", c.destination);
  put("cost", c.cost);
  if (c.transcript) {
    json lines = json::array();
    for (const auto& line : *c.transcript)
      lines.push_back({{"at", line.at}, {"speaker", line.speaker}, {"text", line.text}});
    j["transcript"] = lines;
  }
  if (c.events) {
    json events = json::array();
    for (const auto& e : *c.events)
      events.push_back({{"at", e.at}, {"kind", e.kind}, {"detail", e.detail}});
    j["events"] = events;
  }
  return j;
}

namespace {

struct Reader {
  const json& j;
  std::string error;

  template <typename T>
  void required(const char* key, T& into) {
    auto it = j.find(key);
    if (it == j.end() || !holds<T>(*it)) return fail(key);
    into = it->get<T>();
  }
  template <typename T>
  void optional(const char* key, std::optional<T>& into) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    if (!holds<T>(*it)) return fail(key);
    into = it->get<T>();
  }
  template <typename T>
  static bool holds(const json& v) {
    if constexpr (std::is_same_v<T, std::string>)
      return v.is_string();
    else if constexpr (std::is_same_v<T, bool>)
      return v.is_boolean();
    else if constexpr (std::is_same_v<T, double>)
      return v.is_number();
    else
      return v.is_number_integer();
  }
  void fail(const char* key) {
    if (error.empty())
      error = std::string("field \"") + key + "\" is missing or has the wrong type";
  }
};

}  // namespace

Result<CallRecord, std::string> call_record_from(const json& j) {
  if (!j.is_object()) return unexpected(std::string("a call is not a JSON object"));
  CallRecord c;
  Reader r{j, {}};
  r.required("id", c.id);
  r.required("workflow", c.workflow);
  r.required("caller", c.caller);
  r.required("called", c.called);
  r.required("status", c.status);
  r.required("phase", c.phase);
  r.required("started_at", c.started_at);
  r.required("updated_at", c.updated_at);
  r.required("after_hours", c.after_hours);
  r.required("turns", c.turns);
  r.required("summary", c.summary);
  r.optional("ended_at", c.ended_at);
  r.optional("duration_s", c.duration_s);
  r.optional("intent", c.intent);
  r.optional("outcome", c.outcome);
  r.optional("event", c.event);
  r.optional("escalation", c.escalation);
  r.optional("destination", c.destination);
  r.optional("cost", c.cost);
  if (auto it = j.find("transcript"); it != j.end() && it->is_array()) {
    c.transcript.emplace();
    for (const auto& line : *it) {
      if (!line.is_object()) return unexpected(std::string("a transcript line is not an object"));
      TranscriptRecord record;
      Reader lr{line, {}};
      lr.required("at", record.at);
      lr.required("speaker", record.speaker);
      lr.required("text", record.text);
      if (!lr.error.empty()) return unexpected("transcript: " + lr.error);
      c.transcript->push_back(std::move(record));
    }
  }
  if (auto it = j.find("events"); it != j.end() && it->is_array()) {
    c.events.emplace();
    for (const auto& e : *it) {
      if (!e.is_object()) return unexpected(std::string("an event is not an object"));
      EventRecord record;
      Reader er{e, {}};
      er.required("at", record.at);
      er.required("kind", record.kind);
      er.required("detail", record.detail);
      if (!er.error.empty()) return unexpected("events: " + er.error);
      c.events->push_back(std::move(record));
    }
  }
  if (!r.error.empty()) return unexpected(r.error);
  return c;
}

}  // namespace voiceops::control
