// Fuzz target for what the web workplace's API reads from requests beyond Beast and the DAV
// parsers: the Cookie header (the session secret), JSON request bodies and their members, the
// Host header of the .mobileconfig profile, and the folder download's query and file name.
// Input layout: four NUL-separated fields (Cookie, JSON body, Host, query or file name).
// Only crashes, hangs and sanitizer reports matter, and the few properties checked below.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "fuzz_fields.h"
#include "proto/http/content_disposition.h"
#include "proto/http/cookie.h"
#include "proto/http/query.h"
#include "proto/webapi/json_fields.h"
#include "proto/webapi/mobileconfig.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = regie::fuzz::SplitFields<4>(data, size);
  regie::proto::http::Headers headers;
  headers.Add("Cookie", std::string(fields[0]));
  if (auto found = regie::proto::http::FindCookie(headers, "regie_session")) {
    REGIE_CHECK(found->size() <= fields[0].size(), "a cookie value longer than its header");
  }
  if (auto object = regie::proto::webapi::ParseObject(fields[1])) {
    for (const std::string_view name : {"login", "password", "quota", "disabled", "domains"}) {
      (void)regie::proto::webapi::OptionalString(*object, name);
      (void)regie::proto::webapi::OptionalSize(*object, name);
      (void)regie::proto::webapi::OptionalBool(*object, name);
    }
  }
  regie::proto::webapi::ProfileTarget target{.login = "fuzz", .principal_path = "/p/"};
  regie::proto::webapi::SetHostAndPort(target, fields[2]);
  REGIE_CHECK(target.port > 0 && target.port <= 65535, "a profile port out of range");
  const std::string profile = regie::proto::webapi::RenderMobileconfig(target);
  REGIE_CHECK(profile.find("<plist") != std::string::npos, "a profile without its plist");
  (void)regie::proto::http::FindQueryParameter(fields[3], "download");
  const std::string disposition = regie::proto::http::AttachmentDisposition(fields[3]);
  // Header injection: whatever the name, the header value stays on one line.
  REGIE_CHECK(disposition.find_first_of("\r\n") == std::string::npos,
              "a line break in Content-Disposition");
  return 0;
}
