#pragma once
// One function per command group adds its subcommands to the CLI tree.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "cli/context.hpp"

namespace voiceops::cli {

void add_calls_commands(CLI::App& app, Context& context);
void add_contract_commands(CLI::App& app, Context& context);
void add_daemon_commands(CLI::App& app, Context& context);
void add_directory_commands(CLI::App& app, Context& context);
void add_export_commands(CLI::App& app, Context& context);
void add_export_odoo_command(CLI::App& export_group, Context& context);
void add_messages_commands(CLI::App& app, Context& context);
void add_rollback_commands(CLI::App& app, Context& context);
void add_testcalls_commands(CLI::App& app, Context& context);
void add_twilio_commands(CLI::App& app, Context& context);
void add_twilio_check_number_command(CLI::App& twilio_group, Context& context);
void add_version_command(CLI::App& app, Context& context);
void add_completion_command(CLI::App& app, Context& context);

std::string completion_script(const CLI::App& app, const std::string& shell);

// The carrier's auth token from the configuration's [twilio] auth_token_file or
// TWILIO_AUTH_TOKEN; nullopt (after saying why on stderr) when there is none: exit 78.
std::optional<std::string> configured_auth_token(const Context& context);

// The whole CLI tree; the completion generator walks the same tree.
void build_cli(CLI::App& app, Context& context);

}  // namespace voiceops::cli
