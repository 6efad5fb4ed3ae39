#include "base/crypto.h"

#include <openssl/evp.h>
#include <sodium.h>

#include "base/check.h"

namespace regie {

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  REGIE_CHECK(ctx_->md != nullptr, "EVP_MD_CTX_new failed");
  REGIE_CHECK(EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) == 1, "sha256 init failed");
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_->md); }

void Sha256::Update(std::span<const char> data) {
  REGIE_CHECK(EVP_DigestUpdate(ctx_->md, data.data(), data.size()) == 1, "sha256 update failed");
}

Sha256Digest Sha256::Finish() {
  Sha256Digest out{};
  unsigned int len = 0;
  REGIE_CHECK(EVP_DigestFinal_ex(ctx_->md, out.data(), &len) == 1 && len == out.size(),
              "sha256 final failed");
  return out;
}

Sha256Digest Sha256::Of(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.Finish();
}

std::string ToHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

void InitCrypto() { REGIE_CHECK(sodium_init() >= 0, "libsodium failed to initialise"); }

void RandomBytes(std::span<std::uint8_t> out) {
  InitCrypto();
  randombytes_buf(out.data(), out.size());
}

std::string RandomToken(std::size_t bytes) {
  std::string raw(bytes, '\0');
  RandomBytes({reinterpret_cast<std::uint8_t*>(raw.data()), raw.size()});
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::array<std::uint8_t, 32> KeyedDigest(std::span<const std::uint8_t> key, std::string_view data) {
  REGIE_CHECK(key.size() >= crypto_generichash_KEYBYTES_MIN &&
                  key.size() <= crypto_generichash_KEYBYTES_MAX,
              "BLAKE2b key length out of range");
  std::array<std::uint8_t, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), key.data(), key.size());
  return out;
}

bool ConstantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace regie

namespace regie {

std::optional<std::string> Base64Decode(std::string_view text) {
  InitCrypto();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 &&
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0) {
    return std::nullopt;
  }
  if (end != text.data() + text.size()) return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace regie
