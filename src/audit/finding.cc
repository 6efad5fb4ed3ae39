#include "audit/finding.h"

namespace regie::audit {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNxdomain:
      return "nxdomain";
    case ErrorKind::kServfail:
      return "servfail";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kTls:
      return "tls";
    case ErrorKind::kInvalid:
      return "invalid";
    case ErrorKind::kConnect:
      return "connect";
  }
  return "invalid";  // Unreachable; keeps -Wreturn-type quiet.
}

const char* DnssecStatusName(DnssecStatus status) {
  switch (status) {
    case DnssecStatus::kUnknown:
      return "unknown";
    case DnssecStatus::kSecure:
      return "secure";
    case DnssecStatus::kInsecure:
      return "insecure";
    case DnssecStatus::kBogus:
      return "bogus";
  }
  return "unknown";  // Unreachable; keeps -Wreturn-type quiet.
}

}  // namespace regie::audit
