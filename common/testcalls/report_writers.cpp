#include "testcalls/report_writers.hpp"

#include <fmt/format.h>

#include <map>

#include <nlohmann/json.hpp>
#include "base/xml_escape.hpp"

namespace voiceops::testcalls {
namespace {

// Every value the JUnit writer puts in the document is an attribute.
std::string xml_attribute(std::string_view text) {
  return voiceops::xml_escape(text, true);
}

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
  // A skipped count only when something was skipped, so in-process reports stay as they were.
  const auto skipped_attribute = [](int n) {
    return n > 0 ? fmt::format(" skipped=\"{}\"", n) : std::string();
  };
  const auto pack_skipped = [](const PackReport& p) {
    return p.skipped_calls() + (p.coverage_skipped ? 1 : 0);
  };
  for (const auto& p : packs) {
    tests += static_cast<int>(p.calls.size()) + 1;
    failures += total_failures({p});
    skipped += pack_skipped(p);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"voiceops testcalls\" tests=\"{}\" failures=\"{}\"{}>\n",
                     tests, failures, skipped_attribute(skipped));
  for (const PackReport& pack : packs) {
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\"{}>\n",
                       xml_attribute(pack.pack->name), pack.calls.size() + 1,
                       total_failures({pack}), skipped_attribute(pack_skipped(pack)));
    for (const CallReport& call : pack.calls) {
      const double per_turn = call.webhooks > 0 ? call.engine_microseconds / call.webhooks : 0;
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.6f}\">\n",
                         xml_attribute(pack.pack->name), xml_attribute(call.script->name),
                         call.engine_microseconds / 1e6);
      out += "      <properties>\n";
      out += fmt::format("        <property name=\"kind\" value=\"{}\"/>\n",
                         xml_attribute(call.script->kind));
      out += fmt::format("        <property name=\"outcome\" value=\"{}\"/>\n",
                         xml_attribute(call.outcome));
      out += fmt::format("        <property name=\"turns\" value=\"{}\"/>\n", call.turns);
      out += fmt::format("        <property name=\"simulated_duration_s\" value=\"{:.1f}\"/>\n",
                         call.duration_s);
      out += fmt::format("        <property name=\"cost\" value=\"{:.4f}\"/>\n", call.cost);
      out += fmt::format("        <property name=\"engine_us_per_turn\" value=\"{:.1f}\"/>\n",
                         per_turn);
      for (const auto& what : call.unchecked)
        out += fmt::format("        <property name=\"unchecked\" value=\"{}\"/>\n",
                           xml_attribute(what));
      out += "      </properties>\n";
      for (const Failure& f : call.failures) {
        out += fmt::format("      <failure type=\"{}\" message=\"{}\"/>\n", xml_attribute(f.kind),
                           xml_attribute(f.message));
      }
      if (call.skipped())
        out += fmt::format("      <skipped message=\"{}\"/>\n", xml_attribute(*call.skip_reason));
      out += "    </testcase>\n";
    }
    out += fmt::format("    <testcase classname=\"{}\" name=\"coverage\">\n",
                       xml_attribute(pack.pack->name));
    for (const Failure& f : pack.coverage) {
      out += fmt::format("      <failure type=\"{}\" message=\"{}\"/>\n", xml_attribute(f.kind),
                         xml_attribute(f.message));
    }
    if (pack.unreachable)
      out += fmt::format("      <error type=\"unreachable\" message=\"{}\"/>\n",
                         xml_attribute(*pack.unreachable));
    if (pack.coverage_skipped)
      out +=
          fmt::format("      <skipped message=\"{}\"/>\n", xml_attribute(*pack.coverage_skipped));
    out += "    </testcase>\n  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
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
