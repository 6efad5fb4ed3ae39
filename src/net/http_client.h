// A one-shot HTTP/1.1 GET over TCP or TLS, for the autonomy audit's home page fetch. The caller
// chooses the address to connect to (so that it can refuse private ones before any packet is
// sent); this client never resolves names. Blocks the calling thread for at most `timeout` (the
// whole exchange: connect, TLS handshake, request, response). Thread-safe: each call has its own
// I/O context. Redirects are not followed: the caller sees the status and Location.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <tl/expected.hpp>

namespace regie::net {

struct HttpGetRequest {
  std::string address;  // An IPv4 or IPv6 literal.
  std::uint16_t port = 80;
  std::string host;    // Host header, TLS server name and the name the certificate must carry.
  std::string target;  // "/", "/path?query"
  bool tls = false;    // Verifies the certificate against the system's trusted CAs.
  std::chrono::milliseconds timeout{10000};
  std::size_t max_body_bytes = 2 << 20;
  std::string user_agent;
};

struct HttpGetResponse {
  int status = 0;
  std::string location;      // The Location header, if any.
  std::string content_type;  // The Content-Type header, if any.
  std::string body;
};

enum class HttpGetErrc { kConnect, kTimeout, kTls, kProtocol, kTooLarge };

struct HttpGetError {
  HttpGetErrc kind = HttpGetErrc::kProtocol;
  std::string detail;  // One line, e.g. "certificate verify failed".
};

tl::expected<HttpGetResponse, HttpGetError> HttpGet(const HttpGetRequest& request);

}  // namespace regie::net
