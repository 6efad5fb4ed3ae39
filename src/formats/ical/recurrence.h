// Recurrence expansion on libical's icalrecur_iterator, bounded: the iterator's own inner loop
// cannot be interrupted (a FREQ=SECONDLY rule whose BYMONTHDAY never matches would step through
// every second up to the year 2582), so CheckRule() decides beforehand whether one step of the
// iterator is cheap, and the walk counts the time units it covers against max_iterations.
#pragma once

#include <cstddef>
#include <functional>

#include "formats/ical/object_impl.h"

namespace regie::formats::ical {

// Never returns kNone.
RuleCheck CheckRule(const icalrecurrencetype& rule, std::size_t max_iterations);

struct Caps {
  std::size_t max_instances = 0;
  std::size_t max_iterations = 0;
};

enum class Visit { kContinue, kStop };

struct VisitResult {
  bool truncated = false;  // A cap (or an unsafe rule) stopped the walk before the window's end.
  bool endless = false;    // An RRULE without COUNT or UNTIL.
};

// Calls `visit` for each occurrence of the object that overlaps `window` (RFC 4791 §9.9):
// overrides first, then the master's instances (DTSTART, RDATEs, then the RRULE in order),
// without the EXDATEs and the overridden ones; THISANDFUTURE overrides move and restyle the
// later instances. `visit` may stop the walk.
VisitResult VisitOccurrences(const CalendarObject::Impl& object, const TimeRange& window,
                             const TimeContext& ctx, const Caps& caps,
                             const std::function<Visit(const Occurrence&)>& visit);

// The RRULE of the master, if any.
icalproperty* MasterRule(const CalendarObject::Impl& object);

}  // namespace regie::formats::ical
