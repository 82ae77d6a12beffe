#pragma once
// The standard process_* metrics every Prometheus client exports (CPU time, memory, file
// descriptors, start time), read from /proc for this process, and voiceops_build_info.
#include <optional>
#include <string>
#include <string_view>

namespace voiceops::host {

struct ProcessStats {
  double cpu_seconds = 0;
  double resident_bytes = 0, virtual_bytes = 0;
  double start_time_seconds = 0;  // Unix time
  std::optional<double> open_fds, max_fds;
};

// From /proc/self/stat's text and /proc/stat's boot time: nullopt when the text is not one.
std::optional<ProcessStats> parse_process_stat(std::string_view stat, double boot_time_seconds,
                                               long ticks_per_second, long page_size);

// The exposition of process_* (what this process could read) and voiceops_build_info.
std::string render_process_metrics();

}  // namespace voiceops::host
