// The HTTP/1.1 transport: listeners, connections, TLS, deadlines, limits, streaming bodies and
// graceful shutdown. It parses requests into proto::http::Request, calls the Handler, runs the
// blocking steps the handler hands back on its own pool, and writes the Response.
//
// Threads: Run() drives `threads` I/O threads plus a pool of `blocking_threads`; it returns once
// a shutdown finished. Shutdown() may be called from any thread (and SIGTERM/SIGINT call it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "proto/http/forwarded.h"
#include "proto/http/handler.h"

namespace regie::net {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port.
  std::size_t threads = 1;
  std::size_t blocking_threads = 4;
  std::uint64_t max_header_bytes = 16 * 1024ULL;
  std::uint64_t max_uri_bytes = 8 * 1024ULL;
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds shutdown_timeout{30'000};
  // After SIGTERM: how long to keep accepting while /readyz answers 503.
  std::chrono::milliseconds drain_delay{0};
  std::uint64_t max_connections = 10'000;
  std::vector<proto::http::AddressRange> trusted_proxies;
  std::string tls_cert_file;  // Both set: HTTPS (TLS 1.2 and 1.3 only).
  std::string tls_key_file;
  bool access_log = true;          // One line per request on stdout.
  std::function<void()> on_drain;  // Called once when a graceful shutdown begins.
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, std::shared_ptr<proto::http::Handler> handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; kUnavailable if the address is in use, kInvalidInput if it is malformed
  // or the TLS files cannot be loaded.
  Result<void> Listen();
  // "http://127.0.0.1:8080" with the real port; valid after Listen().
  std::string url() const;
  // Serves until a graceful shutdown completes: new connections are refused, requests in flight
  // finish (up to shutdown_timeout), idle connections close.
  void Run();
  void Shutdown();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// The highest open-file limit the process may set itself; returns the limit now in force.
std::uint64_t RaiseOpenFileLimit();
// CPUs this process may run on (respects taskset), at least 1.
std::size_t AvailableCores();

}  // namespace regie::net
