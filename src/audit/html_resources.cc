#include "audit/html_resources.h"

#include <boost/url.hpp>
#include <set>

#include "audit/rules.h"

namespace regie::audit {
namespace {

// Tags whose attributes make the browser fetch something, or link to a provider's widget.
constexpr std::string_view kLoadingTags[] = {"script", "link",  "iframe", "img",    "source",
                                             "video",  "audio", "embed",  "object", "a"};
constexpr std::string_view kUrlAttributes[] = {"src", "href", "data", "data-src"};

bool IsNameChar(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == ':';
}

struct Tag {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::size_t end = 0;  // Just after '>'.
};

// Reads the tag starting at `pos` (just after '<'); attribute values may be quoted or bare.
Tag ReadTag(std::string_view html, std::size_t pos) {
  Tag tag;
  while (pos < html.size() && IsNameChar(html[pos]))
    tag.name += static_cast<char>(std::tolower(html[pos++]));
  while (pos < html.size() && html[pos] != '>') {
    if (!IsNameChar(html[pos])) {
      ++pos;
      continue;
    }
    std::string name;
    while (pos < html.size() && IsNameChar(html[pos]))
      name += static_cast<char>(std::tolower(html[pos++]));
    while (pos < html.size() && html[pos] == ' ') ++pos;
    std::string value;
    if (pos < html.size() && html[pos] == '=') {
      ++pos;
      while (pos < html.size() && html[pos] == ' ') ++pos;
      if (pos < html.size() && (html[pos] == '"' || html[pos] == '\'')) {
        const char quote = html[pos++];
        const auto close = html.find(quote, pos);
        const auto stop = close == std::string_view::npos ? html.size() : close;
        value = html.substr(pos, stop - pos);
        pos = stop + 1;
      } else {
        while (pos < html.size() && html[pos] != '>' &&
               !std::isspace(static_cast<unsigned char>(html[pos]))) {
          value += html[pos++];
        }
      }
    }
    tag.attributes.emplace_back(std::move(name), std::move(value));
  }
  tag.end = pos < html.size() ? pos + 1 : html.size();
  return tag;
}

// Absolute http(s) URLs in script text: "https://host/..." and "//host/..." inside quotes.
void ScriptUrls(std::string_view text, std::vector<std::string>& out) {
  for (std::size_t pos = 0; (pos = text.find("//", pos)) != std::string_view::npos; pos += 2) {
    std::size_t start = pos;
    if (pos >= 6 && text.substr(pos - 6, 6) == "https:") {
      start = pos - 6;
    } else if (pos >= 5 && text.substr(pos - 5, 5) == "http:") {
      start = pos - 5;
    } else if (pos == 0 || (text[pos - 1] != '"' && text[pos - 1] != '\'')) {
      continue;
    }
    std::size_t end = pos + 2;
    while (end < text.size() && text[end] != '"' && text[end] != '\'' && text[end] != ' ' &&
           text[end] != '\n' && text[end] != ')' && text[end] != '\\') {
      ++end;
    }
    out.emplace_back(text.substr(start, end - start));
  }
}

}  // namespace

std::vector<PageResource> ThirdPartyResources(std::string_view html, std::string_view page_url,
                                              std::string_view site) {
  std::vector<std::string> candidates;
  for (std::size_t pos = 0; (pos = html.find('<', pos)) != std::string_view::npos;) {
    if (html.substr(pos, 4) == "<!--") {
      const auto close = html.find("-->", pos);
      pos = close == std::string_view::npos ? html.size() : close + 3;
      continue;
    }
    Tag tag = ReadTag(html, pos + 1);
    pos = std::max(tag.end, pos + 1);
    const bool loads = std::find(std::begin(kLoadingTags), std::end(kLoadingTags), tag.name) !=
                       std::end(kLoadingTags);
    if (loads) {
      for (const auto& [name, value] : tag.attributes) {
        if (std::find(std::begin(kUrlAttributes), std::end(kUrlAttributes), name) !=
            std::end(kUrlAttributes)) {
          candidates.push_back(value);
        }
      }
    }
    if (tag.name == "script") {
      const auto close = html.find("</script", pos);
      const auto stop = close == std::string_view::npos ? html.size() : close;
      ScriptUrls(html.substr(pos, stop - pos), candidates);
      pos = stop;
    }
  }
  std::vector<PageResource> out;
  auto base = boost::urls::parse_uri(page_url);
  if (!base) return out;
  std::set<std::string> hosts;
  for (const auto& candidate : candidates) {
    auto ref = boost::urls::parse_uri_reference(candidate);
    if (!ref) continue;
    boost::urls::url resolved;
    if (!boost::urls::resolve(*base, *ref, resolved)) continue;
    if (resolved.scheme() != "http" && resolved.scheme() != "https") continue;
    const std::string host = Lower(resolved.encoded_host());
    if (host.empty() || HostIsAtOrBelow(host, site)) continue;
    if (hosts.insert(host).second) out.push_back({std::string(resolved.buffer()), host});
  }
  return out;
}

}  // namespace regie::audit
