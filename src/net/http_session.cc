#include "net/http_session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <sys/sendfile.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <ctime>

#include "net/http_metrics.h"
#include "net/run_blocking.h"

namespace regie::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using proto::http::Reply;
using proto::http::Request;
using proto::http::Response;
using proto::http::UploadSink;

namespace {

constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;
// Bytes per sendfile(2) call: large enough that calls are few, small enough that one connection
// does not hold its I/O thread for long.
constexpr std::size_t kSendfileBytes = std::size_t{1} << 20;
// A refused body up to this size is read and dropped to keep the connection; a larger one closes
// it.
constexpr std::uint64_t kMaxDrainBytes = 64 * 1024ULL;

// Beast's request parser plus two limits it lacks. It stores a field's length in 16 bits and
// throws past that, outside any coroutine, which would end the process; and it does not count
// trailer fields (after a chunked body) against the header limit at all. Trailers are dropped:
// nothing here uses them (RFC 9110 §6.5.1 lets a recipient discard them).
class Parser final : public bhttp::request_parser<bhttp::buffer_body> {
 public:
  explicit Parser(std::uint64_t max_header_bytes) : max_header_bytes_(max_header_bytes) {
    header_limit(static_cast<std::uint32_t>(max_header_bytes));
    body_limit(boost::none);  // Each handler enforces its own limit (uploads: quota).
  }

 private:
  static constexpr std::size_t kMaxFieldBytes = 65'000;

  void on_field_impl(bhttp::field name, beast::string_view name_string, beast::string_view value,
                     beast::error_code& ec) override {
    if (name_string.size() > kMaxFieldBytes || value.size() > kMaxFieldBytes) {
      ec = bhttp::error::header_limit;
      return;
    }
    if (is_header_done()) {
      trailer_bytes_ += name_string.size() + value.size() + 4;  // ": " and CRLF.
      if (trailer_bytes_ > max_header_bytes_) ec = bhttp::error::header_limit;
      return;
    }
    get().insert(name, name_string, value);
  }

  std::uint64_t max_header_bytes_;
  std::uint64_t trailer_bytes_ = 0;
};

constexpr char kHttpDateFormat[] = "%a, %d %b %Y %H:%M:%S GMT";  // RFC 9110 §5.6.7
constexpr char kLogTimeFormat[] = "%d/%b/%Y:%H:%M:%S +0000";     // Common log format.

// The current time in `Format`, formatted at most once per second per thread.
template <const char* Format>
const std::string& NowFormatted() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof(buf), Format, &tm);
    cached = buf;
    cached_second = now;
  }
  return cached;
}

// Framing of a body whose length is not known up front.
enum class UnknownLength {
  kChunked,         // HTTP/1.1 (RFC 9112 §7.1).
  kCloseDelimited,  // HTTP/1.0 has no chunked coding (RFC 9112 §6.1): the body ends at close.
};

std::string SerializeHead(const Response& res, std::uint64_t body_length, bool close,
                          UnknownLength framing) {
  std::string head =
      fmt::format("HTTP/1.1 {} {}\r\n", res.status, proto::http::ReasonPhrase(res.status));
  for (const auto& [name, value] : res.headers.fields()) {
    head.append(name).append(": ").append(value).append("\r\n");
  }
  head.append("Date: ").append(NowFormatted<kHttpDateFormat>()).append("\r\n");
  if (body_length == Response::kUnknownLength) {
    if (framing == UnknownLength::kChunked) head.append("Transfer-Encoding: chunked\r\n");
  } else if (res.status != 204 && res.status != 304 && res.status >= 200) {
    // RFC 9110 §8.6: no Content-Length in 1xx and 204 responses; a 304 may only repeat the
    // selected representation's length, which it does not know here.
    head.append("Content-Length: ").append(std::to_string(body_length)).append("\r\n");
  }
  if (close) head.append("Connection: close\r\n");
  head.append("\r\n");
  return head;
}

// Quotes, backslashes and control characters in logged request lines are escaped, so a crafted
// target cannot forge log lines.
std::string EscapeForLog(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void WriteAccessLog(ServerCore& core, const Request& req, int status, std::uint64_t bytes,
                    std::chrono::nanoseconds latency) {
  const std::string line =
      fmt::format("{} - {} [{}] \"{} {} HTTP/1.1\" {} {} {:.6f}\n", req.client_address,
                  req.user.empty() ? "-" : EscapeForLog(req.user), NowFormatted<kLogTimeFormat>(),
                  EscapeForLog(req.method), EscapeForLog(req.target), status, bytes,
                  std::chrono::duration<double>(latency).count());
  // One write per line, straight to the descriptor: lines reach the log as they happen and
  // never interleave.
  std::lock_guard lock(core.log_mu);
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // A closed or full log must not stop serving.
    done += static_cast<std::size_t>(n);
  }
}

// RFC 9112 §3.2.2: a server must accept a target in absolute form ("http://host/a?b", as sent to
// proxies); its path and query are what the origin form ("/a?b") would carry. What is left may
// start with '?' or be empty: the path is then the root.
std::string_view OriginForm(std::string_view target) {
  if (target.empty() || target.front() == '/') return target;
  const auto scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return target;
  const auto scheme = target.substr(0, scheme_end);
  if (!beast::iequals(scheme, "http") && !beast::iequals(scheme, "https")) return target;
  const auto rest = target.find_first_of("/?", scheme_end + 3);
  return rest == std::string_view::npos ? std::string_view() : target.substr(rest);
}

Request MakeRequest(const Parser& parser, const std::string& peer, bool peer_loopback) {
  const auto& msg = parser.get();
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  const std::string_view origin_form = OriginForm(req.target);
  const auto question = origin_form.find('?');
  req.path = std::string(origin_form.substr(0, question));
  if (req.path.empty()) req.path = "/";
  if (question != std::string_view::npos) req.query = std::string(origin_form.substr(question + 1));
  req.headers.Reserve(16);
  for (const auto& field : msg) {
    req.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  if (parser.content_length()) req.content_length = *parser.content_length();
  req.has_body = parser.chunked() || (parser.content_length() && *parser.content_length() > 0);
  req.peer_address = peer;
  req.peer_is_loopback = peer_loopback;
  return req;
}

template <class Stream>
auto& Socket(Stream& stream) {
  return beast::get_lowest_layer(stream);
}

// Reads the body into `sink` piece by piece. Returns why reading failed (peer gone, timeout,
// malformed chunked framing, a limit): the sink must then be abandoned. Success is no error,
// also when the sink refused more data.
template <class Stream>
asio::awaitable<beast::error_code> StreamBody(Stream& stream, beast::flat_buffer& buffer,
                                              Parser& parser, UploadSink& sink,
                                              std::chrono::milliseconds timeout) {
  std::vector<char> chunk(kChunkBytes);
  // Beast reads max(512, free capacity) bytes per read_some: after a small header the buffer's
  // capacity is small, and a 1 GiB upload would take two million 512-byte reads.
  buffer.reserve(kChunkBytes);
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    Socket(stream).expires_after(timeout);
    auto [ec, n] =
        co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) co_return ec;
    const std::size_t got = chunk.size() - parser.get().body().size;
    GlobalHttpMetrics().AddBytesIn(got);
    if (got > 0 && !sink.Write({chunk.data(), got})) co_return beast::error_code{};
  }
  co_return beast::error_code{};
}

// The answer to a body that could not be read; the connection closes after it. A client that
// went away or stalled past read_timeout gets none it could read, but the log shows 408.
Response BodyErrorResponse(const beast::error_code& ec) {
  Response res;
  if (ec == bhttp::error::header_limit) {
    res = Response::Text(431, "trailer fields too large");
  } else if (ec == beast::error::timeout || ec == asio::error::eof ||
             ec == asio::error::connection_reset || ec == bhttp::error::partial_message) {
    res = Response::Text(408, "request body not received in time");
  } else if (ec == bhttp::error::buffer_overflow) {
    res = Response::Text(413, "chunk extension too large");
  } else {
    res = Response::Text(400, "malformed request body: " + ec.message());
  }
  res.close = true;
  return res;
}

// Reads and drops the rest of a small body so the connection can carry the next request.
// Returns false when the body was too large or unreadable: the connection must then close.
template <class Stream>
asio::awaitable<bool> DrainBody(Stream& stream, beast::flat_buffer& buffer, Parser& parser,
                                std::chrono::milliseconds timeout) {
  class Discard final : public UploadSink {
   public:
    bool Write(std::span<const char> data) override {
      if (data.size() > left_) return false;
      left_ -= data.size();
      return true;
    }
    Response Finish() override { return {}; }

   private:
    std::uint64_t left_ = kMaxDrainBytes;
  } discard;
  const auto ec = co_await StreamBody(stream, buffer, parser, discard, timeout);
  co_return !ec && parser.is_done();
}

// Runs the handler's steps until a response exists: blocking steps on the pool, uploads streamed.
template <class Stream>
asio::awaitable<Response> Complete(Reply reply, Stream& stream, beast::flat_buffer& buffer,
                                   Parser& parser, std::shared_ptr<ServerCore> core) {
  for (;;) {
    if (auto* response = std::get_if<Response>(&reply.next)) co_return std::move(*response);
    if (auto* step = std::get_if<proto::http::BlockingStep>(&reply.next)) {
      reply = co_await RunBlocking<Reply>(core->blocking, std::move(*step));
      continue;
    }
    auto sink = std::move(std::get<std::unique_ptr<UploadSink>>(reply.next));
    const auto expect = parser.get()[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      // RFC 9110 §10.1.1: the handler has accepted the request head (credentials, quota,
      // preconditions), so the client may now send the body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      Socket(stream).expires_after(core->options.read_timeout);
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue),
                                                asio::as_tuple(asio::use_awaitable));
      if (ec) {
        auto failed = Response::Text(400, "connection failed");
        failed.close = true;
        co_return failed;
      }
    }
    if (const auto ec =
            co_await StreamBody(stream, buffer, parser, *sink, core->options.read_timeout)) {
      sink.reset();  // Abandoned: the sink removes its partial data.
      co_return BodyErrorResponse(ec);
    }
    UploadSink* raw = sink.get();
    reply = co_await RunBlocking<Reply>(core->blocking, [raw] { return Reply(raw->Finish()); });
  }
}

struct Written {
  std::uint64_t head = 0;
  std::uint64_t body = 0;
};

// Reads the next piece of a streamed body, on the blocking pool when the source queries a store.
asio::awaitable<Result<std::size_t>> ReadPiece(proto::http::BodySource& source, std::span<char> out,
                                               asio::thread_pool& pool) {
  if (!source.blocking()) co_return source.Read(out);
  co_return co_await RunBlocking<Result<std::size_t>>(pool,
                                                      [&source, out] { return source.Read(out); });
}

// Streams a body of unknown length with chunked framing (RFC 9112 §7.1). A failed Read() ends
// the connection without the last chunk, so the client sees an incomplete response, never a
// complete-looking truncated one.
template <class Stream>
asio::awaitable<std::optional<Written>> WriteChunked(
    Stream& stream, Response& res, const std::string& head, std::chrono::milliseconds timeout,
    std::vector<char>& chunk, asio::thread_pool& pool, UnknownLength framing) {
  const bool framed = framing == UnknownLength::kChunked;
  if (chunk.size() < kChunkBytes) chunk.resize(kChunkBytes);
  Written written{head.size(), 0};
  bool head_sent = false;
  for (;;) {
    auto n = co_await ReadPiece(*res.stream, {chunk.data(), kChunkBytes}, pool);
    if (!n) co_return std::nullopt;
    const std::string size_line = fmt::format("{:x}\r\n", *n);
    static constexpr std::string_view kLast = "0\r\n\r\n";
    std::array<asio::const_buffer, 4> parts{
        asio::buffer(head.data(), head_sent ? 0 : head.size()),
        asio::buffer(*n == 0 || !framed ? std::string_view() : std::string_view(size_line)),
        asio::buffer(chunk.data(), *n),
        asio::buffer(!framed   ? std::string_view()
                     : *n == 0 ? kLast
                               : std::string_view("\r\n"))};
    Socket(stream).expires_after(timeout);
    auto [ec, sent] =
        co_await asio::async_write(stream, parts, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return std::nullopt;
    written.body += *n;
    head_sent = true;
    if (*n == 0) co_return written;
  }
}

// Sends `head`, then `length` bytes of `file` with sendfile(2): the kernel moves page-cache pages
// to the socket, where the copying path reads each piece into user space and writes it out again.
// Waiting for the socket to drain has the same deadline per wait as that path has per write.
asio::awaitable<std::optional<Written>> SendFile(beast::tcp_stream& stream, const std::string& head,
                                                 proto::http::BodySource::FileSpan file,
                                                 std::uint64_t length,
                                                 std::chrono::milliseconds timeout) {
  stream.expires_after(timeout);
  auto [ec, n] =
      co_await asio::async_write(stream, asio::buffer(head), asio::as_tuple(asio::use_awaitable));
  if (ec) co_return std::nullopt;
  auto& socket = stream.socket();
  socket.native_non_blocking(true, ec);
  if (ec) co_return std::nullopt;
  asio::steady_timer deadline(co_await asio::this_coro::executor);
  auto offset = static_cast<off_t>(file.offset);
  std::uint64_t remaining = length;
  while (remaining > 0) {
    const ssize_t sent = ::sendfile(socket.native_handle(), file.fd, &offset,
                                    std::min<std::uint64_t>(remaining, kSendfileBytes));
    if (sent > 0) {
      remaining -= static_cast<std::uint64_t>(sent);
      continue;
    }
    // The head promised `length` bytes; a blob that ends early can only be cut off.
    if (sent == 0) co_return std::nullopt;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) co_return std::nullopt;
    deadline.expires_after(timeout);
    deadline.async_wait([&socket](const beast::error_code& expired) {
      if (!expired) socket.cancel();
    });
    auto [waited] = co_await socket.async_wait(asio::ip::tcp::socket::wait_write,
                                               asio::as_tuple(asio::use_awaitable));
    deadline.cancel();
    if (waited) co_return std::nullopt;
  }
  co_return Written{head.size(), length};
}

// Writes the response; returns the bytes written, or nullopt when writing failed.
// `chunk` is the connection's buffer for streamed bodies, kept across its requests.
template <class Stream>
asio::awaitable<std::optional<Written>> WriteResponse(Stream& stream, Response& res, bool close,
                                                      std::chrono::milliseconds timeout,
                                                      std::vector<char>& chunk,
                                                      asio::thread_pool& pool,
                                                      UnknownLength framing) {
  // A HEAD response without a body carries the length it would have had in stream_length.
  const bool length_only = res.omit_body && !res.stream && res.body.empty();
  const std::uint64_t length = res.stream || length_only ? res.stream_length : res.body.size();
  const std::string head = SerializeHead(res, length, close, framing);
  Written written{head.size(), 0};
  Socket(stream).expires_after(timeout);
  if (!res.stream || res.omit_body) {
    std::array<asio::const_buffer, 2> parts{
        asio::buffer(head), asio::buffer(res.body.data(), res.omit_body ? 0 : res.body.size())};
    auto [ec, n] = co_await asio::async_write(stream, parts, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return std::nullopt;
    co_return Written{head.size(), n - head.size()};
  }
  if (length == Response::kUnknownLength) {
    co_return co_await WriteChunked(stream, res, head, timeout, chunk, pool, framing);
  }
  // Without TLS a file's bytes need not pass through here; a small body still goes out with the
  // head in one write below.
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    if (auto file = res.stream->file(); file && length > kChunkBytes) {
      co_return co_await SendFile(stream, head, *file, length, timeout);
    }
  }
  const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, length));
  if (chunk.size() < wanted) chunk.resize(wanted);
  std::uint64_t remaining = length;
  bool head_sent = false;
  while (remaining > 0 || !head_sent) {
    std::size_t filled = 0;
    if (remaining > 0) {
      auto n = co_await ReadPiece(*res.stream,
                                  {chunk.data(), std::min<std::uint64_t>(wanted, remaining)}, pool);
      // The head promised `length` bytes; a short blob cannot be reported any more, only cut off.
      if (!n || *n == 0) co_return std::nullopt;
      filled = *n;
      remaining -= filled;
    }
    std::array<asio::const_buffer, 2> parts{asio::buffer(head.data(), head_sent ? 0 : head.size()),
                                            asio::buffer(chunk.data(), filled)};
    Socket(stream).expires_after(timeout);
    auto [ec, n] = co_await asio::async_write(stream, parts, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return std::nullopt;
    written.body += filled;
    head_sent = true;
  }
  co_return written;
}

Response ParseErrorResponse(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) {
    return Response::Text(431, "request header fields too large");
  }
  return Response::Text(400, "malformed request");
}

// RFC 9112 §6.1 and §6.3: the only transfer coding a request may carry here is chunked alone;
// anything else would leave the body's end, and so the next request's start, to guesswork.
// 501 when chunked comes last (a coding this server does not decode), 400 otherwise.
std::optional<Response> RefuseTransferCoding(const Parser& parser) {
  std::string codings;
  const auto [begin, end] = parser.get().equal_range(bhttp::field::transfer_encoding);
  for (auto field = begin; field != end; ++field) {
    if (!codings.empty()) codings += ',';
    codings += field->value();
  }
  if (codings.empty()) return std::nullopt;
  const auto trimmed = [](std::string_view text) {
    const auto start = text.find_first_not_of(" \t");
    if (start == std::string_view::npos) return std::string_view();
    return text.substr(start, text.find_last_not_of(" \t") - start + 1);
  };
  if (beast::iequals(trimmed(codings), "chunked")) return std::nullopt;
  const auto comma = codings.rfind(',');
  const auto final_coding =
      trimmed(comma == std::string::npos ? std::string_view(codings)
                                         : std::string_view(codings).substr(comma + 1));
  Response res = beast::iequals(final_coding, "chunked")
                     ? Response::Text(501, "transfer codings other than chunked are not supported")
                     : Response::Text(400, "a request body must be chunked or have a length");
  res.close = true;
  return res;
}

bool IsQuietEnd(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

// Answers one well-formed request head: limits first, then the handler's steps.
template <class Stream>
asio::awaitable<Response> Respond(Request& req, Stream& stream, beast::flat_buffer& buffer,
                                  Parser& parser, std::shared_ptr<ServerCore> core, bool tls) {
  const auto& opts = core->options;
  // A well-formed request line with another major version (HTTP/2.0 in clear, HTTP/3.0).
  if (parser.get().version() < 10 || parser.get().version() > 11) {
    auto res = Response::Text(505, "only HTTP/1.0 and HTTP/1.1 are supported here");
    res.close = true;
    co_return res;
  }
  if (auto refused = RefuseTransferCoding(parser)) co_return std::move(*refused);
  if (req.target.size() > opts.max_uri_bytes) {
    auto res = Response::Text(414, "request URI too long");
    res.close = true;
    req.client_address = req.peer_address;
    req.target = req.target.substr(0, 256) + "...";
    co_return res;
  }
  proto::http::ApplyForwarding(req, opts.trusted_proxies, tls);
  Response res = co_await Complete(core->handler->Handle(req), stream, buffer, parser, core);
  if (!parser.is_done() && !res.close) {
    const bool expecting = beast::iequals(parser.get()[bhttp::field::expect], "100-continue");
    const auto length = parser.content_length();
    const bool small = length && *length <= kMaxDrainBytes;
    if (expecting || !small || !co_await DrainBody(stream, buffer, parser, opts.read_timeout)) {
      res.close = true;
    }
  }
  co_return res;
}

template <class Stream>
asio::awaitable<void> Serve(Stream& stream, std::shared_ptr<ServerCore> core,
                            std::shared_ptr<ConnectionHandle> handle, bool tls) {
  const auto& opts = core->options;
  beast::error_code ec;
  const auto remote = Socket(stream).socket().remote_endpoint(ec);
  const std::string peer = ec ? "unknown" : remote.address().to_string();
  const bool peer_loopback = !ec && remote.address().is_loopback();
  // Bounded, so that a chunk-size line or trailers without end cannot grow it: a request head,
  // and the body pieces StreamBody reads.
  beast::flat_buffer buffer(opts.max_header_bytes + 2 * kChunkBytes);
  std::vector<char> body_buffer;  // Grows to the largest streamed piece (64 KiB) at most.
  for (;;) {
    Parser parser(opts.max_header_bytes);
    handle->idle = true;
    if (core->stopping) co_return;
    // One deadline for waiting and reading the head: a client that trickles its head cannot
    // hold the connection longer than an idle one (a per-read deadline would let it).
    Socket(stream).expires_after(opts.idle_timeout);
    auto [read_ec, n] = co_await bhttp::async_read_header(stream, buffer, parser,
                                                          asio::as_tuple(asio::use_awaitable));
    handle->idle = false;
    const auto start = std::chrono::steady_clock::now();
    Request req;
    Response res;
    if (read_ec) {
      if (IsQuietEnd(read_ec) || buffer.size() == 0) co_return;
      res = ParseErrorResponse(read_ec);
      res.close = true;
      req.method = "-";
      req.client_address = peer;
    } else {
      req = MakeRequest(parser, peer, peer_loopback);
      res = co_await Respond(req, stream, buffer, parser, core, tls);
    }
    const bool http10 = !read_ec && parser.get().version() == 10;
    const auto framing = http10 ? UnknownLength::kCloseDelimited : UnknownLength::kChunked;
    const bool close_delimited =
        http10 && res.stream && !res.omit_body && res.stream_length == Response::kUnknownLength;
    const bool close =
        res.close || close_delimited || core->stopping || (!read_ec && !parser.get().keep_alive());
    if (req.method == "HEAD") res.omit_body = true;
    auto written = co_await WriteResponse(stream, res, close, opts.read_timeout, body_buffer,
                                          core->blocking, framing);
    const auto latency = std::chrono::steady_clock::now() - start;
    GlobalHttpMetrics().RecordRequest(req.method, res.status, latency);
    const Written sent = written.value_or(Written{});
    GlobalHttpMetrics().AddBytesOut(sent.head + sent.body);
    // Like the common log format, the access log counts body bytes only.
    if (opts.access_log) WriteAccessLog(*core, req, res.status, sent.body, latency);
    if (!written || close) co_return;
  }
}

template <class Stream>
asio::awaitable<void> Finish(Stream& stream) {
  beast::error_code ec;
  Socket(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
  co_return;
}

template <>
asio::awaitable<void> Finish(asio::ssl::stream<beast::tcp_stream>& stream) {
  Socket(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

asio::awaitable<void> RefuseConnection(tcp::socket socket, std::shared_ptr<ServerCore> core) {
  struct Release {
    ServerCore& core;
    ~Release() { core.refusing.fetch_sub(1); }
  } release{*core};
  GlobalHttpMetrics().ConnectionRefused();
  // Over TLS a readable answer would cost a handshake, the work an overloaded server must not
  // take on: the connection just closes.
  if (core->tls) co_return;
  static const std::string kBusy = [] {
    const std::string_view body = "too many connections; try again shortly\n";
    return fmt::format(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{}",
        body.size(), body);
  }();
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(std::chrono::seconds(1));
  auto [write_ec, written] =
      co_await asio::async_write(stream, asio::buffer(kBusy), asio::as_tuple(asio::use_awaitable));
  if (write_ec) co_return;
  // Closing with the client's request unread would send a reset, which can destroy the answer
  // before the client reads it: read and drop what it sends, for a moment and a few KiB at most.
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::array<char, 4096> sink{};
  for (std::size_t drained = 0; drained < 64 * sink.size();) {
    auto [read_ec, n] =
        co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (read_ec) break;
    drained += n;
  }
}

asio::awaitable<void> ServeConnection(tcp::socket socket, std::shared_ptr<ServerCore> core) {
  auto handle = std::make_shared<ConnectionHandle>();
  handle->executor = socket.get_executor();
  {
    std::lock_guard lock(core->connections_mu);
    core->connections.push_back(handle);
  }
  GlobalHttpMetrics().ConnectionOpened();
  // Ends the connection's registration however the coroutine leaves (return or exception).
  struct Deregister {
    std::shared_ptr<ServerCore> core;
    std::shared_ptr<ConnectionHandle> handle;
    ~Deregister() {
      handle->socket = nullptr;
      GlobalHttpMetrics().ConnectionClosed();
      core->ConnectionEnded(handle);
    }
  } deregister{core, handle};

  if (core->tls) {
    asio::ssl::stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *core->tls);
    handle->socket = &Socket(stream).socket();
    Socket(stream).expires_after(core->options.read_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    co_await Serve(stream, core, handle, true);
    co_await Finish(stream);
  } else {
    beast::tcp_stream stream(std::move(socket));
    handle->socket = &Socket(stream).socket();
    co_await Serve(stream, core, handle, false);
    co_await Finish(stream);
  }
}

}  // namespace regie::net
