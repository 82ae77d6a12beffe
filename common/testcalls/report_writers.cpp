#include "testcalls/report_writers.hpp"

#include <fmt/format.h>

#include <map>

#include <nlohmann/json.hpp>
#include "base/xml_writer.hpp"

namespace voiceops::testcalls {
namespace {

std::string markdown_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<') out += '\\';
    out += c;
  }
  return out;
}

std::string paint(bool on, const char* code, const std::string& text) {
  return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
}

int total_failures(const std::vector<PackReport>& packs) {
  int n = 0;
  for (const auto& p : packs)
    n += p.failed_calls() + static_cast<int>(p.coverage.empty() && !p.unreachable ? 0 : 1);
  return n;
}

}  // namespace

std::string format_duration(double seconds) {
  const int whole = static_cast<int>(seconds + 0.5);
  return fmt::format("{}:{:02}", whole / 60, whole % 60);
}

std::string text_report(const std::vector<PackReport>& packs, const ReportStyle& style) {
  std::string out;
  int passed = 0, failed = 0, skipped = 0;
  for (const PackReport& pack : packs) {
    out += fmt::format("{} ({} calls, contract {})\n", pack.pack->name, pack.calls.size(),
                       pack.contract_name);
    for (const CallReport& call : pack.calls) {
      if (call.skipped()) {
        out += fmt::format("  {}  {:<28} {:<20} {}\n", paint(style.color, "33", "SKIP"),
                           call.script->name, call.script->kind, *call.skip_reason);
        ++skipped;
        continue;
      }
      const std::string verdict =
          call.passed() ? paint(style.color, "32", "PASS") : paint(style.color, "31", "FAIL");
      out += fmt::format("  {}  {:<28} {:<20} {:<10} {:>3} turns {:>5} {:>8.4f} {}\n", verdict,
                         call.script->name, call.script->kind, call.outcome, call.turns,
                         format_duration(call.duration_s), call.cost,
                         call.after_hours ? "after hours" : "business hours");
      call.passed() ? ++passed : ++failed;
    }
    std::map<std::string, int> unchecked;
    for (const CallReport& call : pack.calls) {
      for (const auto& what : call.unchecked) ++unchecked[what];
    }
    if (!unchecked.empty()) {
      std::string list;
      for (const auto& [what, n] : unchecked)
        list += fmt::format("{}{} ({} calls)", list.empty() ? "" : ", ", what, n);
      out += fmt::format("\n  not checked (the target does not report them): {}\n", list);
    }
    if (pack.unreachable)
      out += fmt::format("\n  {} the target is unreachable: {}\n",
                         paint(style.color, "1", "stopped:"), *pack.unreachable);
    for (const CallReport& call : pack.calls) {
      if (!call.failed()) continue;
      out += fmt::format("\n  {} {} ({})\n", paint(style.color, "1", "failed:"), call.script->name,
                         call.script->file);
      for (const Failure& f : call.failures) out += fmt::format("    [{}] {}\n", f.kind, f.message);
      // The end of the transcript is where a failure usually shows.
      const std::size_t from = call.transcript.size() > 8 ? call.transcript.size() - 8 : 0;
      out += "    transcript (last lines):\n";
      for (std::size_t i = from; i < call.transcript.size(); ++i) {
        const TranscriptLine& line = call.transcript[i];
        const char* who = line.who == TranscriptLine::Who::agent    ? "agent "
                          : line.who == TranscriptLine::Who::caller ? "caller"
                                                                    : "  --  ";
        out += fmt::format("      {} {}{}\n", who, line.text,
                           line.note.empty() ? ""
                                             : (line.text.empty() ? "" : " ") + std::string("(") +
                                                   line.note + ")");
      }
    }
    if (!pack.coverage.empty()) {
      ++failed;
      out += fmt::format("\n  {} {}\n", paint(style.color, "1", "pack failed:"), pack.pack->name);
      for (const Failure& f : pack.coverage) out += fmt::format("    [{}] {}\n", f.kind, f.message);
    }
    if (pack.coverage_skipped)
      out += fmt::format("\n  coverage not checked: {}\n", *pack.coverage_skipped);
    if (style.coverage && !pack.coverage_skipped) {
      out += "\n  escalation coverage:\n";
      for (const auto& [row, calls] : pack.row_coverage) {
        std::string hit;
        for (const auto& c : calls) hit += (hit.empty() ? "" : ", ") + c;
        out += fmt::format("    {:<60} {}\n", row, hit.empty() ? "(none)" : hit);
      }
    }
    out += "\n";
  }
  // Unchanged when nothing was skipped, so in-process reports stay as they were.
  out += skipped > 0 ? fmt::format("{} passed, {} failed, {} skipped\n", passed, failed, skipped)
                     : fmt::format("{} passed, {} failed\n", passed, failed);
  return out;
}

nlohmann::json json_report(const std::vector<PackReport>& packs) {
  using nlohmann::json;
  json out = {{"packs", json::array()}};
  int skipped = 0;
  for (const PackReport& pack : packs) {
    json calls = json::array();
    for (const CallReport& call : pack.calls) {
      json failures = json::array();
      for (const Failure& f : call.failures)
        failures.push_back({{"kind", f.kind}, {"message", f.message}});
      calls.push_back({{"name", call.script->name},
                       {"file", call.script->file},
                       {"kind", call.script->kind},
                       {"passed", call.passed()},
                       {"outcome", call.outcome},
                       {"event", call.event},
                       {"destination", call.destination},
                       {"escalation", call.escalation},
                       {"hours", call.after_hours ? "after_hours" : "business_hours"},
                       {"slots", call.slots},
                       {"summary", call.summary},
                       {"turns", call.turns},
                       {"duration_s", call.duration_s},
                       {"cost", std::round(call.cost * 1e6) / 1e6},
                       {"tool_calls", call.tool_calls},
                       {"failures", failures}});
      // Only where they apply, so in-process reports stay as they were.
      if (call.skipped()) calls.back()["skipped"] = *call.skip_reason;
      if (!call.unchecked.empty()) calls.back()["unchecked"] = call.unchecked;
    }
    json coverage = json::array();
    for (const Failure& f : pack.coverage)
      coverage.push_back({{"kind", f.kind}, {"message", f.message}});
    json rows = json::array();
    for (const auto& [row, hit_by] : pack.row_coverage)
      rows.push_back({{"row", row}, {"calls", hit_by}});
    out["packs"].push_back({{"name", pack.pack->name},
                            {"folder", pack.pack->folder},
                            {"contract", pack.pack->contract},
                            {"passed", pack.passed()},
                            {"calls", calls},
                            {"coverage_failures", coverage},
                            {"escalation_coverage", rows}});
    if (pack.coverage_skipped) out["packs"].back()["coverage_skipped"] = *pack.coverage_skipped;
    if (pack.unreachable) out["packs"].back()["unreachable"] = *pack.unreachable;
    skipped += pack.skipped_calls();
  }
  out["failed"] = total_failures(packs);
  if (skipped > 0) out["skipped"] = skipped;
  return out;
}

std::string junit_report(const std::vector<PackReport>& packs) {
  int tests = 0, failures = 0, skipped = 0;
  const auto pack_skipped = [](const PackReport& p) {
    return p.skipped_calls() + (p.coverage_skipped ? 1 : 0);
  };
  for (const auto& p : packs) {
    tests += static_cast<int>(p.calls.size()) + 1;
    failures += total_failures({p});
    skipped += pack_skipped(p);
  }
  XmlWriter w;
  // A skipped count only when something was skipped, so in-process reports stay as they were.
  const auto skipped_attribute = [&](int n) {
    if (n > 0) w.attribute("skipped", std::to_string(n));
  };
  const auto property = [&](std::string_view name, std::string_view value) {
    w.start("property");
    w.attribute("name", name);
    w.attribute("value", value);
    w.empty();
  };
  const auto finding = [&](std::string_view element, std::optional<std::string_view> type,
                           std::string_view message) {
    w.start(element);
    if (type) w.attribute("type", *type);
    w.attribute("message", message);
    w.empty();
  };
  w.start("testsuites");
  w.attribute("name", "voiceops testcalls");
  w.attribute("tests", std::to_string(tests));
  w.attribute("failures", std::to_string(failures));
  skipped_attribute(skipped);
  w.children();
  for (const PackReport& pack : packs) {
    w.start("testsuite");
    w.attribute("name", pack.pack->name);
    w.attribute("tests", std::to_string(pack.calls.size() + 1));
    w.attribute("failures", std::to_string(total_failures({pack})));
    skipped_attribute(pack_skipped(pack));
    w.children();
    for (const CallReport& call : pack.calls) {
      const double per_turn = call.webhooks > 0 ? call.engine_microseconds / call.webhooks : 0;
      w.start("testcase");
      w.attribute("classname", pack.pack->name);
      w.attribute("name", call.script->name);
      w.attribute("time", fmt::format("{:.6f}", call.engine_microseconds / 1e6));
      w.children();
      w.start("properties");
      w.children();
      property("kind", call.script->kind);
      property("outcome", call.outcome);
      property("turns", std::to_string(call.turns));
      property("simulated_duration_s", fmt::format("{:.1f}", call.duration_s));
      property("cost", fmt::format("{:.4f}", call.cost));
      property("engine_us_per_turn", fmt::format("{:.1f}", per_turn));
      for (const auto& what : call.unchecked) property("unchecked", what);
      w.end();
      for (const Failure& f : call.failures) finding("failure", f.kind, f.message);
      if (call.skipped()) finding("skipped", std::nullopt, *call.skip_reason);
      w.end();
    }
    w.start("testcase");
    w.attribute("classname", pack.pack->name);
    w.attribute("name", "coverage");
    w.children();
    for (const Failure& f : pack.coverage) finding("failure", f.kind, f.message);
    if (pack.unreachable) finding("error", "unreachable", *pack.unreachable);
    if (pack.coverage_skipped) finding("skipped", std::nullopt, *pack.coverage_skipped);
    w.end();
    w.end();
  }
  w.end();
  return w.take();
}

std::string transcript_markdown(const CallReport& call, const contract::Contract& contract) {
  const ScriptedCall& s = *call.script;
  std::string out = fmt::format("# {}: {}\n\n", markdown_escape(contract.workflow.name.value),
                                markdown_escape(s.name));
  if (!s.description.empty()) out += markdown_escape(s.description) + "\n\n";
  out += "| | |\n|---|---|\n";
  out += fmt::format("| Caller | {} |\n", s.from);
  out += fmt::format("| Time | {} ({}) |\n", s.at,
                     call.after_hours ? "after hours" : "business hours");
  out += fmt::format("| Workflow | {} (`{}`) |\n", markdown_escape(contract.workflow.name.value),
                     contract.workflow.id.value);
  out += fmt::format("| Outcome | **{}**{} |\n", call.outcome,
                     call.event.empty() ? "" : " (" + call.event + ")");
  if (!call.destination.empty()) out += fmt::format("| Escalated to | {} |\n", call.destination);
  out += fmt::format("| Duration | {} |\n", format_duration(call.duration_s));
  out += fmt::format("| Cost | {:.4f} {} |\n", call.cost, contract.cost.currency.value);
  const std::string verdict = call.skipped()  ? "skipped: " + markdown_escape(*call.skip_reason)
                              : call.passed() ? "passed"
                                              : "FAILED";
  out += fmt::format("| Test | {} ({}) |\n\n", verdict, s.kind);
  out += "**Summary:** " + markdown_escape(call.summary) + "\n\n## Call\n\n";
  for (const TranscriptLine& line : call.transcript) {
    const std::string at = format_duration(line.at_ms / 1000.0);
    switch (line.who) {
      case TranscriptLine::Who::agent:
        out += fmt::format("- `{}` **Agent:** {}\n", at, markdown_escape(line.text));
        break;
      case TranscriptLine::Who::caller:
        if (line.text.empty()) {
          out += fmt::format("- `{}` **Caller:** _({})_\n", at, markdown_escape(line.note));
        } else {
          out += fmt::format("- `{}` **Caller:** {}{}\n", at, markdown_escape(line.text),
                             line.note.empty() ? "" : " _(" + markdown_escape(line.note) + ")_");
        }
        break;
      case TranscriptLine::Who::system:
        out += fmt::format("- `{}` _[{}{}]_\n", at, markdown_escape(line.text),
                           line.note.empty() ? "" : ", " + line.note);
        break;
    }
  }
  if (!call.failures.empty()) {
    out += "\n## Test failures\n\n";
    for (const Failure& f : call.failures)
      out += fmt::format("- `{}`: {}\n", f.kind, markdown_escape(f.message));
  }
  return out;
}

}  // namespace voiceops::testcalls
