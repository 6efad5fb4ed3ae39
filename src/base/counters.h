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

}  // namespace regie
