// REPORT on calendars and address books: calendar-query, calendar-multiget, free-busy-query
// (RFC 4791 §7.8-§7.10), addressbook-query and addressbook-multiget (RFC 6352 §8.6, §8.7) and
// sync-collection (RFC 6578) over each collection's own change log.
#include <functional>
#include <memory>
#include <optional>

#include "formats/xml/xml_element.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/groupware/groupware_properties.h"
#include "frontend/dav/groupware/groupware_request.h"
#include "frontend/http/request_body.h"
#include "proto/caldav/caldav_requests.h"
#include "proto/carddav/carddav_requests.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

// How the objects of one answer render their calendar-data or address-data.
using DataRenderer = std::function<std::optional<ComputedProperty>(const service::StoredObject&)>;

DataRenderer CalendarData(const GroupwareRequest& req,
                          const std::optional<formats::ical::CalendarDataRequest>& data) {
  if (!data) return [](const service::StoredObject&) { return std::optional<ComputedProperty>(); };
  const bool whole =
      !data->comp && !data->expand && !data->limit_recurrence_set && !data->limit_freebusy_set;
  // The calendar's time zone is read once per answer, not once per object.
  std::shared_ptr<formats::ical::FloatingZone> zone;
  if (!whole) {
    auto found = req.service.ZoneFor(req.target, std::nullopt);
    zone = std::make_shared<formats::ical::FloatingZone>(
        found ? std::move(*found) : formats::ical::FloatingZone::Utc());
  }
  return [&req, request = *data, zone](const service::StoredObject& object) {
    std::string element = "<C:calendar-data>";
    std::optional<formats::ical::CalendarObject> parsed;
    if (zone) {  // Only a selection, expansion or limit needs the object parsed.
      auto object_parsed =
          formats::ical::CalendarObject::Parse(object.text, req.service.limits().calendar);
      if (object_parsed) parsed = std::move(*object_parsed);
    }
    formats::xml::AppendEscaped(element, parsed ? parsed->Render(request, *zone) : object.text);
    element.append("</C:calendar-data>");
    return std::optional<ComputedProperty>(
        ComputedProperty{{std::string(proto::caldav::kCalDavNs), "calendar-data"}, element});
  };
}

DataRenderer AddressData(const GroupwareRequest& req,
                         const std::optional<formats::vcard::AddressDataRequest>& data) {
  if (!data) return [](const service::StoredObject&) { return std::optional<ComputedProperty>(); };
  return [&req, request = *data](const service::StoredObject& object) {
    std::string element = "<CR:address-data>";
    if (request.all_props) {
      formats::xml::AppendEscaped(element, object.text);
    } else {
      auto card = formats::vcard::Vcard::Parse(object.text, req.service.limits().vcard);
      formats::xml::AppendEscaped(element, card ? card->Render(request) : object.text);
    }
    element.append("</CR:address-data>");
    return std::optional<ComputedProperty>(
        ComputedProperty{{std::string(proto::carddav::kCardDavNs), "address-data"}, element});
  };
}

Result<void> AppendObject(std::string& out, const GroupwareRequest& req,
                          const service::StoredObject& object,
                          const proto::dav::PropfindRequest& props, const DataRenderer& data) {
  std::vector<model::DeadProperty> dead;
  const bool needs_dead =
      props.kind != proto::dav::PropfindKind::kProp ||
      std::any_of(props.props.begin(), props.props.end(), [](const QName& name) {
        return !IsGroupwareLiveProperty(name) && name.name != "calendar-data" &&
               name.name != "address-data";
      });
  if (needs_dead) {
    auto listed = req.service.Properties(req.target, model::ResourceId{object.item.id});
    if (!listed) return Fail(listed.error());
    dead = std::move(*listed);
  }
  const GroupwareResource resource{GroupwareResource::Kind::kObject,
                                   req.ObjectHref(req.target.collection_name, object.item.name),
                                   &*req.target.collection, &object.item};
  return AppendGroupwareResponse(out, req, resource, props, dead, data(object));
}

// A status-only response after the objects: a multiget's missing href (404), a truncated
// answer's request-URI (507).
struct StatusHref {
  std::string href;
  int status = 404;
};

Response Objects(const GroupwareRequest& req, const std::vector<service::StoredObject>& objects,
                 const proto::dav::PropfindRequest& props, const DataRenderer& data,
                 const std::vector<StatusHref>& statuses = {}) {
  std::string body(kGroupwareMultistatusOpen);
  for (const auto& object : objects) {
    if (auto done = AppendObject(body, req, object, props, data); !done) {
      return DavError(done.error());
    }
  }
  for (const auto& [href, status] : statuses) AppendStatusResponse(body, href, status);
  body.append(kMultistatusClose);
  return XmlResponse(207, std::move(body));
}

Response Multiget(const GroupwareRequest& req, const std::vector<std::string>& hrefs,
                  const proto::dav::PropfindRequest& props, const DataRenderer& data) {
  std::vector<std::string> names;
  std::vector<StatusHref> missing;
  for (const auto& href : hrefs) {
    if (auto name = req.ObjectNameOf(href)) {
      names.push_back(std::move(*name));
    } else {
      missing.push_back({href, 404});
    }
  }
  auto objects = req.service.Multiget(req.target, names);
  if (!objects) return GroupwareError(req, objects.error());
  for (const auto& name : names) {
    const bool found = std::any_of(objects->begin(), objects->end(),
                                   [&](const auto& o) { return o.item.name == name; });
    if (!found) missing.push_back({req.ObjectHref(req.target.collection_name, name), 404});
  }
  return Objects(req, *objects, props, data, missing);
}

// `wants_data`: the client asked for calendar-data or address-data, so texts are read.
Response Sync(const GroupwareRequest& req, const proto::dav::SyncCollectionRequest& sync,
              bool wants_data, const DataRenderer& data) {
  const auto& collection = *req.target.collection;
  std::uint64_t since = 0;
  if (!sync.sync_token.empty()) {
    auto seq = ParseGroupwareSyncToken(collection, sync.sync_token);
    if (!seq) {
      Error e = MakeError(Errc::kForbidden, "foreign sync token", "invalid sync token");
      e.condition = {"DAV:", "valid-sync-token"};
      return DavError(e);
    }
    since = *seq;
  }
  const std::size_t limit =
      std::min(sync.limit.value_or(req.options.max_sync_results), req.options.max_sync_results);
  auto changes = req.service.ChangesSince(req.target, since, limit);
  if (!changes) return GroupwareError(req, changes.error());
  if (changes->truncated && sync.limit) {
    Error e = MakeError(Errc::kTooManyResults, "sync over the client's limit", "too many results");
    e.condition = {"DAV:", "number-of-matches-within-limits"};
    return DavError(e);
  }
  // The texts of every changed object that is still there, in one read.
  std::vector<service::StoredObject> loaded;
  if (wants_data) {
    std::vector<std::string> names;
    for (const auto& change : changes->changes) {
      if (change.item) names.push_back(change.name);
    }
    auto texts = req.service.Multiget(req.target, names);
    if (!texts) return GroupwareError(req, texts.error());
    loaded = std::move(*texts);
  } else {
    for (const auto& change : changes->changes) {
      if (change.item) loaded.push_back({*change.item, {}});
    }
  }
  std::string body(kGroupwareMultistatusOpen);
  auto next = loaded.begin();
  for (const auto& change : changes->changes) {
    if (next != loaded.end() && next->item.name == change.name) {
      if (auto done = AppendObject(body, req, *next++, sync.props, data); !done) {
        return DavError(done.error());
      }
    } else {
      // RFC 6578 §3.5.2: a member that is gone, reported with 404 and no properties.
      AppendStatusResponse(body, req.ObjectHref(req.target.collection_name, change.name), 404);
    }
  }
  if (changes->truncated) {
    // RFC 6578 §3.6: more changes follow; the client asks again from the token below.
    AppendStatusResponse(body, req.CollectionHref(req.target.collection_name), 507);
  }
  body.append("<d:sync-token>");
  formats::xml::AppendEscaped(body, GroupwareSyncToken(collection, changes->seq));
  body.append("</d:sync-token>").append(kMultistatusClose);
  return XmlResponse(207, std::move(body));
}

Response FreeBusy(const GroupwareRequest& req, const formats::ical::TimeRange& range) {
  service::CalendarQuerySpec query;
  query.filter.name = "VCALENDAR";
  // Events and published free-busy components both count (§7.10): query each.
  std::vector<formats::ical::BusyPeriod> periods;
  auto zone = req.service.ZoneFor(req.target, std::nullopt);
  if (!zone) return DavError(zone.error());
  for (const char* comp : {"VEVENT", "VFREEBUSY"}) {
    formats::ical::CompFilter component;
    component.name = comp;
    component.time_range = range;
    query.filter.comps = {std::move(component)};
    auto objects = req.service.QueryCalendar(req.target, query);
    if (!objects) return GroupwareError(req, objects.error());
    for (const auto& object : *objects) {
      auto parsed =
          formats::ical::CalendarObject::Parse(object.text, req.service.limits().calendar);
      if (!parsed) continue;
      auto busy = parsed->FreeBusy(range, *zone);
      periods.insert(periods.end(), busy.begin(), busy.end());
    }
  }
  Response res;
  res.status = 200;
  res.headers.Set("Content-Type", "text/calendar; charset=utf-8");
  res.body = formats::ical::RenderFreeBusy(periods, range);
  return res;
}

Response UnsupportedReport(const QName& name) {
  Error e = MakeError(Errc::kForbidden, "unsupported report " + name.name,
                      "this report is not supported here");
  e.condition = {"DAV:", "supported-report"};
  return DavError(e);
}

Response CalendarReport(const GroupwareRequest& req, const std::string& body) {
  auto report = proto::caldav::ParseCalendarReport(body, req.options.xml);
  if (!report) return DavError(report.error());
  if (auto* unknown = std::get_if<proto::dav::UnknownReport>(&*report)) {
    return UnsupportedReport(unknown->name);
  }
  if (!req.target.collection || !req.target.names_collection()) {
    return UnsupportedReport({"DAV:", "report on a non-calendar"});
  }
  if (auto* query = std::get_if<proto::caldav::CalendarQuery>(&*report)) {
    auto objects =
        req.service.QueryCalendar(req.target, {.filter = query->filter,
                                               .timezone = query->timezone,
                                               .max_results = req.options.max_query_results});
    if (!objects) return GroupwareError(req, objects.error());
    return Objects(req, *objects, query->props, CalendarData(req, query->data));
  }
  if (auto* multiget = std::get_if<proto::caldav::CalendarMultiget>(&*report)) {
    return Multiget(req, multiget->hrefs, multiget->props, CalendarData(req, multiget->data));
  }
  if (auto* sync = std::get_if<proto::caldav::CalendarSyncCollection>(&*report)) {
    return Sync(req, sync->sync, sync->data.has_value(), CalendarData(req, sync->data));
  }
  return FreeBusy(req, std::get<proto::caldav::FreeBusyQuery>(*report).range);
}

Response AddressbookReport(const GroupwareRequest& req, const std::string& body) {
  auto report = proto::carddav::ParseAddressbookReport(body, req.options.xml);
  if (!report) return DavError(report.error());
  if (auto* unknown = std::get_if<proto::dav::UnknownReport>(&*report)) {
    return UnsupportedReport(unknown->name);
  }
  if (!req.target.collection || !req.target.names_collection()) {
    return UnsupportedReport({"DAV:", "report on a non-address book"});
  }
  if (auto* query = std::get_if<proto::carddav::AddressbookQuery>(&*report)) {
    auto result =
        req.service.QueryCards(req.target, {.filter = query->filter,
                                            .limit = query->limit,
                                            .max_results = req.options.max_query_results});
    if (!result) return GroupwareError(req, result.error());
    std::vector<StatusHref> truncated;
    if (result->truncated) {
      // RFC 6352 §8.6.1: a truncated answer says so with 507 on the request-URI.
      truncated.push_back({req.CollectionHref(req.target.collection_name), 507});
    }
    return Objects(req, result->objects, query->props, AddressData(req, query->data), truncated);
  }
  if (auto* multiget = std::get_if<proto::carddav::AddressbookMultiget>(&*report)) {
    return Multiget(req, multiget->hrefs, multiget->props, AddressData(req, multiget->data));
  }
  const auto& sync = std::get<proto::carddav::AddressbookSyncCollection>(*report);
  return Sync(req, sync.sync, sync.data.has_value(), AddressData(req, sync.data));
}

}  // namespace

Reply HandleGroupwareReport(GroupwareRequestPtr req) {
  return http::WithBody(req->http, req->options.xml.max_bytes, [req](const std::string& body) {
    return req->calendars() ? CalendarReport(*req, body) : AddressbookReport(*req, body);
  });
}

}  // namespace regie::frontend::dav
