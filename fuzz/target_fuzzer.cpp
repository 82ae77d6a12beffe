// libFuzzer target: `voiceops testcalls run --target` reading what a daemon answers. A server on
// a loopback port answers every request with bytes from the input; the first byte picks how:
//   even  the rest is the whole HTTP response, status line to body (the HTTP client's parser);
//   odd   the rest is the body of a well-formed 200 JSON response (the call-state reader).
// The target then posts a webhook (its TwiML reader) and asks for the call's state. Beyond "no
// crash": an answer the client took has a status from 100 to 999.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "base/unique_fd.hpp"
#include "testcalls/target.hpp"

namespace {

class CannedServer {
 public:
  CannedServer() {
    listener_ = voiceops::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_.get(), 16) != 0)
      __builtin_trap();
    socklen_t length = sizeof address;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    std::thread([this] { serve(); }).detach();  // lives as long as the fuzzing process
  }
  int port() const { return port_; }
  void answer_with(std::string response) {
    std::lock_guard lock(mutex_);
    response_ = std::move(response);
  }

 private:
  void serve() {
    for (;;) {
      voiceops::UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!client) continue;
      // Read the request's head and whatever body came with it; the answer does not depend on it.
      char buffer[65536];
      std::string seen;
      std::size_t wanted = std::string::npos;  // the whole request: head and body
      while (seen.size() < wanted) {
        const ssize_t got = ::recv(client.get(), buffer, sizeof buffer, 0);
        if (got <= 0) break;
        seen.append(buffer, static_cast<std::size_t>(got));
        const auto head_end = seen.find("\r\n\r\n");
        if (head_end != std::string::npos && wanted == std::string::npos) {
          std::size_t body = 0;
          for (const char* name : {"Content-Length: ", "content-length: "}) {
            if (const auto at = seen.find(name); at != std::string::npos && at < head_end)
              body = std::strtoul(seen.c_str() + at + std::strlen(name), nullptr, 10);
          }
          wanted = head_end + 4 + body;
        }
      }
      std::string response;
      {
        std::lock_guard lock(mutex_);
        response = response_;
      }
      (void)::send(client.get(), response.data(), response.size(), MSG_NOSIGNAL);
      ::shutdown(client.get(), SHUT_RDWR);
    }
  }
  voiceops::UniqueFd listener_;
  int port_ = 0;
  std::mutex mutex_;
  std::string response_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voiceops;
  static CannedServer server;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    server.answer_with(rest);
  } else {
    server.answer_with("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                       std::to_string(rest.size()) + "\r\nConnection: close\r\n\r\n" + rest);
  }
  testcalls::RemoteTargetOptions options;
  options.daemon.host = "127.0.0.1";
  options.daemon.port = server.port();
  options.daemon.path = "/";
  options.public_url = "http://127.0.0.1:" + std::to_string(server.port());
  options.auth_token = "fuzz-token";
  options.http.keep_alive = false;
  options.http.connect_timeout = std::chrono::milliseconds(1000);
  options.http.total_timeout = std::chrono::milliseconds(1000);
  auto target = testcalls::remote_target(options);
  auto answer = target->post("/twilio/voice", {{"CallSid", "CAfuzz"}, {"To", "+15125550101"}});
  if (answer && (answer->status < 100 || answer->status > 999)) __builtin_trap();
  (void)target->observe("CAfuzz");
  return 0;
}
