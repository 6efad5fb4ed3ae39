#include "net/http_client.h"

#include <openssl/ssl.h>

#include <optional>

#include "asio_pch.h"

namespace regie::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

using Outcome = tl::expected<HttpGetResponse, HttpGetError>;
using Clock = std::chrono::steady_clock;

tl::unexpected<HttpGetError> Failed(HttpGetErrc kind, std::string detail) {
  return tl::unexpected<HttpGetError>(HttpGetError{kind, std::move(detail)});
}

HttpGetErrc KindOf(const beast::error_code& ec, HttpGetErrc otherwise) {
  if (ec == beast::error::timeout) return HttpGetErrc::kTimeout;
  if (ec == http::error::body_limit || ec == http::error::header_limit) {
    return HttpGetErrc::kTooLarge;
  }
  return otherwise;
}

// The request and response on an open stream (plain tcp_stream or ssl_stream over one).
// `stream` and `deadline_of` are pointers, not references: coroutine parameters are by value
// (CP.53), and the caller's frame outlives this coroutine.
template <typename Stream>
asio::awaitable<Outcome> Exchange(Stream* stream, beast::tcp_stream* tcp, HttpGetRequest req,
                                  Clock::time_point deadline) {
  http::request<http::empty_body> get{http::verb::get, req.target, 11};
  get.set(http::field::host, req.host);
  get.set(http::field::user_agent, req.user_agent);
  get.set(http::field::accept, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1");
  get.set(http::field::connection, "close");
  tcp->expires_at(deadline);
  auto [wec, wn] = co_await http::async_write(*stream, get, asio::as_tuple(asio::use_awaitable));
  (void)wn;
  if (wec)
    co_return Failed(KindOf(wec, HttpGetErrc::kConnect), "sending the request: " + wec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(req.max_body_bytes);
  tcp->expires_at(deadline);
  auto [rec, rn] =
      co_await http::async_read(*stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
  (void)rn;
  // A peer that closes without a Content-Length ends the body at end of stream; Beast reports
  // that as a complete message, so any error here is a real one.
  if (rec) {
    const auto kind = KindOf(rec, HttpGetErrc::kProtocol);
    co_return Failed(kind,
                     kind == HttpGetErrc::kTooLarge
                         ? "response larger than " + std::to_string(req.max_body_bytes) + " bytes"
                         : "reading the response: " + rec.message());
  }
  auto& res = parser.get();
  HttpGetResponse out;
  out.status = static_cast<int>(res.result_int());
  if (auto it = res.find(http::field::location); it != res.end()) out.location = it->value();
  if (auto it = res.find(http::field::content_type); it != res.end()) {
    out.content_type = it->value();
  }
  out.body = std::move(res.body());
  co_return out;
}

asio::awaitable<Outcome> Run(HttpGetRequest req) {
  const auto deadline = Clock::now() + req.timeout;
  auto executor = co_await asio::this_coro::executor;
  beast::error_code ec;
  const auto address = asio::ip::make_address(req.address, ec);
  if (ec) co_return Failed(HttpGetErrc::kConnect, "not an IP address: " + req.address);
  const asio::ip::tcp::endpoint endpoint(address, req.port);
  if (!req.tls) {
    beast::tcp_stream tcp(executor);
    tcp.expires_at(deadline);
    auto [cec] = co_await tcp.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
    if (cec) co_return Failed(KindOf(cec, HttpGetErrc::kConnect), "connect: " + cec.message());
    co_return co_await Exchange(&tcp, &tcp, req, deadline);
  }
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(executor, ctx);
  stream.set_verify_callback(ssl::host_name_verification(req.host));
  // RFC 6066 §3: the server name, without which many hosts present a default certificate.
  if (!SSL_set_tlsext_host_name(stream.native_handle(), req.host.c_str())) {
    co_return Failed(HttpGetErrc::kTls, "cannot set the TLS server name");
  }
  auto& tcp = beast::get_lowest_layer(stream);
  tcp.expires_at(deadline);
  auto [cec] = co_await tcp.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
  if (cec) co_return Failed(KindOf(cec, HttpGetErrc::kConnect), "connect: " + cec.message());
  tcp.expires_at(deadline);
  auto [hec] = co_await stream.async_handshake(ssl::stream_base::client,
                                               asio::as_tuple(asio::use_awaitable));
  if (hec) co_return Failed(KindOf(hec, HttpGetErrc::kTls), "TLS handshake: " + hec.message());
  co_return co_await Exchange(&stream, &tcp, req, deadline);
}

}  // namespace

tl::expected<HttpGetResponse, HttpGetError> HttpGet(const HttpGetRequest& request) {
  asio::io_context io;
  std::optional<Outcome> result;
  std::exception_ptr failure;
  asio::co_spawn(io, Run(request), [&](const std::exception_ptr& e, Outcome r) {
    failure = e;
    if (!e) result = std::move(r);
  });
  io.run();
  // The client's only catch: Asio and Beast throw on allocation failure or misuse.
  if (failure || !result) {
    try {
      if (failure) std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      return Failed(HttpGetErrc::kProtocol, e.what());
    }
    return Failed(HttpGetErrc::kProtocol, "no outcome");
  }
  return std::move(*result);
}

}  // namespace regie::net
