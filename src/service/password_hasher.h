// Argon2id password hashing (libsodium) with an explicit cost and a bound on how many hashes run
// at once, since each one takes `memory` bytes and tens of milliseconds of one core.
// Thread-safe; Hash() and Verify() block (call them from the blocking pool, never an I/O thread).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "base/result.h"

namespace regie::service {

struct HashCost {
  std::uint64_t memory_bytes = 19ULL << 20;  // OWASP's minimum recommendation for Argon2id.
  std::uint64_t passes = 2;
  std::uint64_t max_concurrent = 2;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(HashCost cost);
  // The encoded Argon2id string ($argon2id$v=19$m=...,t=...,p=1$salt$hash).
  Result<std::string> Hash(std::string_view password);
  // Whether `password` matches `encoded`. An empty or malformed `encoded` never matches, but
  // costs the same time as a real check, so that unknown logins cannot be told apart by timing.
  bool Verify(std::string_view encoded, std::string_view password);

 private:
  class Slot;
  HashCost cost_;
  const std::string& Dummy();

  // A hash of a random password, verified against for unknown accounts. Made on first use, so
  // that start-up and CLI commands do not pay for it.
  std::once_flag dummy_once_;
  std::string dummy_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t running_ = 0;  // Guarded by mu_.
};

}  // namespace regie::service
