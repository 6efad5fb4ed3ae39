#include "proto/http/forwarded.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace regie::proto::http {
namespace {

// Parses an address, tolerating the brackets and ports that Forwarded uses ("[::1]:80").
bool ParseAddress(std::string_view text, int& family, unsigned char* out) {
  std::string s(text);
  if (!s.empty() && s.front() == '"' && s.back() == '"' && s.size() >= 2) {
    s = s.substr(1, s.size() - 2);
  }
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string::npos) return false;
    s = s.substr(1, close - 1);
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    s = s.substr(0, s.find(':'));  // IPv4 with port.
  }
  if (s.rfind("::ffff:", 0) == 0 && s.find('.') != std::string::npos) s = s.substr(7);
  if (inet_pton(AF_INET, s.c_str(), out) == 1) {
    family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), out) == 1) {
    family = AF_INET6;
    return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> ForwardedFor(const Headers& headers) {
  std::vector<std::string> hops;
  if (auto fwd = headers.Get("Forwarded")) {
    // RFC 7239 §4: elements separated by ',', pairs by ';'; we need only "for=".
    std::string_view rest = *fwd;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view element = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      while (!element.empty()) {
        const auto semi = element.find(';');
        std::string_view pair = Trim(element.substr(0, semi));
        element = semi == std::string_view::npos ? std::string_view() : element.substr(semi + 1);
        if (pair.size() > 4 && strncasecmp(pair.data(), "for=", 4) == 0) {
          hops.emplace_back(pair.substr(4));
        }
      }
    }
    return hops;
  }
  if (auto xff = headers.Get("X-Forwarded-For")) {
    std::string_view rest = *xff;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      hops.emplace_back(Trim(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return hops;
}

// The address in its canonical text form ("2001:db8::7" for "\"[2001:db8::7]:4711\"").
std::optional<std::string> CanonicalAddress(std::string_view text) {
  int family = 0;
  unsigned char bytes[16] = {};
  if (!ParseAddress(text, family, bytes)) return std::nullopt;
  char out[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(family, bytes, out, sizeof(out)) == nullptr) return std::nullopt;
  return std::string(out);
}

bool IsTrusted(std::string_view address, const std::vector<AddressRange>& trusted) {
  return std::any_of(trusted.begin(), trusted.end(),
                     [&](const AddressRange& r) { return r.Contains(address); });
}

}  // namespace

Result<AddressRange> AddressRange::Parse(std::string_view text) {
  AddressRange r;
  const auto slash = text.find('/');
  const std::string_view addr = text.substr(0, slash);
  if (!ParseAddress(addr, r.family_, r.bytes_)) {
    return Fail(Errc::kInvalidInput, "invalid address range '" + std::string(text) + "'",
                "invalid address range '" + std::string(text) + "'");
  }
  const int max_prefix = r.family_ == AF_INET ? 32 : 128;
  r.prefix_ = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string bits(text.substr(slash + 1));
    if (bits.empty() || bits.size() > 3 ||
        !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(bits) > max_prefix) {
      return Fail(Errc::kInvalidInput, "invalid prefix in '" + std::string(text) + "'",
                  "invalid address range '" + std::string(text) + "'");
    }
    r.prefix_ = std::stoi(bits);
  }
  return r;
}

bool AddressRange::Contains(std::string_view address) const {
  int family = 0;
  unsigned char bytes[16] = {};
  if (!ParseAddress(address, family, bytes) || family != family_) return false;
  int bits = prefix_;
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned char mask = bits >= 8 ? 0xFF : static_cast<unsigned char>(0xFF << (8 - bits));
    if ((bytes[i] & mask) != (bytes_[i] & mask)) return false;
  }
  return true;
}

bool IsLoopbackAddress(std::string_view address) {
  static const AddressRange kV4 = *AddressRange::Parse("127.0.0.0/8");
  static const AddressRange kV6 = *AddressRange::Parse("::1");
  return kV4.Contains(address) || kV6.Contains(address);
}

void ApplyForwarding(Request& request, const std::vector<AddressRange>& trusted, bool tls) {
  request.client_address = request.peer_address;
  request.secure = tls;
  request.host = std::string(request.headers.Get("Host").value_or(""));
  if (!IsTrusted(request.peer_address, trusted)) return;
  // A proxy that rewrites Host says the original in X-Forwarded-Host: Destination headers and
  // absolute hrefs from clients name that one.
  if (auto host = request.headers.Get("X-Forwarded-Host")) {
    request.host = std::string(host->substr(0, host->find(',')));
  }
  const std::vector<std::string> hops = ForwardedFor(request.headers);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto address = CanonicalAddress(*it);
    if (!address) break;  // "unknown" or an obfuscated identifier (RFC 7239 §6).
    request.client_address = *address;
    if (!IsTrusted(*address, trusted)) break;
  }
  if (auto proto = request.headers.Get("X-Forwarded-Proto")) {
    request.secure = strncasecmp(proto->data(), "https", 5) == 0 && proto->size() == 5;
  }
}

}  // namespace regie::proto::http
