// voiceops contract validate|show|init
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/terminal.hpp"
#include "contract/check.hpp"
#include "contract/render.hpp"
#include "contract/templates.hpp"
#include "util/atomic_file.hpp"

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
    std::printf("%s\n", report.dump(2).c_str());
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
}

}  // namespace voiceops::cli
