#include "host/process_metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include "version.hpp"

namespace voiceops::host {
namespace {

std::string read_all(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// /proc/stat's "btime <seconds>": when the machine booted, in Unix time.
std::optional<double> boot_time() {
  const std::string stat = read_all("/proc/stat");
  const std::size_t at = stat.find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  double seconds = 0;
  const char* begin = stat.data() + at + 7;
  const auto [end, error] = std::from_chars(begin, stat.data() + stat.size(), seconds);
  if (error != std::errc() || end == begin) return std::nullopt;
  return seconds;
}

std::optional<double> open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double count = 0;
  while (const dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  ::closedir(dir);
  return count - 1;  // the directory's own descriptor, open while it is read
}

std::optional<double> max_fds() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return std::nullopt;
  return static_cast<double>(limit.rlim_cur);
}

void gauge(std::string& out, std::string_view name, std::string_view type, std::string_view help,
           double value) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
}

}  // namespace

std::optional<ProcessStats> parse_process_stat(std::string_view stat, double boot_time_seconds,
                                               long ticks_per_second, long page_size) {
  // "pid (comm) state ppid ...": the command may hold spaces and parentheses, so the fields
  // are counted from the last ')'.
  const std::size_t close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
  std::size_t at = close + 1;
  while (at < stat.size()) {
    while (at < stat.size() && (stat[at] == ' ' || stat[at] == '\n')) ++at;
    const std::size_t end = std::min(stat.find(' ', at), stat.size());
    if (end > at) fields.push_back(stat.substr(at, end - at));
    at = end;
  }
  // Fields 14 utime, 15 stime, 22 starttime (ticks), 23 vsize (bytes), 24 rss (pages).
  if (fields.size() < 22) return std::nullopt;
  const auto number = [&](int field) -> std::optional<double> {
    const std::string_view text = fields[static_cast<std::size_t>(field - 3)];
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return static_cast<double>(value);
  };
  const auto utime = number(14), stime = number(15), start = number(22), vsize = number(23),
             rss = number(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  ProcessStats stats;
  const auto ticks = static_cast<double>(ticks_per_second);
  stats.cpu_seconds = (*utime + *stime) / ticks;
  stats.start_time_seconds = boot_time_seconds + *start / ticks;
  stats.virtual_bytes = *vsize;
  stats.resident_bytes = *rss * static_cast<double>(page_size);
  return stats;
}

std::string render_process_metrics() {
  std::string out = fmt::format(
      "# HELP voiceops_build_info The voiceopsd version and the contract schema it reads.\n"
      "# TYPE voiceops_build_info gauge\n"
      "voiceops_build_info{{version=\"{}\",contract_schema=\"{}\"}} 1\n",
      version_string, contract_schema_version);
  static const std::optional<double> boot = boot_time();  // fixed while the machine runs
  auto stats = parse_process_stat(read_all("/proc/self/stat"), boot.value_or(0),
                                  ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE));
  if (stats) {
    gauge(out, "process_cpu_seconds_total", "counter",
          "Total user and system CPU time spent in seconds.", stats->cpu_seconds);
    gauge(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
          stats->resident_bytes);
    gauge(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
          stats->virtual_bytes);
    if (boot) {
      gauge(out, "process_start_time_seconds", "gauge",
            "Start time of the process since unix epoch in seconds.", stats->start_time_seconds);
    }
  }
  if (const auto fds = open_fds())
    gauge(out, "process_open_fds", "gauge", "Number of open file descriptors.", *fds);
  if (const auto fds = max_fds())
    gauge(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.", *fds);
  return out;
}

}  // namespace voiceops::host
