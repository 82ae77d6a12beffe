#pragma once
// Diagnostics the way compilers print them, or as JSON for machines.
#include <cstdio>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "cli/terminal.hpp"
#include "base/diagnostic.hpp"
#include "base/exit_status.hpp"

namespace voiceops::cli {

void print_diagnostics(const Diagnostics& diagnostics, const Style& style, std::FILE* stream);
nlohmann::json diagnostics_to_json(const Diagnostics& diagnostics, ExitStatus status);
std::string plural(std::size_t count, const std::string& noun);

}  // namespace voiceops::cli
