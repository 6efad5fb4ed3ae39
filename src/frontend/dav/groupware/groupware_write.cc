// PUT, DELETE, MKCALENDAR, MKCOL and PROPPATCH on calendars, address books and their objects.
#include "frontend/dav/dav_response.h"
#include "frontend/dav/groupware/groupware_properties.h"
#include "frontend/dav/groupware/groupware_request.h"
#include "frontend/http/request_body.h"
#include "proto/caldav/caldav_requests.h"
#include "proto/http/conditional.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

constexpr std::string_view kCardDavNs = "urn:ietf:params:xml:ns:carddav";

// Properties a client may set that the server computes: refused like any live property, with
// displayname and the collection descriptions left to the store (they are the client's).
bool Protected(const QName& name) {
  return IsGroupwareLiveProperty(name) &&
         name.name != "supported-calendar-component-set";  // Settable at MKCALENDAR only.
}

std::vector<service::PropertyChange> ChangesOf(const std::vector<proto::dav::PropertyUpdate>& set) {
  std::vector<service::PropertyChange> changes;
  changes.reserve(set.size());
  for (const auto& update : set) {
    changes.push_back({update.op == proto::dav::PatchOp::kSet ? service::PropertyOp::kSet
                                                              : service::PropertyOp::kRemove,
                       model::DeadProperty{update.name, update.value}});
  }
  return changes;
}

// RFC 5689 §3.3: an extended MKCOL must ask for the home's kind of collection.
bool ResourceTypeFits(const std::vector<QName>& type, bool calendars) {
  bool kind = false;
  for (const auto& name : type) {
    if (name == QName{"DAV:", "collection"}) continue;
    const bool ok = calendars ? name == QName{std::string(proto::caldav::kCalDavNs), "calendar"}
                              : name == QName{std::string(kCardDavNs), "addressbook"};
    if (!ok) return false;
    kind = true;
  }
  return kind;
}

Response MakeCollection(const GroupwareRequestPtr& req, const std::string& body) {
  const bool mkcalendar = req->http.method == "MKCALENDAR";
  if (mkcalendar && !req->calendars()) {
    return DavError(
        MakeError(Errc::kForbidden, "MKCALENDAR in an address book home", "not a calendar home"));
  }
  auto parsed = mkcalendar ? proto::caldav::ParseMkcalendar(body, req->options.xml)
                           : proto::caldav::ParseExtendedMkcol(body, req->options.xml);
  if (!parsed) return DavError(parsed.error());
  if (!mkcalendar && !ResourceTypeFits(parsed->resource_type, req->calendars())) {
    Error e = MakeError(Errc::kForbidden, "MKCOL of an unsupported resource type",
                        req->calendars() ? "only calendars can be made here"
                                         : "only address books can be made here");
    e.condition = {"DAV:", "valid-resourcetype"};
    return DavError(e);
  }
  for (const auto& update : parsed->set) {
    if (Protected(update.name)) {
      std::vector<std::pair<QName, int>> results;
      for (const auto& u : parsed->set) results.emplace_back(u.name, Protected(u.name) ? 403 : 424);
      Response res =
          ProppatchMultistatus(req->CollectionHref(req->target.collection_name), results, true);
      res.status = 403;  // RFC 5689 §3.4: the collection was not made.
      return res;
    }
  }
  auto made = req->service.MakeCollection(req->target, ChangesOf(parsed->set));
  if (!made) return DavError(made.error());
  Response res;
  res.status = 201;
  res.headers.Set("Location", req->CollectionHref(req->target.collection_name));
  return res;
}

}  // namespace

Reply HandleGroupwarePut(GroupwareRequestPtr req) {
  const auto& limits = req->service.limits();
  const std::size_t limit = req->calendars() ? limits.calendar.max_bytes : limits.vcard.max_bytes;
  if (req->http.content_length && *req->http.content_length > limit) {
    Error e = MakeError(Errc::kTooLarge, "object over max-resource-size", "object too large");
    e.condition = {std::string(req->calendars() ? proto::caldav::kCalDavNs : kCardDavNs),
                   "max-resource-size"};
    return DavError(e);
  }
  return http::WithBody(req->http, limit, [req](std::string body) -> Response {
    auto written = req->service.PutObject(req->target, std::move(body),
                                          req->http.headers.Get("Content-Type").value_or(""),
                                          proto::http::ParsePreconditions(req->http.headers));
    if (!written) return GroupwareError(*req, written.error());
    Response res;
    res.status = written->created ? 201 : 204;
    res.headers.Set("ETag", proto::http::QuoteEtag(written->item.etag));
    return res;
  });
}

Reply HandleGroupwareDelete(GroupwareRequestPtr req) {
  auto deleted =
      req->service.Delete(req->target, proto::http::ParsePreconditions(req->http.headers));
  if (!deleted) return GroupwareError(*req, deleted.error());
  Response res;
  res.status = 204;
  return res;
}

Reply HandleGroupwareMkcol(GroupwareRequestPtr req) {
  return http::WithBody(req->http, req->options.xml.max_bytes,
                        [req](const std::string& body) { return MakeCollection(req, body); });
}

Reply HandleGroupwarePost(GroupwareRequestPtr req) {
  // The sharing requests of CalendarServer (CS:share) and Nextcloud (o:share), and
  // CalendarServer's publish-calendar / unpublish-calendar.
  return http::WithBody(req->http, req->options.xml.max_bytes, [req](const std::string& body) {
    auto root = formats::xml::ParseXml(body, req->options.xml);
    if (root && root->Is(proto::caldav::kCalendarServerNs, "publish-calendar")) {
      auto token = req->service.Publish(req->target);
      if (!token) return DavError(token.error());
      Response res;
      res.status = 200;
      res.headers.Set("Location", "/pub/calendars/" + *token + ".ics");
      return res;
    }
    if (root && root->Is(proto::caldav::kCalendarServerNs, "unpublish-calendar")) {
      auto done = req->service.Unpublish(req->target);
      if (!done) return DavError(done.error());
      Response res;
      res.status = 200;
      return res;
    }
    auto share = proto::caldav::ParseShareRequest(body, req->options.xml);
    if (!share) return DavError(share.error());
    for (const auto& set : share->set) {
      auto done = req->service.Share(req->target, set.href,
                                     set.access == proto::caldav::ShareSet::Access::kReadWrite
                                         ? model::ShareAccess::kReadWrite
                                         : model::ShareAccess::kRead);
      if (!done) return DavError(done.error());
    }
    for (const auto& href : share->remove) {
      if (auto done = req->service.Unshare(req->target, href); !done) {
        return DavError(done.error());
      }
    }
    Response res;
    res.status = 200;
    return res;
  });
}

Reply HandleGroupwareProppatch(GroupwareRequestPtr req) {
  return http::WithBody(req->http, req->options.xml.max_bytes, [req](const std::string& body) {
    auto patch = proto::dav::ParseProppatch(body, req->options.xml);
    if (!patch) return DavError(patch.error());
    const auto& t = req->target;
    const std::string href = t.names_home() ? req->HomeHref()
                             : t.names_collection()
                                 ? req->CollectionHref(t.collection_name)
                                 : req->ObjectHref(t.collection_name, t.object_name);
    std::vector<std::pair<QName, int>> results;
    bool refused = false;
    for (const auto& update : patch->updates) {
      const bool live = IsGroupwareLiveProperty(update.name);
      refused = refused || live;
      results.emplace_back(update.name, live ? 403 : 200);
    }
    if (refused) {
      for (auto& [name, status] : results) {
        if (status == 200) status = 424;  // RFC 4918 §9.2: all or nothing.
      }
      return ProppatchMultistatus(href, results, true);
    }
    if (auto done = req->service.PatchProperties(t, ChangesOf(patch->updates)); !done) {
      return DavError(done.error());
    }
    return ProppatchMultistatus(href, results, false);
  });
}

}  // namespace regie::frontend::dav
