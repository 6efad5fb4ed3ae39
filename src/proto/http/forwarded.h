// Who the client is behind a reverse proxy: RFC 7239 Forwarded, X-Forwarded-For and
// X-Forwarded-Proto, believed only when the TCP peer is a configured trusted proxy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "proto/http/message.h"

namespace regie::proto::http {

// An IPv4 or IPv6 address range ("10.0.0.0/8", "::1", "192.0.2.7").
class AddressRange {
 public:
  static Result<AddressRange> Parse(std::string_view text);
  bool Contains(std::string_view address) const;

 private:
  int family_ = 0;  // AF_INET or AF_INET6.
  unsigned char bytes_[16] = {};
  int prefix_ = 0;
};

bool IsLoopbackAddress(std::string_view address);

// Fills request.client_address, request.secure and request.host from the forwarding headers
// (X-Forwarded-For, Forwarded, X-Forwarded-Proto, X-Forwarded-Host) when the peer is
// in `trusted`; otherwise they stay the peer's own. Walks X-Forwarded-For from the right, skipping
// trusted hops, so a client cannot forge its address by prepending entries.
void ApplyForwarding(Request& request, const std::vector<AddressRange>& trusted, bool tls);

}  // namespace regie::proto::http
