// Fuzz target for calendar object resources: the bytes a CalDAV PUT carries go through Parse()
// with small limits and, when accepted, through every time-based operation over a bounded
// window. Besides crashes, hangs and sanitizer reports it checks the shapes the API promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "formats/ical/calendar_object.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ical = regie::formats::ical;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ical::CalendarLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_components = 64;
  limits.max_properties = 512;
  limits.max_instances = 200;
  limits.max_iterations = 5000;
  auto object = ical::CalendarObject::Parse(text, limits);
  (void)ical::SplitCalendar(text, limits);
  if (!object) {
    REGIE_CHECK(!object.error().condition.empty(), "a refusal names its precondition");
    return 0;
  }
  const ical::FloatingZone utc = ical::FloatingZone::Utc();
  const ical::TimeRange window{946684800, 1893456000};  // 2000 to 2030.
  const ical::TimeRange span = object->Span(utc);
  REGIE_CHECK(!span.start || !span.end || *span.start <= *span.end, "a span is ordered");
  const ical::Instances instances = object->Expand(window, utc);
  REGIE_CHECK(instances.instances.size() <= limits.max_instances, "expansion is capped");
  for (const ical::Instance& i : instances.instances) REGIE_CHECK(i.end >= i.start, "end >= start");
  ical::CompFilter event;
  event.name = std::string(ical::ComponentName(object->kind()));
  event.time_range = window;
  ical::CompFilter root;
  root.name = "VCALENDAR";
  root.comps = {event};
  (void)object->Matches(root, utc);
  ical::CalendarDataRequest request;
  request.expand = ical::TimeRange{1704067200, 1735689600};  // 2024.
  (void)object->Render(request, utc);
  (void)object->FreeBusy(window, utc);
  return 0;
}
