// The resources a home page loads from other hosts: URLs in src, href and data attributes of the
// tags that load or embed something, and absolute URLs inside inline <script> text (tag manager
// and pixel snippets build their URLs there). A tolerant scan, not an HTML parser: a malformed
// page yields what can be read of it. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regie::audit {

struct PageResource {
  std::string url;   // Absolute, as resolved against the page URL.
  std::string host;  // Lowercase.
};

// Resources whose host is neither `site` nor below it, in page order, one per host.
std::vector<PageResource> ThirdPartyResources(std::string_view html, std::string_view page_url,
                                              std::string_view site);

}  // namespace regie::audit
