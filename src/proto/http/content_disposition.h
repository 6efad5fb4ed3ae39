// The Content-Disposition header of a download (RFC 6266).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace regie::proto::http {

// "attachment; filename=\"<ascii>\"; filename*=UTF-8''<pct-encoded>" for a UTF-8 file name:
// filename (RFC 6266 §4.3) carries an ASCII fallback for old clients, with every character
// outside printable ASCII and every '"', '\\', '%' replaced by '_'; filename* carries the exact
// name (RFC 8187 §3.2.1: every byte but attr-char percent-encoded).
std::string AttachmentDisposition(std::string_view filename);

}  // namespace regie::proto::http
