#pragma once
// Replacing a file so that readers see the old or the new contents, never half of either.
#include <string>
#include <string_view>

#include "base/exit_status.hpp"
#include "base/result.hpp"

namespace voiceops {

struct WriteError {
  ExitStatus status = ExitStatus::io_error;
  std::string message;
};

struct Unit {};

// Writes to a temporary file beside `path`, fsyncs it, and renames it over `path`. The new file
// keeps the old one's permission bits, or gets `mode` when there was none. With
// `replace` false an existing file is an error.
Result<Unit, WriteError> write_file_atomically(const std::string& path, std::string_view contents,
                                               bool replace, unsigned mode = 0644);

}  // namespace voiceops
