#include "net/http_server.h"

#include <openssl/ssl.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <thread>

#include "net/http_metrics.h"
#include "net/http_session.h"

namespace regie::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

Result<tcp::endpoint> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Fail(Errc::kInvalidInput, "listen address lacks a port", "expected HOST:PORT");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  const std::string port = listen.substr(colon + 1);
  if (ec || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return Fail(Errc::kInvalidInput, "bad listen address " + listen,
                "invalid listen address '" + listen + "' (expected e.g. 127.0.0.1:8080)");
  }
  return tcp::endpoint(address, static_cast<unsigned short>(std::stoi(port)));
}

void LogSessionEnd(const std::exception_ptr& e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::warn("connection ended: {}", ex.what());
  }
}

// Runs the I/O loop until it stops. An exception thrown by a handler outside any coroutine
// (inside a library's composed operation) would otherwise end the process and every other
// organisation's connections with it: it is logged and the loop goes on. The connection it
// came from is lost; the bug behind it must still be fixed.
void RunLoop(asio::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("uncaught exception in an I/O handler: {}", e.what());
    }
  }
}

// Connections beyond max_connections being answered 503 at once; each lasts a second at most.
constexpr std::size_t kMaxRefusalsInFlight = 256;

// Serves an accepted connection, or refuses it beyond max_connections: a fast 503 rather than a
// hang; the refusals themselves are bounded, past that a close.
void Admit(tcp::socket socket, const std::shared_ptr<ServerCore>& core) {
  std::size_t open = 0;
  {
    std::lock_guard lock(core->connections_mu);
    open = core->connections.size();
  }
  if (open >= core->options.max_connections) {
    if (core->refusing.fetch_add(1) < kMaxRefusalsInFlight) {
      auto executor = socket.get_executor();
      asio::co_spawn(executor, RefuseConnection(std::move(socket), core), LogSessionEnd);
    } else {
      core->refusing.fetch_sub(1);
      GlobalHttpMetrics().ConnectionRefused();
      boost::system::error_code ignored;
      socket.close(ignored);
    }
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto executor = socket.get_executor();
  asio::co_spawn(executor, ServeConnection(std::move(socket), core), LogSessionEnd);
}

// New connections waiting in the listen queue taken per wake-up of the accept loop.
constexpr int kAcceptBatch = 64;

asio::awaitable<void> AcceptLoop(std::shared_ptr<ServerCore> core) {
  boost::system::error_code ec;
  core->acceptor.non_blocking(true, ec);
  for (;;) {
    auto [accept_ec, socket] = co_await core->acceptor.async_accept(
        asio::make_strand(core->ioc), asio::as_tuple(asio::use_awaitable));
    if (accept_ec == asio::error::operation_aborted || !core->acceptor.is_open()) co_return;
    if (accept_ec) {
      // Out of descriptors or a connection reset before accept: back off briefly, keep serving.
      spdlog::warn("accept failed: {}", accept_ec.message());
      asio::steady_timer pause(core->ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    Admit(std::move(socket), core);
    // Take what else is waiting now: the loop resumes once per pass over every ready handler,
    // so one accept per wake-up left a burst of new clients queued behind the busy ones for
    // seconds (1,000 connections in bench/load.sh).
    for (int i = 0; i < kAcceptBatch; ++i) {
      tcp::socket more(asio::make_strand(core->ioc));
      core->acceptor.accept(more, ec);
      if (ec) break;  // would_block: none waiting.
      Admit(std::move(more), core);
    }
  }
}

}  // namespace

void ServerCore::BeginDrain() {
  if (draining.exchange(true)) return;
  if (options.on_drain) options.on_drain();
  if (options.drain_delay.count() <= 0) return StopAccepting();
  // Keep serving for drain_delay while /readyz says 503, so a load balancer can take this
  // instance out of rotation before connections are refused.
  asio::post(control, [this] {
    drain_timer.expires_after(options.drain_delay);
    drain_timer.async_wait([this](boost::system::error_code) { StopAccepting(); });
  });
}

void ServerCore::StopAccepting() {
  if (stopping.exchange(true)) return;
  asio::post(ioc, [this] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
  });
  std::lock_guard lock(connections_mu);
  for (const auto& handle : connections) {
    asio::post(handle->executor, [handle] {
      boost::system::error_code ignored;
      if (handle->socket && handle->idle) handle->socket->cancel(ignored);
    });
  }
  if (!connections.empty()) {
    // Requests in flight get shutdown_timeout to finish; then the server stops regardless.
    asio::post(control, [this] {
      {
        std::lock_guard inner(connections_mu);
        if (connections.empty()) return;
      }
      shutdown_timer.expires_after(options.shutdown_timeout);
      shutdown_timer.async_wait([this](boost::system::error_code ec) {
        if (!ec) {
          spdlog::warn("shutdown timeout: closing remaining connections");
          ioc.stop();
        }
      });
    });
  }
}

void ServerCore::ConnectionEnded(const std::shared_ptr<ConnectionHandle>& handle) {
  std::lock_guard lock(connections_mu);
  connections.remove(handle);
  if (stopping && connections.empty()) {
    asio::post(control, [this] { shutdown_timer.cancel(); });
  }
}

struct HttpServer::Impl {
  std::shared_ptr<ServerCore> core;
};

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<proto::http::Handler> handler)
    : impl_(std::make_shared<Impl>()) {
  impl_->core = std::make_shared<ServerCore>(std::move(options), std::move(handler));
}

HttpServer::~HttpServer() = default;

Result<void> HttpServer::Listen() {
  auto& core = *impl_->core;
  auto endpoint = ParseListen(core.options.listen);
  if (!endpoint) return Fail(endpoint.error());
  const bool tls = !core.options.tls_cert_file.empty();
  if (tls) {
    try {
      core.tls.emplace(asio::ssl::context::tls_server);
      // TLS 1.2 and 1.3 only: older versions have known weaknesses (RFC 8996).
      SSL_CTX_set_min_proto_version(core.tls->native_handle(), TLS1_2_VERSION);
      core.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::single_dh_use);
      // TLS 1.2 suites with forward secrecy and authenticated encryption only (TLS 1.3 has
      // nothing else); no CBC, no RSA key exchange, no SHA-1 MACs.
      SSL_CTX_set_cipher_list(core.tls->native_handle(),
                              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                              "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
      SSL_CTX_set_options(core.tls->native_handle(), SSL_OP_NO_RENEGOTIATION);
      core.tls->use_certificate_chain_file(core.options.tls_cert_file);
      core.tls->use_private_key_file(core.options.tls_key_file, asio::ssl::context::pem);
    } catch (const std::exception& e) {
      return Fail(Errc::kInvalidInput,
                  std::string("cannot load TLS certificate or key: ") + e.what(),
                  "cannot load TLS certificate or key");
    }
  }
  boost::system::error_code ec;
  core.acceptor.open(endpoint->protocol(), ec);
  if (!ec) core.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) core.acceptor.bind(*endpoint, ec);
  if (!ec) core.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(Errc::kUnavailable, "cannot listen on " + core.options.listen + ": " + ec.message(),
                "cannot listen on " + core.options.listen + ": " + ec.message());
  }
  const auto local = core.acceptor.local_endpoint();
  const std::string host = local.address().is_v6() ? "[" + local.address().to_string() + "]"
                                                   : local.address().to_string();
  core.url =
      std::string(tls ? "https" : "http") + "://" + host + ":" + std::to_string(local.port());
  return Ok();
}

std::string HttpServer::url() const { return impl_->core->url; }

void HttpServer::Run() {
  auto core = impl_->core;
  core->signals.add(SIGTERM);
  core->signals.add(SIGINT);
  core->signals.async_wait([core](boost::system::error_code ec, int) {
    if (!ec) core->BeginDrain();
  });
  asio::co_spawn(core->ioc, AcceptLoop(core), LogSessionEnd);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < core->options.threads; ++i) {
    threads.emplace_back([core] { RunLoop(core->ioc); });
  }
  RunLoop(core->ioc);
  for (auto& t : threads) t.join();
  core->blocking.join();
}

void HttpServer::Shutdown() { impl_->core->BeginDrain(); }

std::uint64_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &limit);  // Best effort: the old limit still works.
    (void)getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

std::size_t AvailableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<std::size_t>(n);
  }
  return std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace regie::net
