#include "model/content.h"

#include <algorithm>
#include <array>
#include <utility>

namespace regie::model {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

constexpr std::array<std::pair<CollectionKind, std::string_view>, 4> kKindNames{{
    {CollectionKind::kFolder, "folder"},
    {CollectionKind::kCalendar, "calendar"},
    {CollectionKind::kAddressBook, "addressbook"},
    {CollectionKind::kMailbox, "mailbox"},
}};

}  // namespace

std::string BlobHash::Hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

std::optional<BlobHash> BlobHash::FromHex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  BlobHash h;
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    h.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return h;
}

std::string_view CollectionKindName(CollectionKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "folder";
}

std::optional<CollectionKind> ParseCollectionKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string EtagFor(const BlobHash& hash) { return hash.Hex().substr(0, 32); }

const DeadProperty* FindProperty(const std::vector<DeadProperty>& properties, const QName& name) {
  const auto it = std::find_if(properties.begin(), properties.end(),
                               [&](const DeadProperty& p) { return p.name == name; });
  return it == properties.end() ? nullptr : &*it;
}

}  // namespace regie::model
