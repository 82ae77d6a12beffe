#include "host/export_worker.hpp"

#include <fmt/format.h>

namespace voiceops::host {

ExportWorker::ExportWorker(store::CallStore& store, connectors::odoo::Client odoo,
                           ops::ExportPolicy policy, Log& log, Clock clock,
                           std::chrono::milliseconds poll_every)
    : store_(store),
      odoo_(std::move(odoo)),
      log_(log),
      clock_(std::move(clock)),
      poll_every_(poll_every),
      max_batches_(policy.max_batches),
      random_(std::random_device{}()),
      exporter_(store_, odoo_, policy,
                [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }) {
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

ExportWorker::~ExportWorker() {
  stop();
}

void ExportWorker::stop() {
  thread_.request_stop();
  woken_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ExportWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  woken_cv_.notify_all();
}

ExportHealth ExportWorker::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

void ExportWorker::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    const std::int64_t now = clock_().time_since_epoch().count();
    ops::ExportRun run;
    try {
      run = exporter_.run(now, stop);
    } catch (const std::exception& e) {  // a bug, not Odoo's doing: keep the daemon answering
      run.store_error = std::string("the export failed unexpectedly: ") + e.what();
    }
    note(run, now);
    std::unique_lock lock(mutex_);
    // A full run may leave more due rows: go again at once, unless Odoo just failed.
    if (run.batches >= max_batches_ && !run.error) continue;
    woken_cv_.wait_for(lock, stop, poll_every_, [this] { return woken_; });
    woken_ = false;
  }
}

void ExportWorker::note(const ops::ExportRun& run, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (run.store_error != last_store_error_ && !run.store_error.empty())
    log_.warning("odoo export: the outbox could not be used: " + run.store_error);
  last_store_error_ = run.store_error;
  health_.sent += static_cast<std::uint64_t>(run.sent);
  health_.failed += static_cast<std::uint64_t>(run.failed);
  health_.dead += static_cast<std::uint64_t>(run.dead);
  health_.requests += static_cast<std::uint64_t>(run.requests);
  if (run.requests == 0) return;  // nothing was due: nothing learnt about Odoo
  if (run.error) {
    const auto& error = *run.error;
    const bool odoo_down = connectors::odoo::transient(error);
    if (health_.reachable || health_.last_error != error.message) {
      log_.warning(fmt::format("odoo export: {} ({}); {} row(s) will be tried again, {} dead",
                               error.message, connectors::odoo::hint(error), run.failed, run.dead));
    }
    health_.reachable = !odoo_down;
    health_.last_error = error.message;
    health_.last_error_kind = std::string(connectors::odoo::kind_name(error.kind));
  } else {
    if (!health_.reachable) log_.notice("odoo export: Odoo answers again");
    health_.reachable = true;
    health_.last_error.clear();
    health_.last_error_kind.clear();
  }
  if (run.sent > 0) health_.last_success_at = now;
  if (auto protocol = odoo_.known_protocol())
    health_.protocol = std::string(connectors::odoo::protocol_name(*protocol));
}

}  // namespace voiceops::host
