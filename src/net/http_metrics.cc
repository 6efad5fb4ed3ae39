#include "net/http_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/counters.h"

namespace regie::net {
namespace {

// Methods are a label: only known ones keep their name, so a client cannot grow the series set.
constexpr std::array<std::string_view, 18> kMethodLabels{
    "GET",  "HEAD", "PUT",  "POST",   "DELETE", "OPTIONS",    "PROPFIND", "PROPPATCH", "MKCOL",
    "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "MKCALENDAR", "PATCH",    "SEARCH",    "OTHER"};

std::size_t MethodIndex(std::string_view method) {
  const auto it = std::find(kMethodLabels.begin(), kMethodLabels.end() - 1, method);
  return static_cast<std::size_t>(it - kMethodLabels.begin());  // "OTHER" when not found.
}

}  // namespace

void HttpMetrics::RecordRequest(std::string_view method, int status,
                                std::chrono::nanoseconds latency) {
  {
    std::lock_guard lock(mu_);
    ++requests_[{MethodIndex(method), status}];
  }
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t i = 0;
  while (i < kBucketsSeconds.size() && seconds > kBucketsSeconds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
}

std::string HttpMetrics::RenderPrometheus() const {
  std::string out;
  out += "# HELP regie_http_requests_total HTTP requests by method and status.\n";
  out += "# TYPE regie_http_requests_total counter\n";
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, count] : requests_) {
      out += fmt::format("regie_http_requests_total{{method=\"{}\",status=\"{}\"}} {}\n",
                         kMethodLabels[key.first], key.second, count);
    }
  }
  out += "# HELP regie_http_request_duration_seconds Time from request head to response end.\n";
  out += "# TYPE regie_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    cumulative += buckets_[i].load();
    out += fmt::format("regie_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kBucketsSeconds[i], cumulative);
  }
  cumulative += buckets_.back().load();
  out += fmt::format("regie_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("regie_http_request_duration_seconds_sum {}\n",
                     static_cast<double>(latency_sum_ns_.load()) / 1e9);
  out += fmt::format("regie_http_request_duration_seconds_count {}\n", latency_count_.load());
  const auto& store = GlobalStoreCounters();
  const auto& parses = GlobalParseCounters();
  const std::array<std::tuple<const char*, const char*, const char*, std::uint64_t>, 10> series{{
      {"regie_http_bytes_received_total", "counter", "Request body bytes received.",
       bytes_in_.load()},
      {"regie_http_bytes_sent_total", "counter", "Response bytes sent, headers included.",
       bytes_out_.load()},
      {"regie_http_open_connections", "gauge", "Open client connections.",
       static_cast<std::uint64_t>(std::max<std::int64_t>(0, open_connections_.load()))},
      {"regie_http_refused_connections_total", "counter",
       "Connections refused with 503 because max_connections were open.",
       refused_connections_.load()},
      {"regie_store_rows_written_total", "counter", "Metadata rows inserted, updated or deleted.",
       store.rows_written.load()},
      {"regie_blob_bytes_written_total", "counter", "Bytes committed to the blob store.",
       store.blob_bytes_written.load()},
      {"regie_blobs_removed_total", "counter", "Unreferenced blobs removed.",
       store.blobs_removed.load()},
      {"regie_ical_parses_total", "counter", "iCalendar objects parsed.",
       parses.calendar_objects.load()},
      {"regie_vcard_parses_total", "counter", "vCards parsed.", parses.vcards.load()},
      {"regie_password_checks_total", "counter", "Argon2id password verifications run.",
       GlobalAuthCounters().password_checks.load()},
  }};
  for (const auto& [name, type, help, value] : series) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
  }
  return out;
}

HttpMetrics& GlobalHttpMetrics() {
  static HttpMetrics metrics;
  return metrics;
}

}  // namespace regie::net
