#include "host/log.hpp"

namespace voiceops::host {

void Log::write(Priority priority, std::string_view message) {
  std::string line = "<" + std::to_string(static_cast<int>(priority)) + ">";
  // One message is one journal entry: newlines inside it would split it, and a NUL or another
  // control byte from a caller's words or a request would cut or garble it: escaped as \xNN.
  for (char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r') {
      line += ' ';
    } else if (byte < 0x20 || byte == 0x7f) {
      static constexpr char hex[] = "0123456789abcdef";
      line += "\\x";
      line += hex[byte >> 4];
      line += hex[byte & 0xf];
    } else {
      line += c;
    }
  }
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

}  // namespace voiceops::host
