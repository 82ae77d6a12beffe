#include "testcalls/pack.hpp"

#include <date/date.h>

#include <algorithm>
#include <filesystem>

#include <cstdlib>
#include "base/input_file.hpp"
#include "base/toml_reader.hpp"
#include "contract/validate.hpp"

namespace voiceops::testcalls {
namespace {

namespace fs = std::filesystem;

std::optional<std::int64_t> unix_seconds(const toml::date_time& dt) {
  if (!dt.offset) return std::nullopt;
  const date::year_month_day ymd{date::year{dt.date.year}, date::month{dt.date.month},
                                 date::day{dt.date.day}};
  if (!ymd.ok()) return std::nullopt;
  const auto days = date::sys_days{ymd}.time_since_epoch();
  const std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(days).count() +
                               dt.time.hour * 3600 + dt.time.minute * 60 + dt.time.second;
  return seconds - dt.offset->minutes * 60;
}

std::string format_date_time(const toml::date_time& dt) {
  char text[40];
  const int offset = dt.offset ? dt.offset->minutes : 0;
  std::snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02u%c%02d:%02d",
                unsigned(dt.date.year), unsigned(dt.date.month), unsigned(dt.date.day),
                unsigned(dt.time.hour), unsigned(dt.time.minute), unsigned(dt.time.second),
                offset < 0 ? '-' : '+', std::abs(offset) / 60, std::abs(offset) % 60);
  return text;
}

class CallParser {
 public:
  CallParser(Diagnostics& diagnostics) : d_(diagnostics) {}

  std::optional<ScriptedCall> parse(const toml::table& root, const std::string& file) {
    ScriptedCall call;
    call.file = file;
    call.name = fs::path(file).stem().string();
    TableReader top(root, "", d_,
                    {"schema_version", "call", "turn", "integrations", "transfer", "expect"});
    if (auto v = top.integer("schema_version", Need::optional, 1, 1000); v && v->value > 1) {
      d_.error("schema-newer", v->where, "this call script is written for a newer voiceops",
               "upgrade voiceops, or write schema_version = 1");
    }
    if (const toml::table* t = top.table("call", Need::required)) parse_call(*t, call);
    if (const toml::array* turns = top.table_array("turn", Need::required)) {
      for (const auto& node : *turns) parse_turn(*node.as_table(), call);
      if (turns->empty()) {
        d_.error("empty-field", top.key_location("turn"), "the call has no [[turn]]",
                 "script what the caller says, turn by turn");
      }
    }
    if (const toml::table* t = top.table("integrations", Need::optional))
      parse_integrations(*t, call);
    if (const toml::table* t = top.table("transfer", Need::optional)) {
      TableReader r(*t, "transfer", d_, {"result"});
      auto result = r.text("result", Need::required);
      if (result) {
        static constexpr const char* allowed[] = {"completed", "busy",      "no-answer",
                                                  "failed",    "voicemail", "declined"};
        if (std::find(std::begin(allowed), std::end(allowed), result->value) == std::end(allowed)) {
          d_.error("bad-value", result->where,
                   "transfer.result \"" + result->value + "\" is not known",
                   "use completed, busy, no-answer, failed, voicemail or declined");
        } else {
          call.transfer_result = result->value;
        }
      }
    }
    if (const toml::table* t = top.table("expect", Need::required)) parse_expect(*t, call.expect);
    return call;
  }

 private:
  void parse_call(const toml::table& t, ScriptedCall& call) {
    TableReader r(t, "call", d_, {"kind", "description", "from", "to", "at"});
    if (auto kind = r.text("kind", Need::required)) {
      if (std::find_if(std::begin(call_kinds), std::end(call_kinds),
                       [&](const char* k) { return kind->value == k; }) == std::end(call_kinds)) {
        d_.error(
            "bad-value", kind->where, "call kind \"" + kind->value + "\" is not one of the five",
            "use happy_path, caller_correction, interruptions, integration_failure or escalation");
      }
      call.kind = kind->value;
    }
    call.description = r.text_or("description", "").value;
    if (auto from = r.text("from", Need::required)) {
      if (!contract::is_e164(from->value)) {
        d_.error("not-e164", from->where, "call.from '" + from->value + "' is not an E.164 number",
                 "write it as \"+15125550142\"");
      }
      call.from = from->value;
    }
    if (auto to = r.text("to", Need::optional)) {
      if (!contract::is_e164(to->value)) {
        d_.error(
            "not-e164", to->where, "call.to '" + to->value + "' is not an E.164 number",
            "write it as \"+15125550101\", or leave it out to call the contract's first number");
      }
      call.to = to->value;
    }
    const toml::node* at = r.node("at");
    if (!at) {
      r.missing("at", "2026-11-23T21:14:00-06:00");
    } else if (const auto* dt = at->as_date_time(); dt && unix_seconds(dt->get())) {
      call.at = format_date_time(dt->get());
      call.at_unix = *unix_seconds(dt->get());
    } else {
      d_.error("bad-value", location_of(at->source()),
               "call.at must be a date and time with its UTC offset",
               "write at = 2026-11-23T21:14:00-06:00 (no quotes): the offset makes the call's hour "
               "exact");
    }
  }

  void parse_turn(const toml::table& t, ScriptedCall& call) {
    TableReader r(
        t, "turn", d_,
        {"say", "dtmf", "silence", "hangup", "confidence", "barge_in_ms", "pause_ms", "audio"});
    CallerTurn turn;
    turn.where = r.where();
    int kinds = 0;
    if (auto say = r.text("say", Need::optional)) {
      turn.kind = CallerTurn::Kind::say;
      turn.text = say->value;
      ++kinds;
    }
    if (auto dtmf = r.text("dtmf", Need::optional)) {
      if (dtmf->value.empty() ||
          dtmf->value.find_first_not_of("0123456789*#") != std::string::npos) {
        d_.error("bad-value", dtmf->where, "dtmf \"" + dtmf->value + "\" is not keypad keys",
                 "use digits, * and #");
      }
      turn.kind = CallerTurn::Kind::dtmf;
      turn.text = dtmf->value;
      ++kinds;
    }
    if (auto silence = r.boolean("silence", Need::optional); silence && silence->value) {
      turn.kind = CallerTurn::Kind::silence;
      ++kinds;
    }
    if (auto hangup = r.boolean("hangup", Need::optional); hangup && hangup->value) {
      turn.kind = CallerTurn::Kind::hangup;
      ++kinds;
    }
    if (kinds != 1) {
      d_.error("bad-value", turn.where,
               kinds == 0 ? "a turn says nothing" : "a turn does more than one thing",
               "give each [[turn]] exactly one of say, dtmf, silence = true, hangup = true");
    }
    if (auto c = r.number("confidence", Need::optional, 0)) {
      if (c->value > 1) {
        d_.error("bad-value", c->where, "confidence is above 1.0",
                 "the recogniser reports 0.0 to 1.0");
      }
      turn.confidence = c->value;
    }
    if (auto b = r.integer("barge_in_ms", Need::optional, 0, 600000))
      turn.barge_in_ms = int(b->value);
    if (auto p = r.integer("pause_ms", Need::optional, 0, 600000)) turn.pause_ms = int(p->value);
    turn.audio = r.text_or("audio", "").value;
    if ((r.has("confidence") || r.has("barge_in_ms")) && turn.kind != CallerTurn::Kind::say) {
      d_.error("bad-value", turn.where, "confidence and barge_in_ms apply only to spoken turns",
               "remove them, or make the turn a say");
    }
    call.turns.push_back(std::move(turn));
  }

  void parse_integrations(const toml::table& t, ScriptedCall& call) {
    for (const auto& [name, value] : t) {
      const auto* text = value.as_string();
      const SourceLocation where = location_of(value.source());
      if (!text) {
        d_.error("wrong-type", where,
                 "integrations.\"" + std::string(name.str()) + "\" must be a string",
                 "\"ok\", \"error\", \"timeout\", \"duplicate\", \"malformed\" or \"slow:2500ms\"");
        continue;
      }
      IntegrationScript script;
      const std::string& v = text->get();
      if (v.rfind("slow:", 0) == 0 && v.size() > 7 && v.substr(v.size() - 2) == "ms") {
        const std::string digits = v.substr(5, v.size() - 7);
        if (!digits.empty() && digits.size() < 7 &&
            digits.find_first_not_of("0123456789") == std::string::npos) {
          script.delay_ms = std::stoi(digits);
          call.integrations[std::string(name.str())] = script;
          continue;
        }
      }
      static constexpr const char* allowed[] = {"ok", "error", "timeout", "duplicate", "malformed"};
      if (std::find(std::begin(allowed), std::end(allowed), v) == std::end(allowed)) {
        d_.error("bad-value", where, "integration outcome \"" + v + "\" is not known",
                 "use ok, error, timeout, duplicate, malformed or slow:<N>ms");
        continue;
      }
      script.status = v;
      call.integrations[std::string(name.str())] = script;
    }
  }

  void parse_expect(const toml::table& t, Expectations& e) {
    TableReader r(
        t, "expect", d_,
        {"outcome", "event", "destination", "escalation", "hours", "slots", "say", "never_say",
         "summary_contains", "max_turns", "max_duration_s", "max_cost", "max_summary_chars"});
    if (auto o = r.text("outcome", Need::required)) {
      static constexpr const char* allowed[] = {"success", "failure", "escalated", "abandoned"};
      if (std::find(std::begin(allowed), std::end(allowed), o->value) == std::end(allowed)) {
        d_.error("bad-value", o->where, "expect.outcome \"" + o->value + "\" is not known",
                 "use success, failure, escalated or abandoned");
      }
      e.outcome = o->value;
    }
    if (auto v = r.text("event", Need::optional)) e.event = v->value;
    if (auto v = r.text("destination", Need::optional)) e.destination = v->value;
    if (auto v = r.text("escalation", Need::optional)) e.escalation = v->value;
    if (auto v = r.text("hours", Need::optional)) {
      if (v->value != "business_hours" && v->value != "after_hours") {
        d_.error("bad-value", v->where, "expect.hours must be business_hours or after_hours",
                 "hours = \"after_hours\"");
      }
      e.hours = v->value;
    }
    if (const toml::table* slots = r.table("slots", Need::optional)) {
      for (const auto& [name, value] : *slots) {
        if (const auto* s = value.as_string()) {
          e.slots[std::string(name.str())] = s->get();
        } else {
          d_.error("wrong-type", location_of(value.source()),
                   "expect.slots." + std::string(name.str()) + " must be a string",
                   "slots = { address = \"21 Oak Street\" }");
        }
      }
    }
    for (auto [key, target] : {std::pair{"say", &e.say},
                               {"never_say", &e.never_say},
                               {"summary_contains", &e.summary_contains}}) {
      if (auto list = r.text_list(key, Need::optional)) {
        for (const auto& item : *list) target->push_back(item.value);
      }
    }
    if (auto v = r.integer("max_turns", Need::optional, 1, 1000)) e.max_turns = int(v->value);
    if (auto v = r.integer("max_duration_s", Need::optional, 1, 36000))
      e.max_duration_s = int(v->value);
    if (auto v = r.number("max_cost", Need::optional, 0)) e.max_cost = v->value;
    if (auto v = r.integer("max_summary_chars", Need::optional, 20, 2000))
      e.max_summary_chars = int(v->value);
  }

  Diagnostics& d_;
};

void append(std::vector<Diagnostic>& out, const Diagnostics& d) {
  out.insert(out.end(), d.all().begin(), d.all().end());
}

std::optional<toml::table> parse_text(std::string_view text, const std::string& file,
                                      std::vector<Diagnostic>& out, ExitStatus& status) {
  if (auto problem = check_text(text)) {
    out.push_back(
        {Severity::error, problem->rule, file, problem->where, problem->message, problem->hint});
    status = worst(status, ExitStatus::data_error);
    return std::nullopt;
  }
  auto root = parse_toml(text, file);
  if (!root) {
    out.push_back(root.error());
    status = worst(status, ExitStatus::data_error);
    return std::nullopt;
  }
  return std::move(*root);
}

std::optional<toml::table> read_toml(const std::string& file, std::vector<Diagnostic>& out,
                                     ExitStatus& status) {
  auto text = read_input_file(file);
  if (!text) {
    const InputError& e = text.error();
    out.push_back({Severity::error, e.rule, file, e.where, e.message, e.hint});
    status = worst(status, e.status);
    return std::nullopt;
  }
  return parse_text(*text, file, out, status);
}

}  // namespace

std::optional<ScriptedCall> parse_call_script(std::string_view text, const std::string& file,
                                              std::vector<Diagnostic>& diagnostics) {
  ExitStatus status = ExitStatus::ok;
  auto root = parse_text(text, file, diagnostics, status);
  if (!root) return std::nullopt;
  Diagnostics call_diagnostics(file);
  CallParser parser(call_diagnostics);
  auto call = parser.parse(*root, file);
  append(diagnostics, call_diagnostics);
  if (call_diagnostics.has_errors()) return std::nullopt;
  return call;
}

PackOutcome load_pack(const std::string& folder, std::vector<Diagnostic>& diagnostics) {
  PackOutcome outcome;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    const bool exists = fs::exists(folder, error);
    diagnostics.push_back(
        {Severity::error,
         exists ? "not-a-folder" : "missing-file",
         folder,
         {},
         exists ? "'" + folder + "' is not a folder" : "'" + folder + "' does not exist",
         "a pack is a folder with pack.toml and one .toml file per call"});
    outcome.status = ExitStatus::no_input;
    return outcome;
  }
  Pack pack;
  pack.folder = folder;
  const std::string pack_file = (fs::path(folder) / "pack.toml").string();
  ExitStatus status = ExitStatus::ok;
  auto root = read_toml(pack_file, diagnostics, status);
  if (!root) {
    outcome.status = status == ExitStatus::no_input ? ExitStatus::data_error : status;
    return outcome;
  }
  Diagnostics pack_diagnostics(pack_file);
  {
    TableReader r(*root, "", pack_diagnostics,
                  {"schema_version", "name", "contract", "max_total_cost", "max_total_duration_s"});
    if (auto v = r.integer("schema_version", Need::required, 1, 1000); v && v->value > 1) {
      pack_diagnostics.error("schema-newer", v->where, "this pack is written for a newer voiceops",
                             "upgrade voiceops, or write schema_version = 1");
    }
    fs::path normal = fs::path(folder).lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();  // "testcalls/foo/"
    pack.name = r.text_or("name", normal.filename().string()).value;
    if (auto c = r.text("contract", Need::nonempty)) {
      fs::path path = c->value;
      if (path.is_relative()) path = fs::path(folder) / path;
      pack.contract = path.lexically_normal().string();
    }
    if (auto v = r.number("max_total_cost", Need::optional, 0))
      pack.budgets.max_total_cost = v->value;
    if (auto v = r.integer("max_total_duration_s", Need::optional, 1, 360000)) {
      pack.budgets.max_total_duration_s = int(v->value);
    }
  }
  append(diagnostics, pack_diagnostics);
  if (pack_diagnostics.has_errors()) status = worst(status, ExitStatus::data_error);

  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.path().extension() == ".toml" && entry.path().filename() != "pack.toml") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    diagnostics.push_back({Severity::error,
                           "empty-pack",
                           pack_file,
                           {},
                           "the pack has no call scripts",
                           "add one .toml file per call: voiceops testcalls new scaffolds five"});
    status = worst(status, ExitStatus::data_error);
  }
  for (const std::string& file : files) {
    auto text = read_input_file(file);
    if (!text) {
      const InputError& e = text.error();
      diagnostics.push_back({Severity::error, e.rule, file, e.where, e.message, e.hint});
      status = worst(status, e.status == ExitStatus::no_input ? ExitStatus::data_error : e.status);
      continue;
    }
    auto call = parse_call_script(*text, file, diagnostics);
    if (call) {
      pack.calls.push_back(std::move(*call));
    } else {
      status = worst(status, ExitStatus::data_error);
    }
  }
  outcome.status = status;
  if (status == ExitStatus::ok) outcome.pack = std::move(pack);
  return outcome;
}

}  // namespace voiceops::testcalls
