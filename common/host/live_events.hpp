#pragma once
// Live call events for dashboards (GET /events): a publisher and any number of subscribers. Each
// subscriber gets JSON text messages through its own callback, which must not block (the
// WebSocket session queues them on its strand and drops the oldest when a reader falls behind).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace voiceops::host {

class LiveEvents {
 public:
  using Subscriber = std::function<void(const std::string& json)>;

  // Returns a ticket for unsubscribe().
  std::uint64_t subscribe(Subscriber subscriber);
  void unsubscribe(std::uint64_t ticket);

  // kind: started, turn, escalation, ended, finalized. No caller numbers: dashboards get ids.
  void publish(std::string_view kind, std::string_view call_id, std::string_view workflow,
               std::string_view detail, std::int64_t at);

  std::size_t subscribers() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;
  std::map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace voiceops::host
