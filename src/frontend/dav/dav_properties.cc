#include "frontend/dav/dav_properties.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>

#include "base/uri.h"
#include "formats/text/media_type.h"
#include "formats/xml/xml_element.h"
#include "frontend/dav/dav_response.h"
#include "proto/http/conditional.h"

namespace regie::frontend::dav {
namespace {

using formats::xml::AppendEscaped;
using proto::dav::kDavNs;

enum class Live {
  kCreationDate,
  kDisplayName,
  kContentLength,
  kContentType,
  kEtag,
  kLastModified,
  kResourceType,
  kSupportedLock,
  kLockDiscovery,
  kQuotaAvailable,
  kQuotaUsed,
  kCurrentUserPrincipal,
};

struct LiveName {
  std::string_view name;
  Live live;
  bool in_allprop;  // RFC 4331 §3 and RFC 5397 §3: quota and principal are not in allprop.
};

constexpr std::array<LiveName, 12> kLive{{
    {"creationdate", Live::kCreationDate, true},
    {"displayname", Live::kDisplayName, true},
    {"getcontentlength", Live::kContentLength, true},
    {"getcontenttype", Live::kContentType, true},
    {"getetag", Live::kEtag, true},
    {"getlastmodified", Live::kLastModified, true},
    {"resourcetype", Live::kResourceType, true},
    {"supportedlock", Live::kSupportedLock, true},
    {"lockdiscovery", Live::kLockDiscovery, true},
    {"quota-available-bytes", Live::kQuotaAvailable, false},
    {"quota-used-bytes", Live::kQuotaUsed, false},
    {"current-user-principal", Live::kCurrentUserPrincipal, false},
}};

std::optional<Live> FindLive(const QName& name) {
  if (name.ns != kDavNs) return std::nullopt;
  for (const auto& entry : kLive) {
    if (entry.name == name.name) return entry.live;
  }
  return std::nullopt;
}

std::string Rfc3339(std::int64_t unix_seconds) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(static_cast<std::time_t>(unix_seconds)));
}

void AppendText(std::string& out, std::string_view element, std::string_view text) {
  out.append("<d:").append(element).append(">");
  AppendEscaped(out, text);
  out.append("</d:").append(element).append(">");
}

// The path below the owner's root of a lock's root ("<login>/a/b" -> {"a", "b"}).
std::vector<std::string> SplitLockRoot(std::string_view root) {
  std::vector<std::string> parts;
  std::size_t pos = root.find('/');  // Skip the login.
  while (pos != std::string_view::npos) {
    const std::size_t next = root.find('/', pos + 1);
    parts.emplace_back(
        root.substr(pos + 1, next == std::string_view::npos ? next : next - pos - 1));
    pos = next;
  }
  return parts;
}

// Appends the value element of a live property; false when `resource` does not have it.
bool AppendLive(std::string& out, Live live, const PropertyContext& ctx, const Resource& r) {
  const model::Item* item = r.item;
  const std::int64_t created = item ? item->created : r.folder->created;
  const std::int64_t modified = item ? item->modified : r.folder->modified;
  switch (live) {
    case Live::kCreationDate:
      AppendText(out, "creationdate", Rfc3339(created));
      return true;
    case Live::kDisplayName:
      AppendText(out, "displayname",
                 r.path.empty() ? ctx.req->owner_login() : std::string_view(r.path.back()));
      return true;
    case Live::kContentLength:
      if (!item) return false;
      AppendText(out, "getcontentlength", std::to_string(item->size));
      return true;
    case Live::kContentType:
      if (!item) return false;
      AppendText(out, "getcontenttype", ContentTypeOf(*item));
      return true;
    case Live::kEtag:
      if (!item) return false;
      AppendText(out, "getetag", proto::http::QuoteEtag(item->etag));
      return true;
    case Live::kLastModified:
      AppendText(out, "getlastmodified", proto::http::FormatHttpDate(modified));
      return true;
    case Live::kResourceType:
      out.append(item ? "<d:resourcetype/>" : "<d:resourcetype><d:collection/></d:resourcetype>");
      return true;
    case Live::kSupportedLock:
      out.append(
          "<d:supportedlock><d:lockentry><d:lockscope><d:exclusive/></d:lockscope>"
          "<d:locktype><d:write/></d:locktype></d:lockentry><d:lockentry><d:lockscope>"
          "<d:shared/></d:lockscope><d:locktype><d:write/></d:locktype></d:lockentry>"
          "</d:supportedlock>");
      return true;
    case Live::kLockDiscovery: {
      out.append("<d:lockdiscovery>");
      for (const auto& lock : ctx.req->locks.Covering(ctx.req->LockPath(r.path))) {
        AppendActiveLock(out, *ctx.req, lock);
      }
      out.append("</d:lockdiscovery>");
      return true;
    }
    case Live::kQuotaAvailable:
      if (item || !ctx.usage || !ctx.usage->available) return false;
      AppendText(out, "quota-available-bytes", std::to_string(*ctx.usage->available));
      return true;
    case Live::kQuotaUsed:
      if (item || !ctx.usage) return false;
      AppendText(out, "quota-used-bytes", std::to_string(ctx.usage->used));
      return true;
    case Live::kCurrentUserPrincipal:
      out.append("<d:current-user-principal>");
      AppendHref(out,
                 "/dav/principals/" + PercentEncodeSegment(ctx.req->caller.principal.login) + "/");
      out.append("</d:current-user-principal>");
      return true;
  }
  return false;
}

}  // namespace

std::string_view ContentTypeOf(const model::Item& item) {
  if (!item.content_type.empty() && item.content_type != "application/octet-stream") {
    return item.content_type;
  }
  return formats::text::MediaTypeForName(item.name);
}

bool IsLiveProperty(const QName& name) { return FindLive(name).has_value(); }

bool NeedsDeadProperties(const proto::dav::PropfindRequest& propfind) {
  if (propfind.kind != proto::dav::PropfindKind::kProp) return true;
  return std::any_of(propfind.props.begin(), propfind.props.end(),
                     [](const QName& name) { return !IsLiveProperty(name); });
}

Result<PropertyContext> ContextFor(const FileRequest& req,
                                   const proto::dav::PropfindRequest& propfind) {
  const auto quota = [](const QName& name) {
    const auto live = FindLive(name);
    return live == Live::kQuotaAvailable || live == Live::kQuotaUsed;
  };
  PropertyContext context{.req = &req, .usage = std::nullopt};
  if (propfind.kind == proto::dav::PropfindKind::kPropname ||
      std::any_of(propfind.props.begin(), propfind.props.end(), quota) ||
      std::any_of(propfind.include.begin(), propfind.include.end(), quota)) {
    auto usage = req.files.Usage(req.target);
    if (!usage) return Fail(usage.error());
    context.usage = *usage;
  }
  return context;
}

void AppendPropResponse(std::string& out, const PropertyContext& ctx, const Resource& resource,
                        const proto::dav::PropfindRequest& propfind,
                        const std::vector<model::DeadProperty>& dead) {
  out.append("<d:response>");
  AppendHref(out, ctx.req->HrefOf(resource.path,
                                  resource.folder ? HrefKind::kCollection : HrefKind::kMember));
  std::string found;
  std::string missing;
  const auto answer = [&](const QName& name) {
    if (const auto live = FindLive(name)) {
      if (!AppendLive(found, *live, ctx, resource)) AppendEmptyElement(missing, name);
    } else if (const auto* property = model::FindProperty(dead, name)) {
      found.append(property->value);
    } else {
      AppendEmptyElement(missing, name);
    }
  };
  switch (propfind.kind) {
    case proto::dav::PropfindKind::kProp:
      for (const auto& name : propfind.props) answer(name);
      break;
    case proto::dav::PropfindKind::kAllprop:
      for (const auto& entry : kLive) {
        const bool included =
            std::any_of(propfind.include.begin(), propfind.include.end(),
                        [&](const QName& n) { return n.ns == kDavNs && n.name == entry.name; });
        if (entry.in_allprop || included) {
          AppendLive(found, entry.live, ctx, resource);
        }
      }
      for (const auto& property : dead) found.append(property.value);
      break;
    case proto::dav::PropfindKind::kPropname: {
      for (const auto& entry : kLive) {
        std::string ignored;
        if (AppendLive(ignored, entry.live, ctx, resource)) {
          AppendEmptyElement(found, QName{std::string(kDavNs), std::string(entry.name)});
        }
      }
      for (const auto& property : dead) AppendEmptyElement(found, property.name);
      break;
    }
  }
  if (found.empty() && missing.empty()) {
    // RFC 4918 §14.22: a response needs a propstat even when nothing was asked for.
    out.append("<d:propstat><d:prop/><d:status>").append(StatusLine(200));
    out.append("</d:status></d:propstat>");
  }
  AppendPropstat(out, found, 200);
  AppendPropstat(out, missing, 404);
  out.append("</d:response>");
}

std::string LockRootHref(const FileRequest& req, const service::LockInfo& lock) {
  return req.HrefOf(SplitLockRoot(lock.root),
                    lock.root_is_collection ? HrefKind::kCollection : HrefKind::kMember);
}

void AppendActiveLock(std::string& out, const FileRequest& req, const service::LockInfo& lock) {
  out.append("<d:activelock><d:locktype><d:write/></d:locktype><d:lockscope>");
  out.append(lock.scope == service::LockScope::kExclusive ? "<d:exclusive/>" : "<d:shared/>");
  out.append("</d:lockscope><d:depth>");
  out.append(lock.depth == service::LockDepth::kInfinity ? "infinity" : "0");
  out.append("</d:depth>");
  out.append(lock.owner);
  out.append("<d:timeout>Second-").append(std::to_string(lock.timeout.count()));
  out.append("</d:timeout><d:locktoken>");
  AppendHref(out, lock.token);
  out.append("</d:locktoken><d:lockroot>");
  AppendHref(out, LockRootHref(req, lock));
  out.append("</d:lockroot></d:activelock>");
}

}  // namespace regie::frontend::dav
