// Cryptographic primitives used across layers: SHA-256 (content addressing, OpenSSL), random
// bytes and keyed BLAKE2b digests (libsodium), and hex encoding. Thread-safe; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace regie {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental SHA-256: Update() any number of times, then Finish() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::span<const char> data);
  Sha256Digest Finish();
  static Sha256Digest Of(std::string_view data);

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string ToHex(std::span<const std::uint8_t> bytes);
// Fills `out` from the operating system's CSPRNG. Never fails (libsodium aborts if it cannot).
void RandomBytes(std::span<std::uint8_t> out);
// A random string of `bytes` random bytes in unpadded URL-safe base64 (for passwords and tokens).
std::string RandomToken(std::size_t bytes);

// Keyed BLAKE2b-256 of `data`; `key` must be 16..64 bytes.
std::array<std::uint8_t, 32> KeyedDigest(std::span<const std::uint8_t> key, std::string_view data);

// Constant-time comparison of equal-length byte strings.
bool ConstantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Initialises libsodium; call once at start-up (idempotent, thread-safe).
void InitCrypto();

}  // namespace regie

namespace regie {
// Decodes standard base64 (RFC 4648 §4, padding optional); nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);
}  // namespace regie
