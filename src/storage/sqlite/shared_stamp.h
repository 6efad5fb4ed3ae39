// The SQLite backend's MetadataStore::ChangeStamp(): a counter in a small file beside the
// database (DATA/regie.db-stamp), mapped into every process that opens the store. A write
// transaction moves it just before its COMMIT and again just after, so a reader that sees the
// same value before and after its own read knows that no commit became visible in between, by
// this process or another one (the CLI beside a running server), without asking SQLite: a read
// transaction costs two fcntl() lock calls on the WAL index and the statements themselves.
//
// The counter lives outside the database because no SQLite interface reports "something
// committed" without starting a read transaction. Its contents are never durable and need not
// be: a crash restarts every process that could remember a stamp.
//
// Threads: thread-safe (atomic operations on the shared mapping).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "base/result.h"

namespace regie::storage::sqlite {

class SharedStamp {
 public:
  // Maps `file`, creating it if needed. kInternal if it cannot be created or mapped.
  static Result<std::unique_ptr<SharedStamp>> Open(const std::filesystem::path& file);
  ~SharedStamp();
  SharedStamp(const SharedStamp&) = delete;
  SharedStamp& operator=(const SharedStamp&) = delete;

  std::uint64_t Load() const;
  void Advance();

 private:
  explicit SharedStamp(std::uint64_t* counter) : counter_(counter) {}
  std::uint64_t* counter_;  // In the shared mapping.
};

}  // namespace regie::storage::sqlite
