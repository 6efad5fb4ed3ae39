#include "service/password_hasher.h"

#include <sodium.h>

#include "base/check.h"
#include "base/counters.h"
#include "base/crypto.h"

namespace regie::service {

// Holds one of the max_concurrent hashing slots for its lifetime.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& h) : h_(h) {
    std::unique_lock lock(h_.mu_);
    h_.cv_.wait(lock, [&] { return h_.running_ < h_.cost_.max_concurrent; });
    ++h_.running_;
  }
  ~Slot() {
    {
      std::lock_guard lock(h_.mu_);
      --h_.running_;
    }
    h_.cv_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  PasswordHasher& h_;
};

PasswordHasher::PasswordHasher(HashCost cost) : cost_(cost) {
  InitCrypto();
  REGIE_CHECK(cost_.max_concurrent >= 1, "max_concurrent_hashes must be at least 1");
}

const std::string& PasswordHasher::Dummy() {
  std::call_once(dummy_once_, [this] {
    auto dummy = Hash(RandomToken(16));
    REGIE_CHECK(dummy.has_value(), "argon2id hashing failed");
    dummy_ = *dummy;
  });
  return dummy_;
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  Slot slot(*this);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.passes,
                            static_cast<std::size_t>(cost_.memory_bytes),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Errc::kInternal, "argon2id hashing failed (out of memory?)");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view encoded, std::string_view password) {
  const bool usable = !encoded.empty() && encoded.size() < crypto_pwhash_STRBYTES &&
                      encoded.rfind("$argon2id$", 0) == 0;
  const std::string hash(usable ? encoded : std::string_view(Dummy()));
  Slot slot(*this);
  GlobalAuthCounters().password_checks.fetch_add(1, std::memory_order_relaxed);
  const bool match = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  return usable && match;
}

}  // namespace regie::service
