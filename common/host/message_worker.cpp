#include "host/message_worker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "base/mask.hpp"
#include "host/core_helpers.hpp"
#include "store/message_queue.hpp"

namespace voiceops::host {

MessageWorker::MessageWorker(store::CallStore& store, std::unique_ptr<ops::TextGateway> texts,
                             std::unique_ptr<ops::MailGateway> mail, ops::MessageRouting routing,
                             ops::MessagePolicy policy, Log& log, Metrics& metrics, Clock clock,
                             std::chrono::milliseconds poll_every)
    : store_(store),
      texts_(std::move(texts)),
      mail_(std::move(mail)),
      log_(log),
      metrics_(metrics),
      clock_(std::move(clock)),
      poll_every_(poll_every),
      random_(std::random_device{}()),
      sender_(store_, texts_.get(), mail_.get(), std::move(routing), policy,
              [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }) {
  health_.texts = texts_ != nullptr;
  health_.email = mail_ != nullptr;
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

MessageWorker::~MessageWorker() {
  stop();
}

void MessageWorker::stop() {
  thread_.request_stop();
  woken_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // What only memory holds goes to the store now, or is named in the log: never dropped silently.
  keep_unkept(clock_().time_since_epoch().count());
  std::lock_guard lock(mutex_);
  for (const auto& item : unkept_) {
    log_.error(fmt::format("messages: {} for {} ({}){} was never sent and is lost: {}",
                           item.purpose, item.destination, mask_phone(item.address),
                           item.call_id.empty() ? "" : " for call " + short_id(item.call_id),
                           "the store could not keep it and voiceopsd is stopping"));
  }
  unkept_.clear();
}

void MessageWorker::keep_unkept(std::int64_t now) {
  std::vector<store::MessageItem> waiting;
  {
    std::lock_guard lock(mutex_);
    if (unkept_.empty()) return;
    waiting.swap(unkept_);
  }
  std::vector<store::MessageItem> still;
  for (auto& item : waiting) {
    store::NewMessage message{.call_id = item.call_id,
                              .turn = item.turn,
                              .purpose = item.purpose,
                              .kind = item.kind,
                              .destination = item.destination,
                              .address = item.address,
                              .sender = item.sender,
                              .subject = item.subject,
                              .body = item.body};
    message.uncertain = item.uncertain;
    if (!store_.add_message(message, now)) still.push_back(std::move(item));
  }
  std::lock_guard lock(mutex_);
  for (auto& item : still) unkept_.push_back(std::move(item));
}

void MessageWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  woken_cv_.notify_all();
}

void MessageWorker::send_unkept(store::MessageItem item) {
  {
    std::lock_guard lock(mutex_);
    if (unkept_.size() >= 1000) {
      log_.error(fmt::format("messages: {} for {} dropped: 1000 unkept messages already wait",
                             item.purpose, item.destination));
      return;
    }
    unkept_.push_back(std::move(item));
    woken_ = true;
  }
  woken_cv_.notify_all();
}

void MessageWorker::send_unkept_due(std::int64_t now, ops::MessageRun& run) {
  std::vector<store::MessageItem> due;
  {
    std::lock_guard lock(mutex_);
    auto waiting = std::partition(unkept_.begin(), unkept_.end(),
                                  [now](const auto& item) { return item.next_attempt_at > now; });
    due.assign(std::make_move_iterator(waiting), std::make_move_iterator(unkept_.end()));
    unkept_.erase(waiting, unkept_.end());
  }
  std::vector<store::MessageItem> again;
  for (auto& item : due) {
    const store::MessageOutcome outcome = sender_.send_unkept(item, now, run);
    ++item.attempts;
    if (outcome.fate == store::MessageFate::retry) {
      item.next_attempt_at = outcome.next_attempt_at;
      item.uncertain = outcome.uncertain;
      again.push_back(std::move(item));
    } else if (outcome.fate != store::MessageFate::sent) {
      run.alerts.push_back({item, outcome.error + " (not kept in the store)"});
    }
  }
  std::lock_guard lock(mutex_);
  for (auto& item : again) unkept_.push_back(std::move(item));
}

MessageHealth MessageWorker::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

void MessageWorker::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    const std::int64_t now = clock_().time_since_epoch().count();
    ops::MessageRun run;
    try {
      keep_unkept(now);  // the store takes writes again: it keeps them from here on
      send_unkept_due(now, run);
      ops::MessageRun stored = sender_.run(now, stop);
      stored.alerts.insert(stored.alerts.begin(), run.alerts.begin(), run.alerts.end());
      stored.texts_sent += run.texts_sent;
      stored.texts_failed += run.texts_failed;
      stored.texts_suppressed += run.texts_suppressed;
      stored.emails_sent += run.emails_sent;
      stored.emails_failed += run.emails_failed;
      stored.unrouted += run.unrouted;
      stored.texts_unrouted += run.texts_unrouted;
      stored.emails_unrouted += run.emails_unrouted;
      if (stored.last_error.empty()) stored.last_error = run.last_error;
      run = std::move(stored);
    } catch (const std::exception& e) {  // a bug, not the carrier's doing: keep answering calls
      run.store_error = std::string("sending messages failed unexpectedly: ") + e.what();
    }
    note(run);
    std::unique_lock lock(mutex_);
    woken_cv_.wait_for(lock, stop, poll_every_, [this] { return woken_; });
    woken_ = false;
  }
}

void MessageWorker::note(const ops::MessageRun& run) {
  metrics_.messages("sms", "sent", run.texts_sent);
  metrics_.messages("sms", "failed", run.texts_failed);
  metrics_.messages("sms", "suppressed", run.texts_suppressed);
  metrics_.messages("email", "sent", run.emails_sent);
  metrics_.messages("email", "failed", run.emails_failed);
  metrics_.messages("sms", "unrouted", run.texts_unrouted);
  metrics_.messages("email", "unrouted", run.emails_unrouted);
  for (const auto& alert : run.alerts) {
    const auto& item = alert.item;
    const std::string to = store::sent_as_text(item.kind) ? mask_phone(item.address) : item.address;
    log_.error(fmt::format("messages: {} {} to {} ({}){} was not sent: {}", item.purpose, item.id,
                           item.destination.empty() ? item.kind : item.destination, to,
                           item.call_id.empty() ? "" : " for call " + short_id(item.call_id),
                           mask_numbers_in(alert.error)));
  }
  if (run.found_sent > 0)
    log_.notice(
        fmt::format("messages: {} text(s) found already sent after an unclear attempt; "
                    "not sent again",
                    run.found_sent));
  std::lock_guard lock(mutex_);
  if (run.store_error != last_store_error_ && !run.store_error.empty())
    log_.warning("messages: the outbox could not be used: " + run.store_error);
  last_store_error_ = run.store_error;
  health_.texts_sent += static_cast<std::uint64_t>(run.texts_sent);
  health_.texts_failed += static_cast<std::uint64_t>(run.texts_failed);
  health_.texts_suppressed += static_cast<std::uint64_t>(run.texts_suppressed);
  health_.emails_sent += static_cast<std::uint64_t>(run.emails_sent);
  health_.emails_failed += static_cast<std::uint64_t>(run.emails_failed);
  health_.unrouted += static_cast<std::uint64_t>(run.unrouted);
  if (!run.last_error.empty() && run.last_error != health_.last_error)
    log_.warning("messages: " + mask_numbers_in(run.last_error) + "; will try again");
  if (!run.last_error.empty())
    health_.last_error = run.last_error;
  else if (run.texts_sent + run.emails_sent > 0)
    health_.last_error.clear();
}

}  // namespace voiceops::host
