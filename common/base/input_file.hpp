#pragma once
// Reading a user-supplied input file with the checks every parser needs first: it exists, it is a
// file, it is readable, it is not absurdly large, and it is text.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/diagnostic.hpp"
#include "base/exit_status.hpp"
#include "base/result.hpp"

namespace voiceops {

struct InputError {
  ExitStatus status = ExitStatus::io_error;
  std::string rule;  // e.g. "missing-file", "too-large", "encoding"
  std::string message;
  std::string hint;
  SourceLocation where;
};

inline constexpr std::size_t max_input_bytes = 1024 * 1024;

// Reads at most max_bytes; larger inputs are refused without reading them whole. A FIFO, socket
// or device is refused (a FIFO with no writer would wait forever) unless `streams` is
// Streams::allowed, for inputs documented as "-" for standard input.
enum class Streams { refused, allowed };
Result<std::string, InputError> read_input_file(const std::string& path,
                                                std::size_t max_bytes = max_input_bytes,
                                                Streams streams = Streams::refused);

// Text checks: NUL bytes (binary) and invalid UTF-8, located at the first offending byte.
std::optional<InputError> check_text(std::string_view text);

SourceLocation location_of_offset(std::string_view text, std::size_t offset);

}  // namespace voiceops
