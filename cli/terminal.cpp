#include "cli/terminal.hpp"

#include <unistd.h>

#include <cstdlib>

namespace voiceops::cli {

bool color_enabled(std::FILE* stream, bool no_color_flag) {
  if (no_color_flag) return false;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::string_view(term) == "dumb")
    return false;
  return ::isatty(fileno(stream)) == 1;
}

}  // namespace voiceops::cli
