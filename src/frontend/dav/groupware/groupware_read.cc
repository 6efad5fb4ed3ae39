// GET, HEAD and PROPFIND on calendar and address book homes, collections and objects. These
// run on the blocking pool (the handler resolved the target there).
#include <cctype>

#include "frontend/dav/dav_response.h"
#include "frontend/dav/groupware/groupware_properties.h"
#include "frontend/dav/groupware/groupware_request.h"
#include "frontend/http/request_body.h"
#include "proto/dav/dav_headers.h"
#include "proto/http/conditional.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

constexpr std::size_t kPage = 256;

Result<std::vector<model::DeadProperty>> DeadOf(const GroupwareRequest& req,
                                                const model::ResourceId& resource,
                                                const proto::dav::PropfindRequest& propfind) {
  const bool needed = propfind.kind != proto::dav::PropfindKind::kProp ||
                      std::any_of(propfind.props.begin(), propfind.props.end(),
                                  [](const QName& name) { return !IsGroupwareLiveProperty(name); });
  if (!needed) return std::vector<model::DeadProperty>{};
  return req.service.Properties(req.target, resource);
}

Result<void> DescribeMembers(std::string& out, const GroupwareRequest& req,
                             const model::Collection& parent,
                             const proto::dav::PropfindRequest& propfind) {
  std::string after;
  for (;;) {
    auto page = req.service.List(req.target, parent.id, after, kPage);
    if (!page) return Fail(page.error());
    if (page->empty()) return Ok();
    for (const auto& member : *page) {
      GroupwareResource resource;
      model::ResourceId id{parent.id};
      if (const auto* collection = std::get_if<model::Collection>(&member)) {
        resource = {GroupwareResource::Kind::kCollection, req.CollectionHref(collection->name),
                    collection, nullptr};
        id = collection->id;
        after = collection->name;
      } else {
        const auto& item = std::get<model::Item>(member);
        resource = {GroupwareResource::Kind::kObject,
                    req.ObjectHref(req.target.collection_name, item.name), &parent, &item};
        id = item.id;
        after = item.name;
      }
      resource.read_only = req.target.access == model::ShareAccess::kRead;
      auto dead = DeadOf(req, id, propfind);
      if (!dead) return Fail(dead.error());
      if (auto done = AppendGroupwareResponse(out, req, resource, propfind, *dead); !done) {
        return done;
      }
    }
  }
}

// The collections of others in the home: shared with its owner ("<name>_shared_by_<owner>") and
// the organisation's directory.
Result<void> DescribeShared(std::string& out, const GroupwareRequest& req,
                            const proto::dav::PropfindRequest& propfind) {
  auto shared = req.service.SharedWith(req.target);
  if (!shared) return Fail(shared.error());
  for (const auto& entry : *shared) {
    const GroupwareResource resource{GroupwareResource::Kind::kCollection,
                                     req.CollectionHref(entry.segment), &entry.collection, nullptr,
                                     entry.access == model::ShareAccess::kRead};
    auto dead = DeadOf(req, model::ResourceId{entry.collection.id}, propfind);
    if (!dead) return Fail(dead.error());
    if (auto done = AppendGroupwareResponse(out, req, resource, propfind, *dead); !done) {
      return done;
    }
  }
  return Ok();
}

Response Propfind(const GroupwareRequest& req, const proto::dav::PropfindRequest& propfind,
                  proto::dav::Depth depth) {
  const auto& t = req.target;
  GroupwareResource self;
  model::ResourceId id{t.home.id};
  if (t.names_home()) {
    self = {GroupwareResource::Kind::kHome, req.HomeHref(), &t.home, nullptr};
  } else if (t.names_collection() && t.collection) {
    self = {GroupwareResource::Kind::kCollection, req.CollectionHref(t.collection_name),
            &*t.collection, nullptr};
    id = t.collection->id;
  } else if (t.item) {
    self = {GroupwareResource::Kind::kObject, req.ObjectHref(t.collection_name, t.object_name),
            &*t.collection, &*t.item};
    id = t.item->id;
  } else {
    return DavError(MakeError(Errc::kNotFound, "no resource here", "not found"));
  }
  self.read_only = t.access == model::ShareAccess::kRead;
  std::string body(kGroupwareMultistatusOpen);
  auto dead = DeadOf(req, id, propfind);
  if (!dead) return DavError(dead.error());
  if (auto done = AppendGroupwareResponse(body, req, self, propfind, *dead); !done) {
    return DavError(done.error());
  }
  if (depth != proto::dav::Depth::kZero && self.kind != GroupwareResource::Kind::kObject) {
    if (auto done = DescribeMembers(body, req, *self.collection, propfind); !done) {
      return DavError(done.error());
    }
    if (self.kind == GroupwareResource::Kind::kHome) {
      if (auto done = DescribeShared(body, req, propfind); !done) return DavError(done.error());
    }
  }
  body.append(kMultistatusClose);
  return XmlResponse(207, std::move(body));
}

// The whole calendar (address book) as one file to save (RFC 6266 attachment).
Response Export(const GroupwareRequest& req) {
  auto text = req.service.Export(req.target);
  if (!text) return GroupwareError(req, text.error());
  const bool calendars = req.calendars();
  Response res;
  res.status = 200;
  res.headers.Set("Content-Type",
                  calendars ? "text/calendar; charset=utf-8" : "text/vcard; charset=utf-8");
  std::string file;
  for (const char c : req.target.collection_name) {
    file.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_');
  }
  res.headers.Set("Content-Disposition",
                  "attachment; filename=\"" + file + (calendars ? ".ics\"" : ".vcf\""));
  res.body = std::move(*text);
  res.omit_body = req.http.method == "HEAD";
  return res;
}

}  // namespace

Reply HandleGroupwareGet(GroupwareRequestPtr req) {
  const auto& t = req->target;
  if (t.names_collection() && t.collection && req->http.query == "export") {
    return Export(*req);
  }
  if (!t.item) {
    // A collection has no body of its own; its whole content is GET <collection>/?export.
    return DavError(MakeError(t.names_object() ? Errc::kNotFound : Errc::kMethodNotAllowed,
                              "GET without an object", t.names_object() ? "not found" : ""));
  }
  const auto preconditions = proto::http::ParsePreconditions(req->http.headers);
  Response res;
  res.headers.Set("ETag", proto::http::QuoteEtag(t.item->etag));
  res.headers.Set("Last-Modified", proto::http::FormatHttpDate(t.item->modified));
  if (!preconditions.IfMatchHolds(t.item->etag)) {
    res.status = 412;
    return res;
  }
  if (!preconditions.IfNoneMatchHolds(t.item->etag)) {
    res.status = 304;
    return res;
  }
  auto text = req->service.ReadObject(t);
  if (!text) return GroupwareError(*req, text.error());
  res.status = 200;
  res.headers.Set("Content-Type", t.item->content_type);
  res.body = std::move(*text);
  res.omit_body = req->http.method == "HEAD";
  return res;
}

Reply HandleGroupwarePropfind(GroupwareRequestPtr req) {
  // Homes are two levels deep: Depth 1 says all there is, so infinity is never needed.
  auto depth = PropfindDepth(req->http.headers, false);
  if (!depth) return DavError(depth.error());
  return http::WithBody(req->http, req->options.xml.max_bytes,
                        [req, depth = *depth](const std::string& body) -> Response {
                          auto propfind = proto::dav::ParsePropfind(body, req->options.xml);
                          if (!propfind) return DavError(propfind.error());
                          return Propfind(*req, *propfind, depth);
                        });
}

}  // namespace regie::frontend::dav
