// What the store indexes about a calendar object or a vCard, so that UID checks and time-range
// queries need no parsing (DESIGN.md "The model": kind-specific index rows). Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/content.h"

namespace regie::model {

// One occurrence of a calendar component, Unix seconds UTC.
struct IndexedInstance {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

struct ObjectIndex {
  std::string uid{};
  std::string component{};  // "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"; "VCARD" for a contact.
  // The span of all instances; an absent bound is unbounded. Both absent for a vCard.
  std::optional<std::int64_t> span_start{};
  std::optional<std::int64_t> span_end{};
  bool recurring = false;
  // Times that depend on the calendar's time zone: the stored span and instances were computed
  // in UTC and a query widens them by a day before the object is checked exactly.
  bool floating = false;
  // Instances of a recurring object are listed up to here (exclusive); beyond it a query reads
  // the object itself.
  std::int64_t indexed_until = 0;
  std::vector<IndexedInstance> instances{};
};

// A time-range prefilter over indexed objects of one collection.
struct ObjectQuery {
  std::optional<std::string> component{};  // Only objects of this component.
  std::optional<std::int64_t> start{};     // [start, end) in Unix seconds; absent is unbounded.
  std::optional<std::int64_t> end{};
};

// Whether the index alone decides that an object overlaps the query's range.
enum class IndexVerdict { kMatches, kCheckObject };

struct IndexedItem {
  Item item;
  IndexVerdict verdict = IndexVerdict::kCheckObject;
};

}  // namespace regie::model
