// Request counters and the latency histogram of the HTTP transport, rendered in the Prometheus
// text format (version 0.0.4). Thread-safe. Labels are the method and status only: never logins,
// organisations or paths.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace regie::net {

class HttpMetrics {
 public:
  void RecordRequest(std::string_view method, int status, std::chrono::nanoseconds latency);
  void AddBytesIn(std::uint64_t n) { bytes_in_.fetch_add(n, std::memory_order_relaxed); }
  void AddBytesOut(std::uint64_t n) { bytes_out_.fetch_add(n, std::memory_order_relaxed); }
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  std::int64_t open_connections() const { return open_connections_.load(); }
  void ConnectionRefused() { refused_connections_.fetch_add(1, std::memory_order_relaxed); }

  // The transport's series plus the store counters (base/counters.h).
  std::string RenderPrometheus() const;

 private:
  static constexpr std::array<double, 14> kBucketsSeconds{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  mutable std::mutex mu_;
  // Keyed by (index into the known methods, status): no allocation per request.
  std::map<std::pair<std::size_t, int>, std::uint64_t> requests_;  // Guarded by mu_.
  std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> latency_sum_ns_{0};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> bytes_in_{0};
  std::atomic<std::uint64_t> bytes_out_{0};
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> refused_connections_{0};
};

HttpMetrics& GlobalHttpMetrics();

}  // namespace regie::net
