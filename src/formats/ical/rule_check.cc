// Whether libical's recurrence iterator can be stepped in bounded time. icalrecur_iterator_next
// loops internally, one unit of the frequency at a time, until a candidate passes every BY*
// filter; measured on libical 3.0.16, FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30 takes 11 s and the
// SECONDLY form does not finish. The day-level filters are simulated here over one Gregorian
// cycle (400 years, which also repeats the weekdays) to find the longest gap between days that
// can match.
#include <algorithm>
#include <array>

#include "formats/ical/recurrence.h"

namespace regie::formats::ical {
namespace {

constexpr int kCycleDays = 146097;  // 400 Gregorian years.

template <std::size_t N>
bool Has(const short (&values)[N]) {
  return values[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

template <std::size_t N>
bool Contains(const short (&values)[N], int a, int b) {
  for (std::size_t i = 0; i < N && values[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
    if (values[i] == a || values[i] == b) return true;
  }
  return false;
}

bool LeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && LeapYear(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

struct DayFilter {
  std::array<bool, 13> months{};
  std::array<bool, 8> weekdays{};  // icalrecurrencetype_weekday: 1 = Sunday.
  bool by_month = false;
  bool by_weekday = false;
};

DayFilter MakeFilter(const icalrecurrencetype& rule) {
  DayFilter f;
  for (std::size_t i = 0; i < ICAL_BY_MONTH_SIZE && rule.by_month[i] != ICAL_RECURRENCE_ARRAY_MAX;
       ++i) {
    const int month = icalrecurrencetype_month_month(rule.by_month[i]);
    if (month >= 1 && month <= 12) f.months[static_cast<std::size_t>(month)] = true;
    f.by_month = true;
  }
  for (std::size_t i = 0; i < ICAL_BY_DAY_SIZE && rule.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
       ++i) {
    const int weekday = icalrecurrencetype_day_day_of_week(rule.by_day[i]);
    if (weekday >= 1 && weekday <= 7) f.weekdays[static_cast<std::size_t>(weekday)] = true;
    f.by_weekday = true;
  }
  return f;
}

// The longest run of days (cyclic, over 400 years) without a day that passes BYMONTH,
// BYMONTHDAY, BYYEARDAY and the weekdays of BYDAY; -1 when no day ever passes. Ordinals of BYDAY,
// BYWEEKNO and BYSETPOS only remove days, so this is a lower bound of the real gap.
int LongestGap(const icalrecurrencetype& rule) {
  const DayFilter f = MakeFilter(rule);
  int year = 2000, month = 1, day = 1, yearday = 1, weekday = 7;  // 2000-01-01 was a Saturday.
  int first = -1, last = -1, gap = 0;
  for (int n = 0; n < kCycleDays; ++n) {
    const int mdays = DaysInMonth(year, month);
    const int ydays = LeapYear(year) ? 366 : 365;
    const bool pass =
        (!f.by_month || f.months[static_cast<std::size_t>(month)]) &&
        (!f.by_weekday || f.weekdays[static_cast<std::size_t>(weekday)]) &&
        (!Has(rule.by_month_day) || Contains(rule.by_month_day, day, day - mdays - 1)) &&
        (!Has(rule.by_year_day) || Contains(rule.by_year_day, yearday, yearday - ydays - 1));
    if (pass) {
      if (first < 0) first = n;
      if (last >= 0) gap = std::max(gap, n - last);
      last = n;
    }
    weekday = weekday % 7 + 1;
    ++yearday;
    if (++day > mdays) day = 1, ++month;
    if (month > 12) month = 1, yearday = 1, ++year;
  }
  if (first < 0) return -1;
  return std::max(gap, kCycleDays - last + first);
}

std::int64_t UnitsPerDay(icalrecurrencetype_frequency freq) {
  switch (freq) {
    case ICAL_SECONDLY_RECURRENCE:
      return kDay;
    case ICAL_MINUTELY_RECURRENCE:
      return 1440;
    case ICAL_HOURLY_RECURRENCE:
      return 24;
    default:
      return 1;
  }
}

}  // namespace

RuleCheck CheckRule(const icalrecurrencetype& rule, std::size_t max_iterations) {
  if (rule.rscale && !EqualsIgnoreCase(rule.rscale, "GREGORIAN")) return RuleCheck::kUnsafe;
  const bool day_filters =
      Has(rule.by_month) || Has(rule.by_month_day) || Has(rule.by_year_day) || Has(rule.by_day);
  const int gap = day_filters ? LongestGap(rule) : 0;
  if (gap < 0) return RuleCheck::kEmpty;
  const bool daily_or_finer =
      rule.freq >= ICAL_SECONDLY_RECURRENCE && rule.freq <= ICAL_DAILY_RECURRENCE;
  if (!daily_or_finer) return RuleCheck::kIterate;
  // Filters the simulation does not model make the gap unknown; RFC 5545 allows them only with
  // coarser frequencies anyway (BYWEEKNO: YEARLY; ordinal BYDAY: MONTHLY, YEARLY).
  bool ordinal_day = false;
  for (std::size_t i = 0; i < ICAL_BY_DAY_SIZE && rule.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
       ++i) {
    ordinal_day = ordinal_day || icalrecurrencetype_day_position(rule.by_day[i]) != 0;
  }
  if (Has(rule.by_week_no) || Has(rule.by_set_pos) || ordinal_day) return RuleCheck::kUnsafe;
  const bool time_filters = Has(rule.by_hour) || Has(rule.by_minute) || Has(rule.by_second);
  const std::int64_t days = gap + (time_filters ? 1 : 0);
  const std::int64_t step_cost = days * UnitsPerDay(rule.freq);
  return static_cast<std::size_t>(step_cost) > max_iterations ? RuleCheck::kUnsafe
                                                              : RuleCheck::kIterate;
}

}  // namespace regie::formats::ical
