// /proc/self/stat read for the process_* metrics, with a command name that holds spaces and
// parentheses, and text that is not a stat line.
#include <catch2/catch.hpp>

#include "host/process_metrics.hpp"

using voiceops::host::parse_process_stat;

TEST_CASE("process_* metrics come from /proc/self/stat's fields") {
  // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss ...
  const std::string stat =
      "4242 (voice (ops) d) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 5 0 "
      "12000 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 4096 17003 0 0 0 17 1 0 0 0 0 0\n";
  const auto stats = parse_process_stat(stat, 1'800'000'000.0, 100, 4096);
  REQUIRE(stats);
  CHECK(stats->cpu_seconds == Approx(3.0));  // (250 + 50) ticks at 100 a second
  CHECK(stats->start_time_seconds == Approx(1'800'000'120.0));
  CHECK(stats->virtual_bytes == Approx(104857600.0));
  CHECK(stats->resident_bytes == Approx(2560.0 * 4096));
}

TEST_CASE("text that is not a stat line gives no process metrics, never a crash") {
  for (const char* text :
       {"", "4242", "4242 (d)", "4242 (d) S 1 2 3", "(((", ")))",
        "4242 (d) S 1 4242 4242 0 -1 4194560 900 0 0 0 x y 0 0 20 0 5 0 1 2 3"}) {
    CHECK_FALSE(parse_process_stat(text, 0, 100, 4096));
  }
  CHECK_FALSE(
      parse_process_stat("4242 (d) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 5 "
                         "0 12000 104857600 2560",
                         0, 0, 4096));  // no clock ticks: no CPU seconds to give
  // The real file of this process reads.
  CHECK(voiceops::host::render_process_metrics().find("process_open_fds") != std::string::npos);
}
