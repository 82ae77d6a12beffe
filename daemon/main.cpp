// voiceopsd: answers the carrier's webhooks for voiceops workflows under systemd. This file wires
// the pieces together: configuration, DaemonCore, the HTTP and control servers, signals, timers
// and systemd notifications. See voiceopsd(8).
#include <utility>  // before Asio: GCC 12 in C++20 mode (asio issue 944)

#include <sys/resource.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "bus_fault_guard.hpp"
#include "config/config.hpp"
#include "control/requests.hpp"
#include "control_server.hpp"
#include "host/daemon_core.hpp"
#include "http_server.hpp"
#include "systemd_notify.hpp"
#include "base/exit_status.hpp"
#include "version.hpp"

namespace asio = boost::asio;
using namespace voiceops;

namespace {

constexpr auto sweep_every = std::chrono::seconds(60);
constexpr auto abandon_after = std::chrono::hours(4);  // the carrier's longest call
constexpr auto stop_deadline = std::chrono::seconds(10);

// Thousands of concurrent calls (and idle connections) need more than the default 1024 fds.
void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::string status_line(host::DaemonCore& core, const std::string& listening) {
  return fmt::format("serving {} contract(s) on {}", core.contracts_loaded(), listening);
}

// A timer that runs `tick` every `period` until its io_context stops.
class Repeating {
 public:
  Repeating(asio::io_context& io, std::chrono::steady_clock::duration period,
            std::function<void()> tick)
      : timer_(io), period_(period), tick_(std::move(tick)) {
    arm();
  }
  void cancel() { timer_.cancel(); }

 private:
  void arm() {
    timer_.expires_after(period_);
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      tick_();
      arm();
    });
  }
  asio::steady_timer timer_;
  std::chrono::steady_clock::duration period_;
  std::function<void()> tick_;
};

int serve(const config::Config& config, int threads) {
  host::Log log;
  daemon::SystemdNotifier systemd;
  raise_file_limit();

  const auto* shared_memory_faults = daemon::install_bus_fault_guard();
  auto started = host::DaemonCore::start(config, config::process_environment(), log, {},
                                           shared_memory_faults);
  if (!started) {
    for (const auto& line : started.error().lines) log.error(line);
    return to_int(started.error().status);
  }
  host::DaemonCore& core = **started;

  asio::io_context io(threads);
  daemon::HttpServer http(
      io, core, {.handler_threads = static_cast<std::size_t>(config.server.handler_threads)});
  auto bound = http.listen(config.server.listen);
  if (!bound) {
    log.error(bound.error());
    return to_int(ExitStatus::unavailable);
  }
  const std::string listening =
      bound->address().is_v6() ? fmt::format("[{}]:{}", bound->address().to_string(), bound->port())
                               : fmt::format("{}:{}", bound->address().to_string(), bound->port());

  core.set_reload_hooks({[&] { systemd.reloading(); },
                         [&](const host::ReloadOutcome& outcome) {
                           systemd.ready(outcome.ok ? status_line(core, listening)
                                                    : status_line(core, listening) +
                                                          " (last reload refused; see the log)");
                         }});

  daemon::ControlServer control(io, [&](std::string_view request) -> std::string {
    // `voiceops daemon reload` without --wait: answer now, reload on the event loop.
    if (auto decoded = control::decode_request(request)) {
      if (const auto* reload = std::get_if<control::ReloadRequest>(&*decoded);
          reload && !reload->wait) {
        asio::post(io, [&core] { core.reload(); });
        return R"({"ok":true,"queued":true})";
      }
    }
    return core.handle_control(request);
  });
  if (auto listening_control = control.listen(config.server.control_socket); !listening_control) {
    log.error(listening_control.error());
    log.error(
        "check [server] control_socket; under systemd, RuntimeDirectory=voiceops creates "
        "/run/voiceops");
    return to_int(ExitStatus::config);
  }

  Repeating sweeper(io, sweep_every, [&] {
    core.sweep(abandon_after);
    systemd.status(status_line(core, listening));
  });
  std::optional<Repeating> watchdog;
  if (auto interval = systemd.watchdog_interval()) {
    // Pinged from the event loop itself: a wedged loop stops pinging and systemd restarts us.
    watchdog.emplace(io, *interval, [&] { systemd.watchdog(); });
  }
  core.sweep(abandon_after);  // calls left open by a previous run that died

  asio::steady_timer stop_timer(io);
  asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);
  bool stopping = false;
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec,
                                                                      int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      log.notice("SIGHUP: reloading contracts");
      core.reload();
      signals.async_wait(on_signal);
      return;
    }
    if (stopping) return;
    stopping = true;
    log.notice(fmt::format("{}: stopping; finishing requests in flight (at most {} s)",
                           signal == SIGTERM ? "SIGTERM" : "SIGINT", stop_deadline.count()));
    systemd.stopping();
    control.close();
    sweeper.cancel();
    if (watchdog) watchdog->cancel();
    stop_timer.expires_after(stop_deadline);
    stop_timer.async_wait([&](boost::system::error_code timer_ec) {
      if (timer_ec) return;
      log.warning(fmt::format("{} connection(s) still open at the stop deadline; closing",
                              http.connections()));
      io.stop();
    });
    http.shutdown([&] {
      stop_timer.cancel();
      io.stop();
    });
    signals.async_wait(on_signal);  // a second SIGTERM is ignored, not fatal
  };
  signals.async_wait(on_signal);

  log.notice(fmt::format("voiceopsd {} listening on {}; control socket {}", version_string,
                         listening, config.server.control_socket));
  systemd.ready(status_line(core, listening));

  std::vector<std::jthread> workers;
  for (int i = 1; i < threads; ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& worker : workers) worker.join();
  log.notice("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("voiceopsd: answers the carrier's webhooks for voiceops workflows", "voiceopsd");
  app.set_version_flag("--version", std::string("voiceopsd ") + version_string);
  std::string config_option;
  bool check_only = false;
  int threads = 2;
  app.add_option("--config", config_option,
                 "Configuration file (default: $VOICEOPS_CONFIG, else /etc/voiceops/voiceops.toml)")
      ->type_name("FILE");
  app.add_flag("--check-config", check_only,
               "Check the configuration and contracts, then exit (0, or 78 with the problems)");
  app.add_option("--threads", threads, "Event-loop threads (default 2)")
      ->check(CLI::Range(1, 64))
      ->type_name("N");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : to_int(ExitStatus::usage);
  }

  try {
    const auto location = config::locate_config(config_option, config::process_environment());
    auto loaded = config::load_config(location);
    host::Log log;
    if (!loaded) {
      for (const auto& d : loaded.error().all()) {
        log.error(fmt::format("{}:{}:{}: {}{}", d.file.empty() ? location.path : d.file,
                              d.where.line, d.where.column, d.message,
                              d.hint.empty() ? "" : " (" + d.hint + ")"));
      }
      return to_int(ExitStatus::config);
    }
    for (const auto& d : loaded->warnings)
      log.warning(fmt::format("{}:{}:{}: {}", d.file, d.where.line, d.where.column, d.message));
    if (check_only) {
      auto core = host::DaemonCore::start(*loaded, config::process_environment(), log);
      if (!core) {
        for (const auto& line : core.error().lines) log.error(line);
        return to_int(core.error().status);
      }
      std::printf("%s: configuration and %d contract(s) OK\n", location.path.c_str(),
                  (*core)->contracts_loaded());
      return 0;
    }
    return serve(*loaded, threads);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "<2>voiceopsd: internal error: %s\n", e.what());
    return to_int(ExitStatus::internal);
  }
}
