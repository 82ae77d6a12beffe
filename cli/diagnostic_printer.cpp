#include "cli/diagnostic_printer.hpp"

#include <nlohmann/json.hpp>

namespace voiceops::cli {

std::string plural(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void print_diagnostics(const Diagnostics& diagnostics, const Style& style, std::FILE* stream) {
  for (const Diagnostic& d : diagnostics.all()) {
    const std::string where =
        d.file + ":" + std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ":";
    const std::string severity =
        d.severity == Severity::error ? style.red("error:") : style.yellow("warning:");
    std::fprintf(stream, "%s %s %s [%s]\n", style.bold(where).c_str(), severity.c_str(),
                 d.message.c_str(), d.rule.c_str());
    if (!d.hint.empty())
      std::fprintf(stream, "    %s %s\n", style.cyan("hint:").c_str(), d.hint.c_str());
  }
}

nlohmann::json diagnostics_to_json(const Diagnostics& diagnostics, ExitStatus status) {
  nlohmann::json items = nlohmann::json::array();
  for (const Diagnostic& d : diagnostics.all()) {
    items.push_back({{"file", d.file},
                     {"line", d.where.line},
                     {"column", d.where.column},
                     {"severity", d.severity == Severity::error ? "error" : "warning"},
                     {"rule", d.rule},
                     {"message", d.message},
                     {"hint", d.hint}});
  }
  return {{"file", diagnostics.file()},
          {"valid", status == ExitStatus::ok},
          {"status", to_int(status)},
          {"errors", diagnostics.error_count()},
          {"warnings", diagnostics.warning_count()},
          {"diagnostics", std::move(items)}};
}

}  // namespace voiceops::cli
