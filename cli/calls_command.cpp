// voiceops calls list|show: the calls the running voiceopsd has kept, over its control socket.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/control.hpp"
#include "control/call_records.hpp"
#include "base/mask.hpp"
#include "base/text_table.hpp"
#include "base/time_spec.hpp"
#include "base/utf8.hpp"

namespace voiceops::cli {
namespace {

using nlohmann::json;

struct ListOptions {
  std::string since;
  bool active = false;
  int limit = 100;
  std::string format = "text";
};

std::string text_of(const std::optional<std::string>& value) {
  return value ? *value : "-";
}

std::string text_of(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : "-";
}

std::string cost_of(const std::optional<double>& value) {
  return value ? fmt::format("{:.4f}", *value) : "-";
}

// The daemon's calls, read through their one definition; a call that does not read is the
// daemon speaking another protocol.
Result<std::vector<control::CallRecord>, ExitStatus> calls_in(const json& list) {
  std::vector<control::CallRecord> out;
  if (!list.is_array()) {
    complain("voiceopsd answered calls.list without a list of calls");
    return unexpected(ExitStatus::unavailable);
  }
  for (const json& item : list) {
    auto call = control::call_record_from(item);
    if (!call) {
      complain("voiceopsd sent a call this voiceops cannot read: " + call.error(),
               "run a voiceops and a voiceopsd of the same version");
      return unexpected(ExitStatus::unavailable);
    }
    out.push_back(std::move(*call));
  }
  return out;
}

std::string json_text(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

// A TSV cell may not hold a tab or a newline.
std::string tsv_cell(std::string text) {
  for (char& c : text)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return text;
}

ExitStatus run_list(const Context& context, const ListOptions& options) {
  control::CallsListRequest request;
  request.active = options.active;
  request.limit = options.limit;
  if (!options.since.empty()) {
    auto since = parse_time_spec(options.since, std::chrono::time_point_cast<std::chrono::seconds>(
                                                    std::chrono::system_clock::now()));
    if (!since) {
      complain("--since " + since.error());
      return ExitStatus::usage;
    }
    request.since = *since;
  }
  auto answer = ask_daemon(context, request);
  if (!answer) return answer.error();
  if (!answer->value("ok", false)) {
    complain("voiceopsd: " + answer->value("error", std::string("failed")));
    return ExitStatus::unavailable;
  }
  auto calls = calls_in((*answer)["calls"]);
  if (!calls) return calls.error();
  if (options.format == "json") {
    json out = json::array();
    for (const auto& c : *calls) out.push_back(control::to_json(c));
    std::printf("%s\n", json_text(out).c_str());
    return ExitStatus::ok;
  }
  if (options.format == "tsv") {
    std::printf(
        "call\tstarted_at\tworkflow\tcaller\tstatus\toutcome\tescalation\tdestination\t"
        "turns\tduration_s\tcost\n");
    for (const auto& c : *calls) {
      std::printf("%s\n",
                  fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", tsv_cell(c.id),
                              format_utc(c.started_at), tsv_cell(c.workflow), tsv_cell(c.caller),
                              tsv_cell(c.status), tsv_cell(text_of(c.outcome)),
                              tsv_cell(text_of(c.escalation)), tsv_cell(text_of(c.destination)),
                              c.turns, text_of(c.duration_s), cost_of(c.cost))
                      .c_str());
    }
    return ExitStatus::ok;
  }
  if (calls->empty()) {
    std::printf(options.active ? "no calls in progress\n" : "no calls\n");
    return ExitStatus::ok;
  }
  TextTable table({"CALL", "STARTED", "WORKFLOW", "CALLER", "STATUS", "OUTCOME", "ESCALATION",
                   "TURNS", "COST"});
  for (const auto& c : *calls) {
    table.add_row({c.id, format_utc(c.started_at), c.workflow, mask_phone(c.caller), c.status,
                   text_of(c.outcome), text_of(c.escalation), std::to_string(c.turns),
                   cost_of(c.cost)});
  }
  std::fputs(table.render_text().c_str(), stdout);
  return ExitStatus::ok;
}

constexpr std::size_t max_call_id_bytes = control::max_call_id_bytes;

ExitStatus run_show(const Context& context, const std::string& call_id, const std::string& format) {
  // A CallSid is 34 ASCII characters; test ids are short too. Anything else is a typo or a
  // paste gone wrong, and no call has it.
  if (find_invalid_utf8(call_id)) {
    complain("the call id is not valid UTF-8", "pass the CallSid as voiceops calls list shows it");
    return ExitStatus::usage;
  }
  if (call_id.size() > max_call_id_bytes) {
    complain("a call id is at most " + std::to_string(max_call_id_bytes) + " bytes; this one is " +
                 std::to_string(call_id.size()),
             "pass the CallSid as voiceops calls list shows it");
    return ExitStatus::usage;
  }
  auto answer = ask_daemon(context, control::CallsShowRequest{call_id});
  if (!answer) return answer.error();
  if (!answer->value("ok", false)) {
    if (answer->value("not_found", false)) {
      complain("no call " + call_id, "voiceops calls list shows the calls kept");
      return ExitStatus::no_input;
    }
    complain("voiceopsd: " + answer->value("error", std::string("failed")));
    return ExitStatus::unavailable;
  }
  auto call = control::call_record_from((*answer)["call"]);
  if (!call) {
    complain("voiceopsd sent a call this voiceops cannot read: " + call.error(),
             "run a voiceops and a voiceopsd of the same version");
    return ExitStatus::unavailable;
  }
  const control::CallRecord& c = *call;
  if (format == "json") {
    std::printf("%s\n", json_text(control::to_json(c)).c_str());
    return ExitStatus::ok;
  }
  std::printf("call        %s\n", c.id.c_str());
  std::printf("workflow    %s%s\n", c.workflow.c_str(), c.after_hours ? " (after hours)" : "");
  std::printf("caller      %s\n", c.caller.c_str());
  std::printf("started     %s\n", format_utc(c.started_at).c_str());
  std::printf("status      %s%s\n", c.status.c_str(),
              c.duration_s ? fmt::format(", {} s", *c.duration_s).c_str() : "");
  if (c.intent) std::printf("intent      %s\n", c.intent->c_str());
  std::printf("outcome     %s\n", text_of(c.outcome).c_str());
  if (c.escalation) std::printf("escalation  %s\n", c.escalation->c_str());
  if (c.destination) std::printf("transferred %s\n", c.destination->c_str());
  std::printf("cost        %s\n", cost_of(c.cost).c_str());
  std::printf("\nsummary\n  %s\n", c.summary.c_str());
  std::printf("\ntranscript\n");
  for (const auto& line : c.transcript.value_or(std::vector<control::TranscriptRecord>{}))
    std::printf("  %-6s %s\n", line.speaker.c_str(), line.text.c_str());
  std::printf("\nevents\n");
  for (const auto& e : c.events.value_or(std::vector<control::EventRecord>{})) {
    std::printf("  %s  %-10s %s\n", format_utc(e.at).c_str(), e.kind.c_str(), e.detail.c_str());
  }
  return ExitStatus::ok;
}

}  // namespace

void add_calls_commands(CLI::App& app, Context& context) {
  auto* calls =
      app.add_subcommand("calls", "The calls voiceopsd has kept (over its control socket)");
  calls->require_subcommand(1);

  auto list_options = std::make_shared<ListOptions>();
  auto* list = calls->add_subcommand("list", "Calls, newest first");
  list->add_option("--since", list_options->since,
                   "Only calls started since: 90m, 24h, 7d, 2026-11-22 or 2026-11-22T14:30:00Z")
      ->type_name("WHEN");
  list->add_flag("--active", list_options->active, "Only calls in progress");
  list->add_option("--limit", list_options->limit, "At most this many calls (default 100)")
      ->check(CLI::Range(1, control::max_list_limit))
      ->type_name("N");
  list->add_option("--format", list_options->format, "Output format (tsv: a header row, then tabs)")
      ->check(CLI::IsMember({"text", "json", "tsv"}))
      ->type_name("text|json|tsv");
  list->callback([&context, list_options] {
    context.action = [&context, list_options] { return run_list(context, *list_options); };
  });

  auto call_id = std::make_shared<std::string>();
  auto show_format = std::make_shared<std::string>("text");
  auto* show = calls->add_subcommand("show", "One call: summary, transcript and events");
  show->add_option("CALL", *call_id, "The call's id (the carrier's CallSid)")->required();
  show->add_option("--format", *show_format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
  show->callback([&context, call_id, show_format] {
    context.action = [&context, call_id, show_format] {
      return run_show(context, *call_id, *show_format);
    };
  });
}

}  // namespace voiceops::cli
