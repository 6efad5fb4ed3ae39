#include "frontend/dav/groupware/groupware_properties.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "base/uri.h"
#include "formats/xml/xml_element.h"
#include "frontend/dav/dav_response.h"
#include "proto/http/conditional.h"

namespace regie::frontend::dav {
namespace {

using formats::xml::AppendEscaped;
using Kind = GroupwareResource::Kind;

constexpr std::string_view kDav = "DAV:";
constexpr std::string_view kCalDav = "urn:ietf:params:xml:ns:caldav";
constexpr std::string_view kCardDav = "urn:ietf:params:xml:ns:carddav";
constexpr std::string_view kCalendarServer = "http://calendarserver.org/ns/";
constexpr std::string_view kTokenPrefix = "urn:regie:sync:";

enum class Live {
  kResourceType,
  kEtag,
  kContentType,
  kContentLength,
  kLastModified,
  kCurrentUserPrincipal,
  kOwner,
  kPrivileges,
  kReportSet,
  kSyncToken,
  kCtag,
  kComponentSet,
  kCalendarData,
  kAddressData,
  kMaxResourceSize,
  kMinDateTime,
  kMaxDateTime,
  kInvite,
  kPublishUrl,
};

struct LiveName {
  std::string_view ns;
  std::string_view name;
  Live live;
  bool in_allprop;
};

constexpr std::array<LiveName, 20> kLive{{
    {kDav, "resourcetype", Live::kResourceType, true},
    {kDav, "getetag", Live::kEtag, true},
    {kDav, "getcontenttype", Live::kContentType, true},
    {kDav, "getcontentlength", Live::kContentLength, true},
    {kDav, "getlastmodified", Live::kLastModified, true},
    {kDav, "current-user-principal", Live::kCurrentUserPrincipal, false},
    {kDav, "owner", Live::kOwner, false},
    {kDav, "current-user-privilege-set", Live::kPrivileges, false},
    {kDav, "supported-report-set", Live::kReportSet, false},
    {kDav, "sync-token", Live::kSyncToken, false},
    {kCalendarServer, "getctag", Live::kCtag, false},
    {kCalDav, "supported-calendar-component-set", Live::kComponentSet, false},
    {kCalDav, "supported-calendar-data", Live::kCalendarData, false},
    {kCardDav, "supported-address-data", Live::kAddressData, false},
    {kCalDav, "max-resource-size", Live::kMaxResourceSize, false},
    {kCardDav, "max-resource-size", Live::kMaxResourceSize, false},
    {kCalDav, "min-date-time", Live::kMinDateTime, false},
    {kCalDav, "max-date-time", Live::kMaxDateTime, false},
    {kCalendarServer, "invite", Live::kInvite, false},
    {kCalendarServer, "publish-url", Live::kPublishUrl, false},
}};

std::optional<Live> FindLive(const QName& name) {
  for (const auto& entry : kLive) {
    if (entry.ns == name.ns && entry.name == name.name) return entry.live;
  }
  return std::nullopt;
}

void AppendText(std::string& out, std::string_view element, std::string_view text) {
  out.append("<").append(element).append(">");
  AppendEscaped(out, text);
  out.append("</").append(element).append(">");
}

std::string PrincipalHref(const GroupwareRequest& req) {
  return "/dav/principals/" + PercentEncodeSegment(req.target.owner.login) + "/";
}

void AppendReportSet(std::string& out, bool calendars) {
  const auto report = [&](std::string_view element) {
    out.append("<d:supported-report><d:report><").append(element).append("/></d:report>");
    out.append("</d:supported-report>");
  };
  out.append("<d:supported-report-set>");
  if (calendars) {
    report("C:calendar-query");
    report("C:calendar-multiget");
    report("C:free-busy-query");
  } else {
    report("CR:addressbook-query");
    report("CR:addressbook-multiget");
  }
  report("d:sync-collection");
  out.append("</d:supported-report-set>");
}

void AppendPrivileges(std::string& out, bool calendars, bool read_only) {
  // RFC 3744 §5.4: clients (iOS, DAVx5) show a read-only share as read-only from this.
  out.append("<d:current-user-privilege-set>");
  for (std::string_view p : {"d:read", "d:read-current-user-privilege-set"}) {
    out.append("<d:privilege><").append(p).append("/></d:privilege>");
  }
  if (!read_only) {
    for (std::string_view p :
         {"d:write", "d:write-properties", "d:write-content", "d:bind", "d:unbind"}) {
      out.append("<d:privilege><").append(p).append("/></d:privilege>");
    }
  }
  if (calendars) out.append("<d:privilege><C:read-free-busy/></d:privilege>");
  out.append("</d:current-user-privilege-set>");
}

// CalendarServer's sharing properties (caldav-sharing §5.2.2, and publish-url of its calendar
// publishing): whom the owner shares the collection with, and its public link.
Result<bool> AppendSharing(std::string& out, Live live, const GroupwareRequest& req) {
  const auto& target = req.target;
  if (live == Live::kPublishUrl) {
    if (!req.calendars()) return false;
    auto tokens = req.service.Publications(target);
    if (!tokens) return Fail(tokens.error());
    if (tokens->empty()) return false;
    out.append("<CS:publish-url>");
    AppendHref(out, std::string(req.http.secure ? "https://" : "http://") + req.http.host +
                        "/pub/calendars/" + tokens->front() + ".ics");
    out.append("</CS:publish-url>");
    return true;
  }
  auto shares = req.service.Shares(target);
  if (!shares) return Fail(shares.error());
  out.append("<CS:invite>");
  for (const auto& share : *shares) {
    out.append("<CS:user>");
    AppendHref(out, share.group ? "principal:principals/groups/" + PercentEncodeSegment(share.login)
                                : "/dav/principals/" + PercentEncodeSegment(share.login) + "/");
    AppendText(out, "CS:common-name", share.login);
    out.append("<CS:invite-accepted/><CS:access>");
    out.append(share.access == model::ShareAccess::kReadWrite ? "<CS:read-write/>" : "<CS:read/>");
    out.append("</CS:access></CS:user>");
  }
  out.append("</CS:invite>");
  return true;
}

struct LiveContext {
  const GroupwareRequest& req;
  const GroupwareResource& r;
  std::optional<std::uint64_t>& seq;  // Read once, on first use.
};

Result<bool> AppendCollectionLive(std::string& out, Live live, LiveContext& ctx) {
  const bool calendars = ctx.req.calendars();
  const auto read_seq = [&]() -> Result<std::uint64_t> {
    if (!ctx.seq) {
      auto seq = ctx.req.service.CurrentSeq(ctx.req.target, *ctx.r.collection);
      if (!seq) return Fail(seq.error());
      ctx.seq = *seq;
    }
    return *ctx.seq;
  };
  switch (live) {
    case Live::kSyncToken:
    case Live::kCtag: {
      auto seq = read_seq();
      if (!seq) return Fail(seq.error());
      const std::string token = GroupwareSyncToken(*ctx.r.collection, *seq);
      AppendText(out, live == Live::kCtag ? "CS:getctag" : "d:sync-token", token);
      return true;
    }
    case Live::kComponentSet: {
      if (!calendars) return false;
      auto kinds = ctx.req.service.SupportedComponents(ctx.req.target, *ctx.r.collection);
      if (!kinds) return Fail(kinds.error());
      out.append("<C:supported-calendar-component-set>");
      for (const auto kind : *kinds) {
        out.append("<C:comp name=\"").append(formats::ical::ComponentName(kind)).append("\"/>");
      }
      out.append("</C:supported-calendar-component-set>");
      return true;
    }
    case Live::kCalendarData:
      if (!calendars) return false;
      out.append(
          "<C:supported-calendar-data><C:calendar-data content-type=\"text/calendar\" "
          "version=\"2.0\"/></C:supported-calendar-data>");
      return true;
    case Live::kAddressData:
      if (calendars) return false;
      out.append(
          "<CR:supported-address-data><CR:address-data-type content-type=\"text/vcard\" "
          "version=\"3.0\"/><CR:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>"
          "</CR:supported-address-data>");
      return true;
    case Live::kMaxResourceSize: {
      const auto& limits = ctx.req.service.limits();
      const auto bytes = calendars ? limits.calendar.max_bytes : limits.vcard.max_bytes;
      AppendText(out, calendars ? "C:max-resource-size" : "CR:max-resource-size",
                 std::to_string(bytes));
      return true;
    }
    case Live::kMinDateTime:
      if (!calendars) return false;
      AppendText(out, "C:min-date-time", "19000101T000000Z");
      return true;
    case Live::kMaxDateTime:
      if (!calendars) return false;
      AppendText(out, "C:max-date-time", "21001231T235959Z");
      return true;
    case Live::kInvite:
    case Live::kPublishUrl: {
      // Only the owner learns whom a collection is shared with and its public link, on the
      // collection itself (Depth 0), where clients ask for them.
      const auto& target = ctx.req.target;
      if (target.sharer || !target.names_collection() || !target.collection ||
          target.collection->id != ctx.r.collection->id) {
        return false;
      }
      return AppendSharing(out, live, ctx.req);
    }
    default:
      return false;
  }
}

// Appends the value of a live property; false when the resource does not have it.
Result<bool> AppendLive(std::string& out, Live live, LiveContext& ctx) {
  const GroupwareResource& r = ctx.r;
  const model::Item* item = r.item;
  switch (live) {
    case Live::kResourceType:
      if (r.kind == Kind::kObject) {
        out.append("<d:resourcetype/>");
      } else if (r.kind == Kind::kHome) {
        out.append("<d:resourcetype><d:collection/></d:resourcetype>");
      } else {
        out.append(ctx.req.calendars()
                       ? "<d:resourcetype><d:collection/><C:calendar/></d:resourcetype>"
                       : "<d:resourcetype><d:collection/><CR:addressbook/></d:resourcetype>");
      }
      return true;
    case Live::kEtag:
      if (!item) return false;
      AppendText(out, "d:getetag", proto::http::QuoteEtag(item->etag));
      return true;
    case Live::kContentType:
      if (!item) return false;
      AppendText(out, "d:getcontenttype", item->content_type);
      return true;
    case Live::kContentLength:
      if (!item) return false;
      AppendText(out, "d:getcontentlength", std::to_string(item->size));
      return true;
    case Live::kLastModified:
      AppendText(out, "d:getlastmodified",
                 proto::http::FormatHttpDate(item ? item->modified : r.collection->modified));
      return true;
    case Live::kCurrentUserPrincipal:
    case Live::kOwner:
      out.append(live == Live::kOwner ? "<d:owner>" : "<d:current-user-principal>");
      AppendHref(out, live == Live::kOwner
                          ? PrincipalHref(ctx.req)
                          : "/dav/principals/" +
                                PercentEncodeSegment(ctx.req.caller.principal.login) + "/");
      out.append(live == Live::kOwner ? "</d:owner>" : "</d:current-user-principal>");
      return true;
    case Live::kPrivileges:
      AppendPrivileges(out, ctx.req.calendars(), r.read_only);
      return true;
    case Live::kReportSet:
      if (r.kind == Kind::kObject) return false;
      AppendReportSet(out, ctx.req.calendars());
      return true;
    default:
      if (r.kind != Kind::kCollection) return false;
      return AppendCollectionLive(out, live, ctx);
  }
}

}  // namespace

std::string GroupwareSyncToken(const model::Collection& collection, std::uint64_t seq) {
  return std::string(kTokenPrefix) + std::to_string(collection.id.value) + ":" +
         std::to_string(seq);
}

std::optional<std::uint64_t> ParseGroupwareSyncToken(const model::Collection& collection,
                                                     std::string_view token) {
  const std::string prefix = std::string(kTokenPrefix) + std::to_string(collection.id.value) + ":";
  if (!token.starts_with(prefix)) return std::nullopt;
  const std::string_view digits = token.substr(prefix.size());
  std::uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return seq;
}

bool IsGroupwareLiveProperty(const QName& name) { return FindLive(name).has_value(); }

Result<void> AppendGroupwareResponse(std::string& out, const GroupwareRequest& req,
                                     const GroupwareResource& resource,
                                     const proto::dav::PropfindRequest& propfind,
                                     const std::vector<model::DeadProperty>& dead,
                                     const std::optional<ComputedProperty>& computed) {
  std::optional<std::uint64_t> seq;
  LiveContext ctx{req, resource, seq};
  std::string found;
  std::string missing;
  const auto answer = [&](const QName& name) -> Result<void> {
    if (computed && computed->name == name) {
      found.append(computed->element);
    } else if (const auto live = FindLive(name)) {
      auto has = AppendLive(found, *live, ctx);
      if (!has) return Fail(has.error());
      if (!*has) AppendEmptyElement(missing, name);
    } else if (const auto* property = model::FindProperty(dead, name)) {
      found.append(property->value);
    } else {
      AppendEmptyElement(missing, name);
    }
    return Ok();
  };
  switch (propfind.kind) {
    case proto::dav::PropfindKind::kProp:
      for (const auto& name : propfind.props) {
        if (auto done = answer(name); !done) return done;
      }
      break;
    case proto::dav::PropfindKind::kAllprop:
      for (const auto& entry : kLive) {
        if (!entry.in_allprop) continue;
        if (auto has = AppendLive(found, entry.live, ctx); !has) return Fail(has.error());
      }
      for (const auto& property : dead) found.append(property.value);
      break;
    case proto::dav::PropfindKind::kPropname:
      for (const auto& entry : kLive) {
        std::string ignored;
        auto has = AppendLive(ignored, entry.live, ctx);
        if (!has) return Fail(has.error());
        if (*has) AppendEmptyElement(found, {std::string(entry.ns), std::string(entry.name)});
      }
      for (const auto& property : dead) AppendEmptyElement(found, property.name);
      break;
  }
  out.append("<d:response>");
  AppendHref(out, resource.href);
  if (found.empty() && missing.empty()) {
    out.append("<d:propstat><d:prop/><d:status>").append(StatusLine(200));
    out.append("</d:status></d:propstat>");
  }
  AppendPropstat(out, found, 200);
  AppendPropstat(out, missing, 404);
  out.append("</d:response>");
  return Ok();
}

}  // namespace regie::frontend::dav
