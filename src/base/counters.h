// Process-wide counters that lower layers bump and the /metrics endpoint renders. Lock-free;
// never labelled with logins, organisations or paths.
#pragma once

#include <atomic>
#include <cstdint>

namespace regie {

struct StoreCounters {
  std::atomic<std::uint64_t> rows_written{0};        // Rows inserted, updated or deleted.
  std::atomic<std::uint64_t> blob_bytes_written{0};  // Bytes committed to the blob store.
  std::atomic<std::uint64_t> blobs_removed{0};
};

StoreCounters& GlobalStoreCounters();

// Parses of stored objects: a query that the index answers parses none, and tests prove it.
struct ParseCounters {
  std::atomic<std::uint64_t> calendar_objects{0};  // iCalendar objects parsed (libical).
  std::atomic<std::uint64_t> vcards{0};
};

ParseCounters& GlobalParseCounters();

// Password hashing, the costliest work a request can ask of the server (CPU and memory).
struct AuthCounters {
  std::atomic<std::uint64_t> password_checks{0};  // Argon2id verifications run.
};

AuthCounters& GlobalAuthCounters();

}  // namespace regie
