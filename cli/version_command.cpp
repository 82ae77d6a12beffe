#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "version.hpp"

namespace voiceops::cli {

void add_version_command(CLI::App& app, Context& context) {
  auto* command =
      app.add_subcommand("version", "Print the version and the contract schema it reads");
  auto format = std::make_shared<std::string>("text");
  command->add_option("--format", *format, "Output format")->check(CLI::IsMember({"text", "json"}));
  command->callback([&context, format] {
    context.action = [format] {
      if (*format == "json") {
        nlohmann::json out = {{"version", version_string},
                              {"contract_schema_version", contract_schema_version}};
        std::printf("%s\n",
                    out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      } else {
        std::printf("voiceops %s (contract schema %d)\n", version_string, contract_schema_version);
      }
      return ExitStatus::ok;
    };
  });
}

}  // namespace voiceops::cli
