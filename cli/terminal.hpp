#pragma once
// Colour only on a terminal, never with --no-color or NO_COLOR (https://no-color.org).
#include <cstdio>
#include <string>
#include <string_view>

namespace voiceops::cli {

bool color_enabled(std::FILE* stream, bool no_color_flag);

struct Style {
  bool enabled = false;
  std::string bold(std::string_view text) const { return wrap("1", text); }
  std::string red(std::string_view text) const { return wrap("1;31", text); }
  std::string yellow(std::string_view text) const { return wrap("1;33", text); }
  std::string green(std::string_view text) const { return wrap("1;32", text); }
  std::string cyan(std::string_view text) const { return wrap("36", text); }

 private:
  std::string wrap(std::string_view code, std::string_view text) const {
    if (!enabled) return std::string(text);
    return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
  }
};

}  // namespace voiceops::cli
