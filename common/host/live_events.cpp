#include "host/live_events.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace voiceops::host {

std::uint64_t LiveEvents::subscribe(Subscriber subscriber) {
  std::lock_guard lock(mutex_);
  const std::uint64_t ticket = next_++;
  subscribers_.emplace(ticket, std::move(subscriber));
  return ticket;
}

void LiveEvents::unsubscribe(std::uint64_t ticket) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(ticket);
}

std::size_t LiveEvents::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

void LiveEvents::publish(std::string_view kind, std::string_view call_id, std::string_view workflow,
                         std::string_view detail, std::int64_t at) {
  std::vector<Subscriber> targets;
  {
    std::lock_guard lock(mutex_);
    if (subscribers_.empty()) return;
    for (const auto& [ticket, subscriber] : subscribers_) targets.push_back(subscriber);
  }
  nlohmann::json event = {{"event", kind}, {"call", call_id}, {"workflow", workflow}, {"at", at}};
  if (!detail.empty()) event["detail"] = detail;
  const std::string text = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const auto& subscriber : targets) subscriber(text);
}

}  // namespace voiceops::host
