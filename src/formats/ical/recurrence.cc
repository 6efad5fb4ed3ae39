// The walk over a recurrence set (RFC 5545 §3.8.5, §3.8.4.4): DTSTART, RDATEs and the RRULE's
// instances, minus EXDATEs and overridden instances, plus the overrides themselves.
#include <algorithm>
#include <optional>
#include <set>

#include "formats/ical/recurrence.h"

namespace regie::formats::ical {
namespace {

// An override with RANGE=THISANDFUTURE: later instances move by `shift` and take its properties.
struct FutureOverride {
  std::int64_t rid = 0;
  std::int64_t shift = 0;
  icalcomponent* comp = nullptr;
  InstanceLength len;
};

bool IsThisAndFuture(icalproperty* rid) {
  icalparameter* range = icalproperty_get_first_parameter(rid, ICAL_RANGE_PARAMETER);
  return range && icalparameter_get_range(range) == ICAL_RANGE_THISANDFUTURE;
}

std::int64_t UnitSeconds(icalrecurrencetype_frequency freq) {
  switch (freq) {
    case ICAL_SECONDLY_RECURRENCE:
      return 1;
    case ICAL_MINUTELY_RECURRENCE:
      return 60;
    case ICAL_HOURLY_RECURRENCE:
      return 3600;
    case ICAL_DAILY_RECURRENCE:
      return kDay;
    default:
      return 0;  // Coarser rules: one iterator step per call is cheap enough to count as one.
  }
}

void AdjustSeconds(icaltimetype* t, std::int64_t seconds) {
  icaltime_adjust(t, static_cast<int>(seconds / kDay), 0, 0, static_cast<int>(seconds % kDay));
}

struct IteratorFree {
  void operator()(icalrecur_iterator* it) const noexcept { icalrecur_iterator_free(it); }
};
using IteratorPtr = std::unique_ptr<icalrecur_iterator, IteratorFree>;

class Walker {
 public:
  Walker(const CalendarObject::Impl& object, const TimeRange& window, const TimeContext& ctx,
         const Caps& caps, const std::function<Visit(const Occurrence&)>& visit)
      : object_(object), window_(window), ctx_(ctx), caps_(caps), visit_(visit) {}

  VisitResult Run() {
    if (!VisitOverrides() || !object_.master) return result_;
    icalcomponent* master = object_.master;
    start_ =
        PropertyTime(icalcomponent_get_first_property(master, ICAL_DTSTART_PROPERTY), *ctx_.zones);
    if (!object_.recurring || icaltime_is_null_time(start_)) {
      for (const Occurrence& o : OccurrencesOfComponent(master, ctx_)) {
        if (!Emit(o)) break;
      }
      return result_;
    }
    len_ = LengthOf(master, ctx_);
    CollectExclusions();
    if (Consider(start_, std::nullopt, Source::kExplicit) && VisitRdates()) WalkRule();
    return result_;
  }

 private:
  enum class Source { kExplicit, kRule };

  // False when the walk must stop (a cap, or the visitor said so).
  bool Emit(const Occurrence& o) {
    if (!Overlaps(o, window_)) return true;
    if (count_ >= caps_.max_instances) {
      result_.truncated = true;
      return false;
    }
    ++count_;
    return visit_(o) == Visit::kContinue;
  }

  bool VisitOverrides() {
    for (icalcomponent* comp : object_.overrides) {
      icalproperty* rid = icalcomponent_get_first_property(comp, ICAL_RECURRENCEID_PROPERTY);
      for (Occurrence o : OccurrencesOfComponent(comp, ctx_)) {
        o.in_set = true;
        o.recurrence_id = PropertyTime(rid, *ctx_.zones);
        o.recurrence_unix = ToUnix(o.recurrence_id, ctx_);
        if (!Emit(o)) return false;
      }
    }
    return true;
  }

  void CollectExclusions() {
    ForEachProperty(object_.master, [&](icalproperty* p) {
      if (icalproperty_isa(p) != ICAL_EXDATE_PROPERTY) return;
      excluded_.insert(ToUnix(AttachZone(icalproperty_get_exdate(p), p, *ctx_.zones), ctx_));
    });
    for (icalcomponent* comp : object_.overrides) {
      icalproperty* rid = icalcomponent_get_first_property(comp, ICAL_RECURRENCEID_PROPERTY);
      const std::int64_t rid_unix = ToUnix(PropertyTime(rid, *ctx_.zones), ctx_);
      excluded_.insert(rid_unix);
      if (!IsThisAndFuture(rid)) continue;
      icalproperty* start = icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY);
      const std::int64_t shift =
          start ? ToUnix(PropertyTime(start, *ctx_.zones), ctx_) - rid_unix : 0;
      futures_.push_back({rid_unix, shift, comp, LengthOf(comp, ctx_)});
    }
    std::sort(futures_.begin(), futures_.end(),
              [](const FutureOverride& x, const FutureOverride& y) { return x.rid < y.rid; });
  }

  const FutureOverride* FutureFor(std::int64_t unix) const {
    const FutureOverride* found = nullptr;
    for (const FutureOverride& f : futures_) {
      if (f.rid < unix) found = &f;
    }
    return found;
  }

  bool Consider(const icaltimetype& start, std::optional<std::int64_t> end, Source source) {
    const std::int64_t unix = ToUnix(start, ctx_);
    if (source == Source::kExplicit ? !explicit_.insert(unix).second : explicit_.count(unix) > 0) {
      return true;
    }
    if (excluded_.count(unix)) return true;
    icalcomponent* comp = object_.master;
    InstanceLength len = len_;
    icaltimetype local = start;
    if (const FutureOverride* f = FutureFor(unix)) {
      comp = f->comp;
      len = f->len;
      AdjustSeconds(&local, f->shift);
    }
    Occurrence o = OccurrenceAt(comp, local, len, ctx_);
    if (end) o.b = std::max(o.a, *end);
    o.in_set = true;
    o.recurrence_id = start;
    o.recurrence_unix = unix;
    return Emit(o);
  }

  bool VisitRdates() {
    bool go_on = true;
    ForEachProperty(object_.master, [&](icalproperty* p) {
      if (!go_on || icalproperty_isa(p) != ICAL_RDATE_PROPERTY) return;
      const icaldatetimeperiodtype rdate = icalproperty_get_rdate(p);
      if (icaltime_is_null_time(rdate.period.start)) {
        go_on = Consider(AttachZone(rdate.time, p, *ctx_.zones), std::nullopt, Source::kExplicit);
        return;
      }
      const icaltimetype start = AttachZone(rdate.period.start, p, *ctx_.zones);
      const std::int64_t end = icaltime_is_null_time(rdate.period.end)
                                   ? AddDuration(start, rdate.period.duration, ctx_)
                                   : ToUnix(AttachZone(rdate.period.end, p, *ctx_.zones), ctx_);
      go_on = Consider(start, end, Source::kExplicit);
    });
    return go_on;
  }

  // The iterator's start in the zone it computes in: floating times in the floating zone, so
  // that a UTC UNTIL compares correctly.
  icaltimetype IterationStart() const {
    icaltimetype start = start_;
    if (!start.is_date && !start.zone) start.zone = ctx_.floating;
    return start;
  }

  std::int64_t Lead() const {
    std::int64_t lead = len_.days * kDay + len_.seconds + 2 * kDay;  // 2 days: DST, leap seconds.
    for (const FutureOverride& f : futures_) lead += std::max<std::int64_t>(0, f.shift);
    return lead;
  }

  // Moves the iterator close to the window's start instead of walking there from DTSTART.
  // libical's icalrecur_iterator_set_start() is right for DAILY and coarser rules but loses the
  // INTERVAL phase of finer ones (measured), so those restart from a DTSTART moved by whole
  // intervals. Rules with COUNT must be walked from the start.
  IteratorPtr SkipAhead(IteratorPtr it, const icalrecurrencetype& rule, std::int64_t* prev) {
    if (!window_.start || rule.count > 0) return it;
    const std::int64_t target = *window_.start - Lead();
    if (target <= *prev) return it;
    icaltimetype start = IterationStart();
    const std::int64_t unit = UnitSeconds(rule.freq);
    if (unit == 0 || unit == kDay) {
      const icaltimezone* zone = start.zone ? start.zone : icaltimezone_get_utc_timezone();
      icaltimetype at =
          icaltime_from_timet_with_zone(static_cast<time_t>(target), start.is_date, zone);
      at.zone = start.zone;
      if (icalrecur_iterator_set_start(it.get(), at)) *prev = target;
      return it;
    }
    const std::int64_t step = unit * std::max<short>(1, rule.interval);
    AdjustSeconds(&start, (target - *prev) / step * step);
    IteratorPtr moved(icalrecur_iterator_new(rule, start));
    if (!moved) return it;
    *prev = ToUnix(start, ctx_);
    return moved;
  }

  void WalkRule() {
    icalproperty* prop = MasterRule(object_);
    if (!prop || object_.rule_check == RuleCheck::kEmpty) return;
    const icalrecurrencetype rule = icalproperty_get_rrule(prop);
    result_.endless = rule.count == 0 && icaltime_is_null_time(rule.until);
    IteratorPtr it(icalrecur_iterator_new(rule, IterationStart()));
    if (!it || object_.rule_check == RuleCheck::kUnsafe) {
      result_.truncated = true;
      return;
    }
    std::int64_t prev = ToUnix(start_, ctx_);
    it = SkipAhead(std::move(it), rule, &prev);
    std::int64_t min_shift = 0;
    for (const FutureOverride& f : futures_) min_shift = std::min(min_shift, f.shift);
    const std::int64_t unit = UnitSeconds(rule.freq);
    std::size_t iterations = 0;
    for (;;) {
      const icaltimetype t = icalrecur_iterator_next(it.get());
      if (icaltime_is_null_time(t)) return;
      const std::int64_t unix = ToUnix(t, ctx_);
      iterations +=
          unit ? static_cast<std::size_t>(std::max<std::int64_t>(1, (unix - prev) / unit)) : 1;
      prev = unix;
      if (iterations > caps_.max_iterations) {
        result_.truncated = true;
        return;
      }
      if (window_.end && unix > *window_.end - min_shift) return;
      if (!Consider(t, std::nullopt, Source::kRule)) return;
    }
  }

  const CalendarObject::Impl& object_;
  const TimeRange& window_;
  const TimeContext& ctx_;
  const Caps& caps_;
  const std::function<Visit(const Occurrence&)>& visit_;
  VisitResult result_;
  icaltimetype start_{};
  InstanceLength len_;
  std::set<std::int64_t> excluded_;
  std::set<std::int64_t> explicit_;
  std::vector<FutureOverride> futures_;
  std::size_t count_ = 0;
};

}  // namespace

icalproperty* MasterRule(const CalendarObject::Impl& object) {
  return object.master ? icalcomponent_get_first_property(object.master, ICAL_RRULE_PROPERTY)
                       : nullptr;
}

VisitResult VisitOccurrences(const CalendarObject::Impl& object, const TimeRange& window,
                             const TimeContext& ctx, const Caps& caps,
                             const std::function<Visit(const Occurrence&)>& visit) {
  return Walker(object, window, ctx, caps, visit).Run();
}

}  // namespace regie::formats::ical
