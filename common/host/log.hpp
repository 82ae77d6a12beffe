#pragma once
// The daemon's log: one line per message on stderr, prefixed with its syslog priority the way
// journald reads it ("<4>" warning ...). Callers mask phone numbers and never pass secrets.
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace voiceops::host {

class Log {
 public:
  enum class Priority { error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

  explicit Log(std::FILE* stream = stderr) : stream_(stream) {}

  void write(Priority priority, std::string_view message);
  void error(std::string_view message) { write(Priority::error, message); }
  void warning(std::string_view message) { write(Priority::warning, message); }
  void notice(std::string_view message) { write(Priority::notice, message); }
  void info(std::string_view message) { write(Priority::info, message); }

 private:
  std::mutex mutex_;
  std::FILE* stream_;
};

}  // namespace voiceops::host
