// CalDAV (RFC 4791) and CardDAV (RFC 6352) on /dav/calendars/<login>/ and
// /dav/addressbooks/<login>/: the handler, and the state its methods share. One file per group of
// methods: groupware_read.cc (GET, PROPFIND), groupware_write.cc (PUT, DELETE, MKCALENDAR,
// MKCOL, PROPPATCH), groupware_report.cc (REPORT), groupware_properties.cc (live properties).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "formats/xml/xml_element.h"
#include "frontend/http/route.h"
#include "model/content.h"
#include "proto/dav/dav_requests.h"
#include "proto/http/handler.h"
#include "service/groupware_service.h"

namespace regie::frontend::dav {

struct GroupwareOptions {
  formats::xml::XmlLimits xml;
  std::size_t max_sync_results = 10'000;
  std::size_t max_query_results = 10'000;
};

// One request on a calendar or address book home. Shared through a shared_ptr, because blocking
// steps outlive the call that made them.
struct GroupwareRequest {
  proto::http::Request& http;
  service::Caller caller;
  http::RouteMatch match;  // segments[0] is the owner's login.
  service::GroupwareTarget target;
  service::GroupwareService& service;
  const GroupwareOptions& options;

  bool calendars() const { return target.kind == model::CollectionKind::kCalendar; }
  // "/dav/calendars/<login>/", as the client spelled the prefix.
  std::string HomeHref() const;
  std::string CollectionHref(std::string_view collection) const;
  std::string ObjectHref(std::string_view collection, std::string_view object) const;
  // The object name that `href` (a path or absolute URI) names in the target's collection, or
  // nullopt when it names something else.
  std::optional<std::string> ObjectNameOf(std::string_view href) const;
};

using GroupwareRequestPtr = std::shared_ptr<GroupwareRequest>;

class GroupwareDavHandler final : public http::RouteHandler {
 public:
  GroupwareDavHandler(std::shared_ptr<service::GroupwareService> service,
                      model::CollectionKind kind, GroupwareOptions options);

  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

 private:
  std::shared_ptr<service::GroupwareService> service_;
  model::CollectionKind kind_;
  GroupwareOptions options_;
};

// /pub/calendars/<token>.ics: a published calendar, read-only, for anyone with the link (a
// public route: no credentials; an unknown or revoked token is 404).
class PublishedCalendarHandler final : public http::RouteHandler {
 public:
  explicit PublishedCalendarHandler(std::shared_ptr<service::GroupwareService> service)
      : service_(std::move(service)) {}
  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

 private:
  std::shared_ptr<service::GroupwareService> service_;
};

proto::http::Reply HandleGroupwareGet(GroupwareRequestPtr req);
proto::http::Reply HandleGroupwarePropfind(GroupwareRequestPtr req);
proto::http::Reply HandleGroupwarePut(GroupwareRequestPtr req);
proto::http::Reply HandleGroupwareDelete(GroupwareRequestPtr req);
proto::http::Reply HandleGroupwareMkcol(GroupwareRequestPtr req);  // MKCALENDAR and MKCOL.
proto::http::Reply HandleGroupwareProppatch(GroupwareRequestPtr req);
proto::http::Reply HandleGroupwareReport(GroupwareRequestPtr req);
proto::http::Reply HandleGroupwarePost(GroupwareRequestPtr req);  // Sharing requests.

// The error of a service call as a response; a UID conflict's condition href becomes the other
// object's href.
proto::http::Response GroupwareError(const GroupwareRequest& req, Error error);

}  // namespace regie::frontend::dav
