// Calendar objects and vCards: validation, writes with their index rows, reads and queries.
#include <algorithm>
#include <chrono>

#include "base/counters.h"
#include "service/groupware_properties.h"
#include "service/groupware_service.h"
#include "service/quota.h"

namespace regie::service {

using namespace groupware_detail;  // NOLINT(google-build-using-namespace): the service's own.

namespace {

Error NotFound(std::string message) {
  return MakeError(Errc::kNotFound, std::move(message), "not found");
}

Result<formats::ical::CalendarObject> ParseCalendar(std::string_view text,
                                                    const formats::ical::CalendarLimits& limits) {
  GlobalParseCounters().calendar_objects.fetch_add(1, std::memory_order_relaxed);
  return formats::ical::CalendarObject::Parse(text, limits);
}

Result<formats::vcard::Vcard> ParseCard(std::string_view text,
                                        const formats::vcard::VcardLimits& limits) {
  GlobalParseCounters().vcards.fetch_add(1, std::memory_order_relaxed);
  return formats::vcard::Vcard::Parse(text, limits);
}

// The media type without parameters, lower-cased.
std::string BaseMediaType(std::string_view content_type) {
  std::string base(content_type.substr(0, content_type.find(';')));
  while (!base.empty() && (base.back() == ' ' || base.back() == '\t')) base.pop_back();
  std::transform(base.begin(), base.end(), base.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return base;
}

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A filter that tests nothing but the time range of one component type, which the index
// answers: VCALENDAR > VEVENT with a time-range.
bool IsPlainTimeRange(const formats::ical::CompFilter& filter) {
  if (filter.is_not_defined || filter.time_range || !filter.props.empty()) return false;
  if (filter.comps.size() != 1) return false;
  const auto& comp = filter.comps.front();
  return !comp.is_not_defined && comp.props.empty() && comp.comps.empty();
}

// The index query for a filter: the component and time range of its one component filter.
model::ObjectQuery IndexQueryFor(const formats::ical::CompFilter& filter) {
  model::ObjectQuery query;
  if (filter.comps.size() != 1 || filter.comps.front().is_not_defined) return query;
  const auto& comp = filter.comps.front();
  if (formats::ical::ParseComponentName(comp.name)) query.component = comp.name;
  if (comp.time_range) {
    query.start = comp.time_range->start;
    query.end = comp.time_range->end;
  }
  return query;
}

}  // namespace

Result<formats::ical::FloatingZone> GroupwareService::ZoneFor(
    const GroupwareTarget& target, const std::optional<std::string>& timezone) {
  if (timezone) return formats::ical::FloatingZone::Parse(*timezone);
  if (!target.collection) return formats::ical::FloatingZone::Utc();
  auto properties = Properties(target, model::ResourceId{target.collection->id});
  if (!properties) return Fail(properties.error());
  if (const auto* tz = FindProperty(*properties, CalDav("calendar-timezone"))) {
    if (auto text = PropertyText(tz->value)) {
      if (auto zone = formats::ical::FloatingZone::Parse(*text)) return std::move(*zone);
    }
  }
  return formats::ical::FloatingZone::Utc();
}

Result<model::ObjectIndex> GroupwareService::CheckObject(const GroupwareTarget& target,
                                                         std::string_view body,
                                                         std::string_view content_type) {
  const std::string media = BaseMediaType(content_type);
  if (target.kind == model::CollectionKind::kAddressBook) {
    if (!media.empty() && media != "text/vcard" && media != "text/x-vcard") {
      return Fail(Errc::kUnsupportedMediaType, "PUT of " + media + " into an address book",
                  "address books take text/vcard", CardDav("supported-address-data"));
    }
    auto card = ParseCard(body, limits_.vcard);
    if (!card) return Fail(card.error());
    return model::ObjectIndex{.uid = card->uid(), .component = "VCARD"};
  }
  if (!media.empty() && media != "text/calendar") {
    return Fail(Errc::kUnsupportedMediaType, "PUT of " + media + " into a calendar",
                "calendars take text/calendar", CalDav("supported-calendar-data"));
  }
  auto object = ParseCalendar(body, limits_.calendar);
  if (!object) return Fail(object.error());
  auto supported = SupportedComponents(target, *target.collection);
  if (!supported) return Fail(supported.error());
  if (std::find(supported->begin(), supported->end(), object->kind()) == supported->end()) {
    return Fail(Errc::kForbidden, "component not supported by the calendar",
                std::string(formats::ical::ComponentName(object->kind())) +
                    " is not supported by this calendar",
                CalDav("supported-calendar-component"));
  }
  auto zone = ZoneFor(target, std::nullopt);
  if (!zone) return Fail(zone.error());
  const auto span = object->Span(*zone);
  model::ObjectIndex index{.uid = object->uid(),
                           .component = std::string(formats::ical::ComponentName(object->kind())),
                           .span_start = span.start,
                           .span_end = span.end,
                           .recurring = object->recurring(),
                           .floating = object->floating()};
  if (index.recurring) {
    // Instances are indexed from the first up to the horizon; a cap that stops the expansion
    // earlier moves the horizon back to the last instance listed.
    const std::int64_t horizon = UnixNow() + limits_.index_horizon_seconds;
    const std::int64_t from = span.start.value_or(horizon);
    index.indexed_until = horizon;
    if (from < horizon) {
      auto expanded = object->Expand({.start = from, .end = horizon}, *zone);
      for (const auto& instance : expanded.instances) {
        index.instances.push_back({instance.start, instance.end});
      }
      if (expanded.truncated) {
        index.indexed_until = index.instances.empty() ? from : index.instances.back().start;
        // Instances starting exactly at the new horizon may be missing: exclude it.
        if (!index.instances.empty()) index.instances.pop_back();
      }
    }
  }
  return index;
}

Result<WriteOutcome> GroupwareService::PutObject(const GroupwareTarget& target, std::string body,
                                                 std::string_view content_type,
                                                 const model::Preconditions& preconditions) {
  if (!target.names_object()) {
    return Fail(Errc::kMethodNotAllowed, "PUT onto a collection", "a collection exists here");
  }
  if (!target.collection) {
    return Fail(Errc::kConflict, "PUT into missing collection " + target.collection_name,
                "the collection does not exist");
  }
  if (auto writable = RequireWritable(target); !writable) return Fail(writable.error());
  auto key = NameKey(target.object_name);
  if (!key) return Fail(key.error());
  auto index = CheckObject(target, body, content_type);
  if (!index) return Fail(index.error());

  auto pin = keeper_->Pin();
  auto stored = keeper_->Store(target.org, std::move(body), limits_.inline_blob_bytes);
  if (!stored) return Fail(stored.error());
  auto write = [&]() -> Result<storage::PutItemOutcome> {
    auto w = metadata_->Begin(storage::TxnMode::kWrite);
    if (!w) return Fail(w.error());
    auto& t = **w;
    auto current = t.FindItem(target.org.id, target.collection->id, target.object_name);
    if (!current && current.error().code != Errc::kNotFound) return Fail(current.error());
    if (!preconditions.Allow(current ? std::optional<std::string_view>(current->etag)
                                     : std::nullopt)) {
      return Fail(Errc::kPreconditionFailed, "precondition failed on " + target.object_name,
                  "precondition failed");
    }
    // RFC 4791 §5.3.2.1 and RFC 6352 §6.3.2.1: a UID names one object of a collection, and an
    // object keeps its UID.
    auto same_uid = t.FindByUid(target.org.id, target.collection->id, index->uid);
    if (!same_uid && same_uid.error().code != Errc::kNotFound) return Fail(same_uid.error());
    const bool clash = same_uid ? same_uid->name != target.object_name : current.has_value();
    if (clash) {
      Error e = MakeError(Errc::kForbidden, "uid conflict on " + target.object_name,
                          same_uid ? "another object of this collection has this UID"
                                   : "an object's UID cannot change");
      e.condition = target.kind == model::CollectionKind::kCalendar ? CalDav("no-uid-conflict")
                                                                    : CardDav("no-uid-conflict");
      if (same_uid) e.condition_href = same_uid->name;  // The front end makes it an href.
      return Fail(std::move(e));
    }
    // Objects count against the collection owner's quota, also when a sharee writes them.
    const model::Principal& payer = target.sharer ? *target.sharer : target.owner;
    auto quota = RemainingQuota(t, payer, target.org, current ? current->size : 0);
    if (!quota) return Fail(quota.error());
    if (stored->size > *quota) {
      return Fail(Errc::kQuotaExceeded, "quota exceeded", "not enough storage quota");
    }
    auto put = t.PutItem({.org = target.org.id,
                          .collection = target.collection->id,
                          .name = target.object_name,
                          .blob = stored->hash,
                          .size = stored->size,
                          .content_type = target.kind == model::CollectionKind::kCalendar
                                              ? "text/calendar; charset=utf-8"
                                              : "text/vcard; charset=utf-8",
                          .name_key = *key,
                          .inline_content = stored->inline_content});
    if (!put) return Fail(put.error());
    if (auto indexed = t.SetObjectIndex(target.org.id, put->item.id, *index); !indexed) {
      return Fail(indexed.error());
    }
    if (auto done = t.Commit(); !done) return Fail(done.error());
    return put;
  };
  auto outcome = write();
  pin.unlock();
  if (!outcome) {
    keeper_->Release(target.org, {stored->hash});
    return Fail(outcome.error());
  }
  if (outcome->released) keeper_->Release(target.org, {*outcome->released});
  return WriteOutcome{outcome->item, outcome->created};
}

Result<std::string> GroupwareService::TextOf(storage::Txn& txn, const model::Org& org,
                                             const model::Item& item) {
  if (item.size <= kLargestInlineBlob) {
    auto content = txn.InlineContent(org.id, item.blob);
    if (!content) return Fail(content.error());
    if (*content) return std::move(**content);
  }
  return keeper_->ReadAll(org, item);
}

Result<std::string> GroupwareService::ReadObject(const GroupwareTarget& target) {
  if (!target.item) return Fail(NotFound("no object " + target.object_name));
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return TextOf(**txn, target.org, *target.item);
}

Result<std::vector<StoredObject>> GroupwareService::Multiget(
    const GroupwareTarget& target, const std::vector<std::string>& names) {
  if (!target.collection) return Fail(NotFound("no collection " + target.collection_name));
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto found = (*txn)->FindItems(target.org.id, target.collection->id, names);
  if (!found) return Fail(found.error());
  std::vector<StoredObject> out;
  out.reserve(found->size());
  for (auto& [item, content] : *found) {
    if (content) {
      out.push_back({std::move(item), std::move(*content)});
      continue;
    }
    auto text = keeper_->ReadAll(target.org, item);
    if (!text) return Fail(text.error());
    out.push_back({std::move(item), std::move(*text)});
  }
  return out;
}

Result<std::vector<StoredObject>> GroupwareService::QueryCalendar(const GroupwareTarget& target,
                                                                  const CalendarQuerySpec& query) {
  if (!target.collection) return Fail(NotFound("no collection " + target.collection_name));
  auto zone = ZoneFor(target, query.timezone);
  if (!zone) return Fail(zone.error());
  const bool index_decides = IsPlainTimeRange(query.filter);
  const model::ObjectQuery index_query = IndexQueryFor(query.filter);
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  std::vector<StoredObject> out;
  std::string after;
  for (;;) {
    auto page = (*txn)->QueryObjects(target.org.id, target.collection->id, index_query, after, 500);
    if (!page) return Fail(page.error());
    if (page->empty()) break;
    after = page->back().item.name;
    for (auto& hit : *page) {
      auto text = TextOf(**txn, target.org, hit.item);
      if (!text) return Fail(text.error());
      if (!index_decides || hit.verdict != model::IndexVerdict::kMatches) {
        auto object = ParseCalendar(*text, limits_.calendar);
        // A stored object that no longer parses (limits lowered since) matches nothing.
        if (!object || !object->Matches(query.filter, *zone)) continue;
      }
      if (out.size() == query.max_results) {
        return Fail(Errc::kTooManyResults, "calendar-query over its result limit",
                    "too many results", {std::string(kDavNs), "number-of-matches-within-limits"});
      }
      out.push_back({std::move(hit.item), std::move(*text)});
    }
  }
  return out;
}

Result<CardQueryResult> GroupwareService::QueryCards(const GroupwareTarget& target,
                                                     const CardQuerySpec& query) {
  if (!target.collection) return Fail(NotFound("no collection " + target.collection_name));
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  CardQueryResult out;
  std::string after;
  for (;;) {
    auto page = (*txn)->QueryObjects(target.org.id, target.collection->id, {}, after, 500);
    if (!page) return Fail(page.error());
    if (page->empty()) break;
    after = page->back().item.name;
    for (auto& hit : *page) {
      auto text = TextOf(**txn, target.org, hit.item);
      if (!text) return Fail(text.error());
      auto card = ParseCard(*text, limits_.vcard);
      if (!card || !card->Matches(query.filter)) continue;
      if (query.limit && out.objects.size() == *query.limit) {
        out.truncated = true;
        return out;
      }
      if (out.objects.size() == query.max_results) {
        return Fail(Errc::kTooManyResults, "addressbook-query over its result limit",
                    "too many results", {std::string(kDavNs), "number-of-matches-within-limits"});
      }
      out.objects.push_back({std::move(hit.item), std::move(*text)});
    }
  }
  return out;
}

}  // namespace regie::service
