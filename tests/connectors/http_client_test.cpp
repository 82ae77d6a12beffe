// The CLI's small HTTP client against a tiny loopback server whose every byte the test scripts.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <thread>

#include "base/unique_fd.hpp"
#include "connectors/http_client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;
using namespace std::chrono_literals;

namespace {

// Listens on a free loopback port; `serve` runs once on a thread with the listening socket.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(int listener)> serve) {
    listener_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener_.get(), 4) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, serve = std::move(serve)] { serve(listener_.get()); });
  }
  ~ScriptedServer() { thread_.join(); }

  connectors::HttpUrl url() const { return {"127.0.0.1", port_, "/"}; }

 private:
  UniqueFd listener_;
  int port_ = 0;
  std::thread thread_;
};

// Reads one request head (and nothing of a body the tests do not send).
std::string read_head(int fd) {
  std::string head;
  char c;
  while (head.find("\r\n\r\n") == std::string::npos && ::read(fd, &c, 1) == 1) head += c;
  return head;
}

void write_all(int fd, const std::string& text) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = ::write(fd, text.data() + sent, text.size() - sent);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

TEST_CASE("http and https URLs parse; other schemes are unsupported", "[http_client]") {
  auto url = connectors::parse_http_url("http://127.0.0.1:18751");
  REQUIRE(url);
  CHECK(url->host == "127.0.0.1");
  CHECK(url->port == 18751);
  CHECK(url->path == "/");
  CHECK(url->origin() == "http://127.0.0.1:18751");

  auto v6 = connectors::parse_http_url("HTTP://[::1]:8080/base/");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->path == "/base");
  CHECK(v6->origin() == "http://[::1]:8080");
  CHECK(connectors::parse_http_url("http://localhost")->port == 80);

  auto tls = connectors::parse_http_url("https://voice.example.com/odoo");
  REQUIRE(tls);
  CHECK(tls->tls);
  CHECK(tls->port == 443);
  CHECK(tls->path == "/odoo");
  CHECK(tls->origin() == "https://voice.example.com:443");

  auto ftp = connectors::parse_http_url("ftp://files.example.com");
  REQUIRE_FALSE(ftp);
  CHECK(ftp.error().kind == connectors::UrlErrorKind::unsupported_scheme);
  CHECK_THAT(ftp.error().message, Catch::Contains("only http:// and https://"));

  for (const char* bad : {"127.0.0.1:80", "http://", "http://host:0", "http://host:99999",
                          "http://host:8x", "http://user@host", "http://host/?q=1"}) {
    INFO(bad);
    auto parsed = connectors::parse_http_url(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().kind == connectors::UrlErrorKind::malformed);
  }
}

TEST_CASE("a kept-alive connection serves several requests", "[http_client]") {
  std::string first_head, second_head;
  ScriptedServer server([&](int listener) {
    UniqueFd peer(::accept(listener, nullptr, nullptr));
    first_head = read_head(peer.get());
    write_all(peer.get(), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Answer: one\r\n\r\nhello");
    second_head = read_head(peer.get());  // the same connection, or this read fails
    write_all(peer.get(), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  });
  connectors::HttpClient client(server.url());
  auto first = client.send({"GET", "/healthz", {{"X-Test", "1"}}, {}});
  REQUIRE(first);
  CHECK(first->status == 200);
  CHECK(first->body == "hello");
  CHECK(first->header("x-answer") == "one");
  auto second = client.send({"POST", "/twilio/voice", {}, "a=1"});
  REQUIRE(second);
  CHECK(second->status == 404);
  CHECK(second->body.empty());
  CHECK_THAT(first_head, Catch::StartsWith("GET /healthz HTTP/1.1\r\n"));
  CHECK_THAT(first_head, Catch::Contains("X-Test: 1\r\n"));
  CHECK_THAT(second_head, Catch::StartsWith("POST /twilio/voice HTTP/1.1\r\n"));
  CHECK_THAT(second_head, Catch::Contains("Content-Length: 3\r\n"));
}

TEST_CASE("a connection the server closed while idle is opened again", "[http_client]") {
  ScriptedServer server([](int listener) {
    for (int i = 0; i < 2; ++i) {
      UniqueFd peer(::accept(listener, nullptr, nullptr));
      read_head(peer.get());
      write_all(peer.get(), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }  // closes without Connection: close
  });
  connectors::HttpClient client(server.url());
  REQUIRE(client.send({"GET", "/a", {}, {}}));
  std::this_thread::sleep_for(20ms);
  auto again = client.send({"GET", "/b", {}, {}});
  REQUIRE(again);
  CHECK(again->body == "ok");
}

TEST_CASE("bodies over the cap and garbage are errors; chunked answers are read", "[http_client]") {
  ScriptedServer server([](int listener) {
    const char* answers[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n",
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
    };
    for (const char* answer : answers) {
      UniqueFd peer(::accept(listener, nullptr, nullptr));
      read_head(peer.get());
      write_all(peer.get(), answer);
    }
  });
  connectors::HttpClientOptions small;
  small.max_body_bytes = 10;
  small.keep_alive = false;
  connectors::HttpClient client(server.url(), small);
  auto big = client.send({"GET", "/", {}, {}});
  REQUIRE_FALSE(big);
  CHECK(big.error().kind == connectors::HttpErrorKind::too_large);
  CHECK_THAT(big.error().message, Catch::Contains("over 10 bytes"));
  auto chunked = client.send({"GET", "/", {}, {}});
  REQUIRE(chunked);
  CHECK(chunked->body == "hello");
  // No length announced: the cap holds as the chunks arrive.
  auto long_chunks = client.send({"GET", "/", {}, {}});
  REQUIRE_FALSE(long_chunks);
  CHECK(long_chunks.error().kind == connectors::HttpErrorKind::too_large);
  auto garbage = client.send({"GET", "/", {}, {}});
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().kind == connectors::HttpErrorKind::protocol);
}

TEST_CASE("a silent server times out; a closed port is unreachable", "[http_client]") {
  ScriptedServer server([](int listener) {
    UniqueFd peer(::accept(listener, nullptr, nullptr));
    read_head(peer.get());
    std::this_thread::sleep_for(400ms);  // never answers in time
  });
  connectors::HttpClientOptions quick;
  quick.total_timeout = 100ms;
  connectors::HttpClient client(server.url(), quick);
  auto silent = client.send({"GET", "/", {}, {}});
  REQUIRE_FALSE(silent);
  CHECK(silent.error().kind == connectors::HttpErrorKind::timeout);

  // A port just released: nothing listens there any more.
  int free_port = 0;
  {
    UniqueFd probe(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(probe.get(), reinterpret_cast<sockaddr*>(&address), &length);
    free_port = ntohs(address.sin_port);
  }
  connectors::HttpClient nobody({"127.0.0.1", free_port, "/"});
  auto refused = nobody.send({"GET", "/healthz", {}, {}});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == connectors::HttpErrorKind::unreachable);
  CHECK_THAT(refused.error().message,
             Catch::Contains("127.0.0.1") && Catch::Contains(std::to_string(free_port)));
}

TEST_CASE("loopback is reached directly even when the environment names a proxy", "[http_client]") {
  ScriptedServer server([](int listener) {
    UniqueFd peer(::accept(listener, nullptr, nullptr));
    const std::string head = read_head(peer.get());
    // A request through a proxy would carry the absolute URL; this one is the origin form.
    write_all(peer.get(), head.starts_with("GET /direct ")
                              ? "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\ndirect"
                              : "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
  });
  // Nothing listens on port 1: a request sent to this proxy would fail as unreachable.
  ::setenv("http_proxy", "http://127.0.0.1:1", 1);
  connectors::HttpClient client(server.url());
  auto answer = client.send({"GET", "/direct", {}, {}});
  ::unsetenv("http_proxy");
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->body == "direct");
}

namespace {

// `openssl s_server` on a loopback port with a fresh self-signed certificate for 127.0.0.1,
// answering every GET with its status page; stopped with the object.
class TlsServer {
 public:
  explicit TlsServer(const std::string& folder) : cert_(folder + "/cert.pem") {
    const std::string key = folder + "/key.pem";
    const auto made = testing::run_process(
        {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert_, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1"});
    REQUIRE(made.status == 0);
    port_ = free_loopback_port();
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0), ::dup2(null, 1), ::dup2(null, 2);
      const std::string port = std::to_string(port_);
      ::execl("/usr/bin/openssl", "openssl", "s_server", "-quiet", "-www", "-accept", port.c_str(),
              "-cert", cert_.c_str(), "-key", key.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Ready when it accepts a connection.
    for (int tries = 0; tries < 100 && !accepting(); ++tries) std::this_thread::sleep_for(50ms);
  }
  ~TlsServer() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }

  connectors::HttpUrl url() const { return {"127.0.0.1", port_, "/", true}; }
  const std::string& certificate() const { return cert_; }

 private:
  static int free_loopback_port() {
    UniqueFd probe(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(probe.get(), reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }
  bool accepting() const {
    UniqueFd s(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(s.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }

  std::string cert_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("https: a certificate no trusted CA signed is refused; trusted, the answer is read",
          "[http_client]") {
  testing::TempDir dir;
  TlsServer server(dir.path.string());
  connectors::HttpClient untrusted(server.url());
  auto refused = untrusted.send({"GET", "/", {}, {}});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == connectors::HttpErrorKind::tls);

  connectors::HttpClientOptions trusting;
  trusting.ca_file = server.certificate();
  connectors::HttpClient client(server.url(), trusting);
  auto answer = client.send({"GET", "/", {}, {}});
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK_THAT(answer->body, Catch::Contains("s_server"));
}
