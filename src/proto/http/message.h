// Regie's own HTTP request and response types. Handlers see these, never Beast or Asio types, so
// handler files compile fast and the transport can change without touching them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace regie::proto::http {

// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
class Headers {
 public:
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  void Add(std::string name, std::string value);
  void Set(std::string name, std::string value);  // Replaces every field of that name.
  void Remove(std::string_view name);             // Every field of that name.
  void Reserve(std::size_t n) { fields_.reserve(n); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  std::string method;  // As sent, e.g. "GET", "PROPFIND".
  std::string target;  // Raw request-target.
  std::string path;    // Target up to '?', still percent-encoded.
  std::string query;   // After '?', without it.
  Headers headers;
  std::optional<std::uint64_t> content_length;  // Absent for chunked bodies.
  bool has_body = false;                        // Content-Length > 0 or chunked.
  std::string peer_address;                     // The TCP peer.
  std::string client_address;  // The peer, or what a trusted proxy says the client is.
  bool peer_is_loopback = false;
  bool secure = false;  // TLS here, or at a trusted proxy (X-Forwarded-Proto: https).
  std::string host;     // Host, or what a trusted proxy says it was (X-Forwarded-Host).
  std::string user;     // Set by authentication; the access log shows it.
};

// A streamed response body, read in chunks. Reads run on the I/O thread and must be short and
// bounded (a local file read), unless blocking() says they query a store: then the transport
// runs them on its blocking pool. Never a network round trip.
class BodySource {
 public:
  // A body that is bytes of an open file from `offset` on: a plain TCP transport sends it with
  // sendfile(2), without copying it through user space. The descriptor may be shared: positional
  // calls only. A transport uses either file() or Read() for one body, never both.
  struct FileSpan {
    int fd = -1;
    std::uint64_t offset = 0;
  };

  virtual ~BodySource() = default;
  virtual Result<std::size_t> Read(std::span<char> out) = 0;  // 0 at the end.
  virtual bool blocking() const { return false; }
  virtual std::optional<FileSpan> file() const { return std::nullopt; }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;                    // Used when `stream` is empty.
  std::unique_ptr<BodySource> stream;  // Streams `stream_length` bytes.
  // kUnknownLength: the stream is sent chunked (RFC 9112 §7.1) until Read() returns 0.
  std::uint64_t stream_length = 0;
  static constexpr std::uint64_t kUnknownLength = ~std::uint64_t{0};
  bool omit_body = false;  // HEAD: headers describe the body, none is sent.
  bool close = false;      // Close the connection after this response.

  static Response Text(int status, std::string text);
};

const char* ReasonPhrase(int status);

}  // namespace regie::proto::http
