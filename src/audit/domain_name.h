// Domain names as the audit accepts them: LDH labels (RFC 1123 §2.1) of 1 to 63 characters, at
// least two labels, at most 253 characters. IDNs must come as A-labels (xn--). Pure.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace regie::audit {

// The name in lowercase without the final dot, or Errc::kInvalidInput with the reason in detail.
Result<std::string> NormaliseDomain(std::string_view name);

// True for a host name that is syntactically a DNS name (labels may also start with '_').
bool IsHostName(std::string_view name);

}  // namespace regie::audit
