// Free-busy time (RFC 4791 §7.10, RFC 5545 §3.6.4): the busy periods of one object, and the
// VFREEBUSY answer that merges the periods of many.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <limits>

#include "formats/ical/object_impl.h"
#include "formats/ical/recurrence.h"

namespace regie::formats::ical {
namespace {

std::string Text(icalcomponent* comp, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(comp, kind);
  return p ? AsciiUpper(TakeIcalString(icalproperty_get_value_as_string_r(p))) : std::string();
}

// §7.10: transparent and cancelled events do not make anyone busy; tentative ones do, marked.
std::optional<std::string> EventBusyType(icalcomponent* event) {
  if (Text(event, ICAL_TRANSP_PROPERTY) == "TRANSPARENT") return std::nullopt;
  const std::string status = Text(event, ICAL_STATUS_PROPERTY);
  if (status == "CANCELLED") return std::nullopt;
  return status == "TENTATIVE" ? "BUSY-TENTATIVE" : "BUSY";
}

std::optional<std::string> PeriodBusyType(icalproperty* p) {
  char* fbtype = icalproperty_get_parameter_as_string_r(p, "FBTYPE");
  const std::string type = fbtype ? AsciiUpper(TakeIcalString(fbtype)) : "BUSY";
  if (type == "FREE") return std::nullopt;
  if (type == "BUSY-TENTATIVE" || type == "BUSY-UNAVAILABLE") return type;
  return "BUSY";  // RFC 5545 §3.2.9: unknown types are treated as BUSY.
}

// Appends [a, b) clipped to `range`, if anything is left.
void AddClipped(std::vector<BusyPeriod>& out, std::int64_t a, std::int64_t b,
                const TimeRange& range, std::string type) {
  if (range.start) a = std::max(a, *range.start);
  if (range.end) b = std::min(b, *range.end);
  if (b > a) out.push_back({a, b, std::move(type)});
}

std::string UtcText(std::int64_t unix) {
  const std::time_t t = static_cast<std::time_t>(unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::vector<BusyPeriod> Merge(std::vector<BusyPeriod> periods) {
  std::sort(periods.begin(), periods.end(), [](const BusyPeriod& x, const BusyPeriod& y) {
    return x.type != y.type ? x.type < y.type : x.start < y.start;
  });
  std::vector<BusyPeriod> merged;
  for (BusyPeriod& p : periods) {
    if (p.end <= p.start) continue;
    if (!merged.empty() && merged.back().type == p.type && p.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, p.end);
    } else {
      merged.push_back(std::move(p));
    }
  }
  std::sort(merged.begin(), merged.end(), [](const BusyPeriod& x, const BusyPeriod& y) {
    return x.start != y.start ? x.start < y.start : x.type < y.type;
  });
  return merged;
}

}  // namespace

std::vector<BusyPeriod> CalendarObject::FreeBusy(const TimeRange& range,
                                                 const FloatingZone& zone) const {
  std::vector<BusyPeriod> out;
  const TimeContext ctx = ContextOf(*impl_, zone);
  if (impl_->kind == ComponentKind::kFreeBusy) {
    ForEachChild(impl_->root.get(), [&](icalcomponent* comp) {
      if (icalcomponent_isa(comp) != ICAL_VFREEBUSY_COMPONENT) return;
      ForEachProperty(comp, [&](icalproperty* p) {
        if (icalproperty_isa(p) != ICAL_FREEBUSY_PROPERTY) return;
        const std::optional<std::string> type = PeriodBusyType(p);
        const icalperiodtype period = icalproperty_get_freebusy(p);
        const icaltimetype start = AttachZone(period.start, p, impl_->zones);
        const std::int64_t end = icaltime_is_null_time(period.end)
                                     ? AddDuration(start, period.duration, ctx)
                                     : ToUnix(AttachZone(period.end, p, impl_->zones), ctx);
        if (type) AddClipped(out, ToUnix(start, ctx), end, range, *type);
      });
    });
    return out;
  }
  if (impl_->kind != ComponentKind::kEvent) return out;
  const Caps caps{impl_->limits.max_instances, impl_->limits.max_iterations};
  (void)VisitOccurrences(*impl_, range, ctx, caps, [&](const Occurrence& o) {
    if (std::optional<std::string> type = EventBusyType(o.component)) {
      AddClipped(out, o.a, o.b, range, std::move(*type));
    }
    return Visit::kContinue;
  });
  return out;
}

std::string RenderFreeBusy(const std::vector<BusyPeriod>& periods, const TimeRange& range,
                           std::int64_t dtstamp) {
  std::string out =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Regie//Regie//EN\r\nBEGIN:VFREEBUSY\r\n";
  out += "DTSTAMP:" + UtcText(dtstamp) + "\r\n";
  if (range.start) out += "DTSTART:" + UtcText(*range.start) + "\r\n";
  if (range.end) out += "DTEND:" + UtcText(*range.end) + "\r\n";
  for (const BusyPeriod& p : Merge(periods)) {
    out += "FREEBUSY;FBTYPE=" + p.type + ":" + UtcText(p.start) + "/" + UtcText(p.end) + "\r\n";
  }
  out += "END:VFREEBUSY\r\nEND:VCALENDAR\r\n";
  return out;
}

std::string RenderFreeBusy(const std::vector<BusyPeriod>& periods, const TimeRange& range) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return RenderFreeBusy(periods, range,
                        std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

}  // namespace regie::formats::ical
