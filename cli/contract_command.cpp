// voiceops contract validate|show|init|try
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/terminal.hpp"
#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "contract/render.hpp"
#include "contract/templates.hpp"
#include "engine/dialogue.hpp"
#include "base/atomic_file.hpp"
#include "base/time_spec.hpp"

namespace voiceops::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool strict = false;
};

ExitStatus run_validate(const ValidateOptions& options, const Context& context) {
  const Style out_style{color_enabled(stdout, context.no_color)};
  const Style err_style{color_enabled(stderr, context.no_color)};
  ExitStatus status = ExitStatus::ok;
  nlohmann::json report = {{"files", nlohmann::json::array()}};
  for (const std::string& file : options.files) {
    contract::CheckedContract checked = contract::check_contract_file(file, options.strict);
    status = worst(status, checked.status);
    const auto& d = checked.diagnostics;
    if (options.format == "json") {
      report["files"].push_back(diagnostics_to_json(d, checked.status));
      continue;
    }
    print_diagnostics(d, err_style, stderr);
    const bool valid = checked.status == ExitStatus::ok;
    std::string verdict;
    if (valid) {
      verdict = out_style.green("valid");
      if (checked.is_staff_directory) verdict += " (staff directory)";
      if (d.warning_count() > 0) verdict += " (" + plural(d.warning_count(), "warning") + ")";
    } else if (checked.status == ExitStatus::check_failed) {
      verdict = out_style.red("invalid") + " (" + plural(d.error_count(), "error") + ", " +
                plural(d.warning_count(), "warning") + ")";
    } else {
      verdict =
          out_style.red("unreadable") + " (exit " + std::to_string(to_int(checked.status)) + ")";
    }
    std::printf("%s: %s\n", file.c_str(), verdict.c_str());
  }
  if (options.format == "json") {
    report["valid"] = status == ExitStatus::ok;
    report["status"] = to_int(status);
    std::printf("%s\n",
                report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  return status;
}

ExitStatus run_show(const std::string& file, const std::string& format, const Context& context) {
  contract::CheckedContract checked = contract::check_contract_file(file, false);
  if (checked.status != ExitStatus::ok) {
    print_diagnostics(checked.diagnostics, Style{color_enabled(stderr, context.no_color)}, stderr);
    std::fprintf(
        stderr, "voiceops: %s is not a valid contract; fix it first (voiceops contract validate)\n",
        file.c_str());
    return checked.status;
  }
  if (!checked.contract) {
    std::fprintf(stderr,
                 "voiceops: %s is a staff directory, not a contract (voiceops directory list %s)\n",
                 file.c_str(), file.c_str());
    return ExitStatus::data_error;
  }
  const auto show_format = format == "json"       ? contract::ShowFormat::json
                           : format == "markdown" ? contract::ShowFormat::markdown
                                                  : contract::ShowFormat::text;
  const std::string text = contract::render_contract(*checked.contract, show_format,
                                                     color_enabled(stdout, context.no_color));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return ExitStatus::ok;
}

struct InitOptions {
  std::string template_name = "minimal";
  std::string output;
  bool force = false;
  bool list = false;
};

ExitStatus run_init(const InitOptions& options) {
  if (options.list) {
    for (const auto& t : contract::contract_templates())
      std::printf("%.*s\n", int(t.name.size()), t.name.data());
    return ExitStatus::ok;
  }
  const contract::ContractTemplate* chosen = contract::find_template(options.template_name);
  if (!chosen) {
    std::string names;
    for (const auto& t : contract::contract_templates())
      names += (names.empty() ? "" : ", ") + std::string(t.name);
    std::fprintf(stderr, "voiceops: no template named '%s' (templates: %s)\n",
                 options.template_name.c_str(), names.c_str());
    return ExitStatus::usage;
  }
  if (options.output.empty() || options.output == "-") {
    std::fwrite(chosen->text.data(), 1, chosen->text.size(), stdout);
    return ExitStatus::ok;
  }
  auto written = write_file_atomically(options.output, chosen->text, options.force);
  if (!written) {
    std::fprintf(stderr, "voiceops: %s\n", written.error().message.c_str());
    return written.error().status == ExitStatus::check_failed ? ExitStatus::usage
                                                              : written.error().status;
  }
  std::fprintf(stderr, "voiceops: wrote %s; next: voiceops contract validate %s\n",
               options.output.c_str(), options.output.c_str());
  return ExitStatus::ok;
}

struct TryOptions {
  std::string file, utterance, at, intent, step, from = "+15125550100";
  double confidence = 0.92;
  std::string format = "text";
};

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// What the agent did next, one line per action.
std::vector<std::string> action_lines(const std::vector<engine::Action>& actions) {
  std::vector<std::string> lines;
  for (const auto& action : actions) {
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, engine::Say>) {
            lines.push_back("says " + quoted(a.text));
          } else if constexpr (std::is_same_v<A, engine::Gather>) {
            lines.push_back("asks " + quoted(a.prompt));
          } else if constexpr (std::is_same_v<A, engine::Transfer>) {
            lines.push_back("transfers to " + a.destination + " (" + a.number + ")");
          } else if constexpr (std::is_same_v<A, engine::Notify>) {
            lines.push_back("passes the summary to " + a.destination);
          } else if constexpr (std::is_same_v<A, engine::CallTool>) {
            lines.push_back("calls " + a.name);
          } else if constexpr (std::is_same_v<A, engine::EndCall>) {
            lines.push_back(std::string("ends the call: ") + engine::to_string(a.outcome) + " (" +
                            a.event + ")");
          }
        },
        action);
  }
  return lines;
}

ExitStatus run_try(const TryOptions& options, const Context& context) {
  contract::CheckedContract checked = contract::check_contract_file(options.file, false);
  if (checked.status != ExitStatus::ok || !checked.contract) {
    print_diagnostics(checked.diagnostics, Style{color_enabled(stderr, context.no_color)}, stderr);
    std::fprintf(
        stderr, "voiceops: %s is not a valid contract; fix it first (voiceops contract validate)\n",
        options.file.c_str());
    return checked.status == ExitStatus::ok ? ExitStatus::data_error : checked.status;
  }
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::int64_t at = now.time_since_epoch().count();
  if (!options.at.empty()) {
    auto parsed = parse_time_spec(options.at, now);
    if (!parsed) {
      std::fprintf(stderr, "voiceops: --at %s: %s\n", options.at.c_str(), parsed.error().c_str());
      return ExitStatus::usage;
    }
    at = *parsed;
  }
  const std::optional<contract::Directory> directory = contract::directory_of(*checked.contract);
  const engine::Dialogue dialogue(*checked.contract, directory ? &*directory : nullptr);
  auto state = dialogue.begin_at(options.from, std::chrono::sys_seconds{std::chrono::seconds{at}},
                                 options.intent, options.step);
  if (!state) {
    std::fprintf(stderr, "voiceops: %s\n", state.error().c_str());
    return ExitStatus::usage;
  }
  const engine::Explanation e = dialogue.explain(*state, options.utterance, options.confidence);
  const std::vector<std::string> did = action_lines(e.actions);
  if (options.format == "json") {
    nlohmann::json out = {{"utterance", options.utterance},
                          {"normalised", e.normalised},
                          {"at", format_utc(at)},
                          {"hours", state->after_hours ? "after_hours" : "business_hours"},
                          {"phase", e.phase},
                          {"intents", nlohmann::json::array()},
                          {"concepts", nlohmann::json::array()},
                          {"escalation_rows", nlohmann::json::array()},
                          {"slots", nlohmann::json::object()},
                          {"agent", did}};
    for (const auto& i : e.intents)
      out["intents"].push_back({{"intent", i.id}, {"score", i.score}});
    for (const auto& c : e.concepts) {
      out["concepts"].push_back({{"concept", c.id},
                                 {"words", c.words},
                                 {"scope", nlu::to_string(c.scope.polarity)},
                                 {"cue", c.scope.cue},
                                 {"near", c.near}});
    }
    for (const auto& r : e.rows) {
      out["escalation_rows"].push_back({{"row", r.row + 1},
                                        {"trigger", r.trigger},
                                        {"name", r.name},
                                        {"by", r.concept_id},
                                        {"words", r.words},
                                        {"verdict", r.verdict}});
    }
    for (const auto& [name, value] : e.slots) out["slots"][name] = value;
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return ExitStatus::ok;
  }
  std::printf("heard:    %s\n", quoted(e.normalised).c_str());
  std::printf("at:       %s (%s), %s\n", format_utc(at).c_str(),
              state->after_hours ? "after hours" : "business hours", e.phase.c_str());
  if (!e.intents.empty()) {
    std::printf("intents:");
    for (std::size_t i = 0; i < e.intents.size() && i < 4; ++i) {
      std::printf("%s %s %.2f", i == 0 ? "" : ",", e.intents[i].id.c_str(), e.intents[i].score);
    }
    std::printf("\n");
  }
  std::printf("concepts:%s\n", e.concepts.empty() ? " none" : "");
  for (const auto& c : e.concepts) {
    if (c.id.find(':') != std::string::npos) continue;  // a row's keywords or a label
    std::string scope(nlu::to_string(c.scope.polarity));
    if (!c.scope.cue.empty()) scope += " (" + c.scope.cue + ")";
    std::printf("  %-24s %-34s %s%s\n", c.id.c_str(), quoted(c.words).c_str(), scope.c_str(),
                c.near ? ", words near each other" : "");
  }
  std::printf("escalation rows:%s\n", e.rows.empty() ? " none" : "");
  for (const auto& r : e.rows) {
    const std::string row = "row " + std::to_string(r.row + 1) + " " + r.trigger +
                            (r.name.empty() ? "" : " (" + r.name + ")");
    const std::string by = r.concept_id + (r.words.empty() ? "" : " " + quoted(r.words));
    std::printf("  %-44s %-40s %s\n", row.c_str(), by.c_str(), r.verdict.c_str());
  }
  std::printf("slots:%s\n", e.slots.empty() ? " none" : "");
  for (const auto& [name, value] : e.slots) std::printf("  %s = %s\n", name.c_str(), value.c_str());
  std::printf("agent:\n");
  for (const auto& line : did) std::printf("  %s\n", line.c_str());
  return ExitStatus::ok;
}

}  // namespace

void add_contract_commands(CLI::App& app, Context& context) {
  auto* contract = app.add_subcommand("contract", "Validate, show and start workflow contracts");
  contract->require_subcommand(1);

  auto validate_options = std::make_shared<ValidateOptions>();
  auto* validate = contract->add_subcommand(
      "validate", "Check contracts and report problems as file:line:column diagnostics");
  validate->add_option("FILE", validate_options->files, "Contract files")
      ->required()
      ->type_name("FILE");
  validate->add_option("--format", validate_options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  validate->add_flag("--strict", validate_options->strict, "Treat warnings as errors");
  validate->callback([&context, validate_options] {
    context.action = [&context, validate_options] {
      return run_validate(*validate_options, context);
    };
  });

  auto file = std::make_shared<std::string>();
  auto show_format = std::make_shared<std::string>("text");
  auto* show = contract->add_subcommand(
      "show", "Show a contract: its fields, system map with owners, escalation table and hours");
  show->add_option("FILE", *file, "Contract file")->required()->type_name("FILE");
  show->add_option("--format", *show_format, "Output format")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  show->callback([&context, file, show_format] {
    context.action = [&context, file, show_format] {
      return run_show(*file, *show_format, context);
    };
  });

  auto init_options = std::make_shared<InitOptions>();
  auto* init =
      contract->add_subcommand("init", "Write a commented starter contract that validates");
  std::vector<std::string> names;
  for (const auto& t : contract::contract_templates()) names.emplace_back(t.name);
  init->add_option("--template", init_options->template_name,
                   "Template to start from (default: minimal)")
      ->check(CLI::IsMember(names));
  init->add_option("-o,--output", init_options->output, "Write to FILE instead of standard output")
      ->type_name("FILE");
  init->add_flag("--force", init_options->force, "Replace --output if it exists");
  init->add_flag("--list-templates", init_options->list, "List the templates and exit");
  init->callback([&context, init_options] {
    context.action = [init_options] { return run_init(*init_options); };
  });

  auto try_options = std::make_shared<TryOptions>();
  auto* try_cmd = contract->add_subcommand(
      "try", "Show what the agent understands from one utterance at one point of a call");
  try_cmd->add_option("CONTRACT", try_options->file, "Contract file")
      ->required()
      ->type_name("FILE");
  try_cmd
      ->add_option("UTTERANCE", try_options->utterance,
                   "What the caller says, as the recogniser "
                   "would deliver it")
      ->required();
  try_cmd
      ->add_option("--at", try_options->at,
                   "When the call comes in (2026-11-23T21:14:00-06:00, 2h, ...; default now)")
      ->type_name("TIME");
  try_cmd->add_option("--intent", try_options->intent, "The intent the call is on")
      ->type_name("INTENT");
  try_cmd->add_option("--step", try_options->step, "The ask step the call is at (needs --intent)")
      ->type_name("STEP");
  try_cmd->add_option("--from", try_options->from, "The caller ID (default +15125550100)")
      ->type_name("NUMBER");
  try_cmd
      ->add_option("--confidence", try_options->confidence,
                   "The recogniser's confidence, 0 to 1 (default 0.92)")
      ->check(CLI::Range(0.0, 1.0));
  try_cmd->add_option("--format", try_options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  try_cmd->callback([&context, try_options] {
    context.action = [&context, try_options] { return run_try(*try_options, context); };
  });
}

}  // namespace voiceops::cli
