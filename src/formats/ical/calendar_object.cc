// CalendarObject's accessors and time queries, and FloatingZone.
#include <algorithm>
#include <limits>

#include "formats/ical/ical_prescan.h"
#include "formats/ical/object_impl.h"
#include "formats/ical/recurrence.h"

namespace regie::formats::ical {
namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

bool Endless(const CalendarObject::Impl& impl) {
  icalproperty* rrule = MasterRule(impl);
  if (!rrule || impl.rule_check == RuleCheck::kEmpty) return false;
  const icalrecurrencetype rule = icalproperty_get_rrule(rrule);
  return rule.count == 0 && icaltime_is_null_time(rule.until);
}

}  // namespace

TimeContext ContextOf(const CalendarObject::Impl& impl, const FloatingZone& zone) {
  return {&impl.zones, zone.impl() ? zone.impl()->zone.get() : nullptr};
}

std::string_view ComponentName(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kEvent:
      return "VEVENT";
    case ComponentKind::kTodo:
      return "VTODO";
    case ComponentKind::kJournal:
      return "VJOURNAL";
    case ComponentKind::kFreeBusy:
      return "VFREEBUSY";
  }
  return "VEVENT";
}

std::optional<ComponentKind> ParseComponentName(std::string_view name) {
  for (ComponentKind kind : {ComponentKind::kEvent, ComponentKind::kTodo, ComponentKind::kJournal,
                             ComponentKind::kFreeBusy}) {
    if (EqualsIgnoreCase(name, ComponentName(kind))) return kind;
  }
  return std::nullopt;
}

FloatingZone::FloatingZone(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FloatingZone::FloatingZone(FloatingZone&&) noexcept = default;
FloatingZone& FloatingZone::operator=(FloatingZone&&) noexcept = default;
FloatingZone::~FloatingZone() = default;

FloatingZone FloatingZone::Utc() { return FloatingZone(std::make_unique<Impl>()); }

Result<FloatingZone> FloatingZone::Parse(std::string_view vcalendar) {
  InitLibical();
  const CalendarLimits limits;
  if (vcalendar.size() > limits.max_bytes) return Fail(InvalidData("time zone too large"));
  auto lines = Prescan(vcalendar, limits.max_components, limits.max_properties, Calendars::kOne);
  if (!lines) return Fail(lines.error());
  ComponentPtr root(icalparser_parse_string(std::string(vcalendar).c_str()));
  if (!root || icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT ||
      icalcomponent_count_errors(root.get()) > 0) {
    return Fail(InvalidData("not iCalendar"));
  }
  if (icalcomponent_count_components(root.get(), ICAL_VTIMEZONE_COMPONENT) != 1) {
    return Fail(InvalidData("calendar-timezone must hold exactly one VTIMEZONE"));
  }
  icalcomponent* vtimezone =
      icalcomponent_get_first_component(root.get(), ICAL_VTIMEZONE_COMPONENT);
  if (auto ok = CheckObservances(vtimezone); !ok) return Fail(ok.error());
  auto impl = std::make_unique<Impl>();
  impl->zone = ZoneFromComponent(vtimezone);
  if (!impl->zone) return Fail(InvalidData("VTIMEZONE is not usable"));
  return FloatingZone(std::move(impl));
}

CalendarObject::CalendarObject(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CalendarObject::CalendarObject(CalendarObject&&) noexcept = default;
CalendarObject& CalendarObject::operator=(CalendarObject&&) noexcept = default;
CalendarObject::~CalendarObject() = default;

const std::string& CalendarObject::uid() const { return impl_->uid; }
ComponentKind CalendarObject::kind() const { return impl_->kind; }
bool CalendarObject::recurring() const { return impl_->recurring; }
bool CalendarObject::floating() const { return impl_->floating; }

TimeRange CalendarObject::Span(const FloatingZone& zone) const {
  const TimeContext ctx = ContextOf(*impl_, zone);
  TimeRange window;
  const bool endless = Endless(*impl_);
  if (endless) {
    // The end is open anyway; the first instances are DTSTART, earlier RDATEs and overrides.
    icalproperty* start = icalcomponent_get_first_property(impl_->master, ICAL_DTSTART_PROPERTY);
    window.end = ToUnix(PropertyTime(start, impl_->zones), ctx) + 1;
  }
  std::int64_t lo = kMax;
  std::int64_t hi = kMin;
  const Caps caps{std::numeric_limits<std::size_t>::max(), impl_->limits.max_iterations};
  const VisitResult walked = VisitOccurrences(*impl_, window, ctx, caps, [&](const Occurrence& o) {
    const Instance instance = InstanceOf(o);
    lo = std::min(lo, instance.start);
    hi = std::max(hi, instance.end);
    return Visit::kContinue;
  });
  if (lo > hi) return TimeRange{0, 0};  // No instance at all: matches no time range.
  TimeRange span;
  if (lo != kMin) span.start = lo;
  if (hi != kMax && !endless && !walked.truncated && !walked.endless) span.end = hi;
  return span;
}

Instances CalendarObject::Expand(const TimeRange& window, const FloatingZone& zone) const {
  Instances out;
  const Caps caps{impl_->limits.max_instances, impl_->limits.max_iterations};
  const VisitResult walked =
      VisitOccurrences(*impl_, window, ContextOf(*impl_, zone), caps, [&](const Occurrence& o) {
        out.instances.push_back(InstanceOf(o));
        return Visit::kContinue;
      });
  std::sort(out.instances.begin(), out.instances.end(), [](const Instance& a, const Instance& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  out.truncated = walked.truncated;
  return out;
}

}  // namespace regie::formats::ical
