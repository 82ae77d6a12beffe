#pragma once
// What every command of the CLI shares: the global options and the action the parser chose.
#include <functional>
#include <string>

#include "base/exit_status.hpp"

namespace voiceops::cli {

struct Context {
  std::string config_file;  // --config; empty means $VOICEOPS_CONFIG, then the system default
  bool no_color = false;    // --no-color; NO_COLOR is honoured separately
  // Set by the chosen subcommand's callback, run after parsing succeeded.
  std::function<ExitStatus()> action;
};

}  // namespace voiceops::cli
