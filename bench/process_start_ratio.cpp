// Times whole commands against a bare process start measured in the same run, interleaved so
// that machine noise hits both alike, and prints each command's median as a ratio of the
// baseline's.
//
//   process_start_ratio [--runs N] --baseline CMD -- CMD... [-- CMD...]
//
// Each CMD is a program and its arguments; standard output and error go to /dev/null.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Command = std::vector<std::string>;

double run_once(const Command& command) {
  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "cannot run %s\n", argv[0]);
    std::exit(2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const auto end = std::chrono::steady_clock::now();
  posix_spawn_file_actions_destroy(&actions);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s failed (status %d); fix it before timing it\n", argv[0], status);
    std::exit(2);
  }
  return std::chrono::duration<double, std::milli>(end - start).count();
}

double percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  return samples[static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1))];
}

std::string joined(const Command& command) {
  std::string out;
  for (const auto& a : command) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 200;
  Command baseline;
  std::vector<Command> commands;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(10, std::atoi(argv[++i]));
    } else if (arg == "--baseline" && i + 1 < argc) {
      baseline = {argv[++i]};
    } else if (arg == "--") {
      commands.emplace_back();
    } else if (!commands.empty()) {
      commands.back().push_back(arg);
    } else {
      std::fprintf(stderr, "usage: %s [--runs N] --baseline CMD -- CMD... [-- CMD...]\n", argv[0]);
      return 64;
    }
  }
  std::erase_if(commands, [](const Command& c) { return c.empty(); });
  if (baseline.empty() || commands.empty()) {
    std::fprintf(stderr, "usage: %s [--runs N] --baseline CMD -- CMD... [-- CMD...]\n", argv[0]);
    return 64;
  }
  for (int i = 0; i < 10; ++i) {  // warm the page cache
    run_once(baseline);
    for (const auto& c : commands) run_once(c);
  }
  std::vector<double> base_samples;
  std::vector<std::vector<double>> samples(commands.size());
  for (int i = 0; i < runs; ++i) {
    base_samples.push_back(run_once(baseline));
    for (std::size_t c = 0; c < commands.size(); ++c) samples[c].push_back(run_once(commands[c]));
  }
  const double base = percentile(base_samples, 0.5);
  std::printf("%-72s %9s %9s %8s\n", "command", "median", "p90", "ratio");
  std::printf("%-72s %7.2fms %7.2fms %7.2fx\n",
              (joined(baseline) + " (baseline: bare process start)").c_str(), base,
              percentile(base_samples, 0.9), 1.0);
  for (std::size_t c = 0; c < commands.size(); ++c) {
    const double median = percentile(samples[c], 0.5);
    std::printf("%-72s %7.2fms %7.2fms %7.2fx\n", joined(commands[c]).c_str(), median,
                percentile(samples[c], 0.9), median / base);
  }
  return 0;
}
