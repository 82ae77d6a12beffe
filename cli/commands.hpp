#pragma once
// One function per command group adds its subcommands to the CLI tree.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace voiceops::cli {

void add_calls_commands(CLI::App& app, Context& context);
void add_contract_commands(CLI::App& app, Context& context);
void add_daemon_commands(CLI::App& app, Context& context);
void add_directory_commands(CLI::App& app, Context& context);
void add_testcalls_commands(CLI::App& app, Context& context);
void add_twilio_commands(CLI::App& app, Context& context);
void add_version_command(CLI::App& app, Context& context);
void add_completion_command(CLI::App& app, Context& context);

std::string completion_script(const CLI::App& app, const std::string& shell);

// The whole CLI tree; the completion generator walks the same tree.
void build_cli(CLI::App& app, Context& context);

}  // namespace voiceops::cli
