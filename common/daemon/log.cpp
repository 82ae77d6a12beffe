#include "daemon/log.hpp"

namespace voiceops::daemon {

void Log::write(Priority priority, std::string_view message) {
  std::string line = "<" + std::to_string(static_cast<int>(priority)) + ">";
  // One message is one journal entry: newlines inside it would split it.
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

}  // namespace voiceops::daemon
