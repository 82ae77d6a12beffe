#include "cli/commands.hpp"
#include "version.hpp"

namespace voiceops::cli {

void build_cli(CLI::App& app, Context& context) {
  app.description(
      "voiceops: put an AI voice agent on a phone line one tested workflow at a time.\n"
      "Validate workflow contracts, manage the Ops line's staff directory, and more; see "
      "voiceops(1).");
  app.name("voiceops");
  app.set_version_flag("--version", std::string("voiceops ") + version_string);
  app.option_defaults()->always_capture_default(false);
  app.add_option("--config", context.config_file,
                 "Configuration file (default: $VOICEOPS_CONFIG, then /etc/voiceops/voiceops.toml)")
      ->type_name("FILE");
  app.add_flag("--no-color", context.no_color, "Never colour output (NO_COLOR does the same)");
  app.require_subcommand(1);
  app.fallthrough();

  add_contract_commands(app, context);
  add_directory_commands(app, context);
  add_testcalls_commands(app, context);
  add_daemon_commands(app, context);
  add_calls_commands(app, context);
  add_messages_commands(app, context);
  add_rollback_commands(app, context);
  add_export_commands(app, context);
  add_twilio_commands(app, context);
  add_version_command(app, context);
  add_completion_command(app, context);
}

}  // namespace voiceops::cli
