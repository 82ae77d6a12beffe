#pragma once
// Runs a program with arguments, feeds it standard input and captures its output and status.
#include <string>
#include <vector>

namespace voiceops::testing {

struct ProcessResult {
  int status = -1;  // exit status, or 128 + signal
  std::string out, err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {},
                          const std::vector<std::string>& extra_env = {});

}  // namespace voiceops::testing
