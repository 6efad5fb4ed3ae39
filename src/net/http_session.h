// Internal to net/: the state shared by the acceptor and every connection, and the connection
// coroutine itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "net/asio_pch.h"
#include "net/http_server.h"

namespace regie::net {

// What the shutdown path needs to reach a connection. Fields are touched only on `executor`.
struct ConnectionHandle {
  boost::asio::any_io_executor executor;
  boost::asio::ip::tcp::socket* socket = nullptr;  // Null once the connection ended.
  bool idle = false;                               // Waiting for the next request head.
};

struct ServerCore {
  ServerCore(ServerOptions opts, std::shared_ptr<proto::http::Handler> h)
      : options(std::move(opts)),
        handler(std::move(h)),
        blocking(options.blocking_threads),
        acceptor(ioc),
        signals(ioc),
        control(boost::asio::make_strand(ioc)),
        shutdown_timer(control),
        drain_timer(control) {}

  ServerOptions options;
  std::shared_ptr<proto::http::Handler> handler;
  boost::asio::io_context ioc;
  boost::asio::thread_pool blocking;
  std::optional<boost::asio::ssl::context> tls;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::signal_set signals;
  // Serialises the shutdown timer's arming and cancelling, which come from several threads.
  boost::asio::strand<boost::asio::io_context::executor_type> control;
  boost::asio::steady_timer shutdown_timer;
  boost::asio::steady_timer drain_timer;
  std::string url;
  std::atomic<bool> draining{false};     // SIGTERM seen: /readyz says 503 (drain_delay).
  std::atomic<bool> stopping{false};     // Listener closed: connections end after their request.
  std::atomic<std::size_t> refusing{0};  // Connections being answered 503 (RefuseConnection).

  std::mutex connections_mu;
  std::list<std::shared_ptr<ConnectionHandle>> connections;  // Guarded by connections_mu.

  std::mutex log_mu;  // Serialises access-log lines.

  void BeginDrain();
  void StopAccepting();
  void ConnectionEnded(const std::shared_ptr<ConnectionHandle>& handle);
};

// Serves one accepted connection (TLS handshake first when configured) until it ends.
boost::asio::awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket,
                                             std::shared_ptr<ServerCore> core);

// Answers a connection beyond max_connections with 503 and closes it. Call with
// core->refusing already counting it; the coroutine releases that count when it ends.
boost::asio::awaitable<void> RefuseConnection(boost::asio::ip::tcp::socket socket,
                                              std::shared_ptr<ServerCore> core);

}  // namespace regie::net
