#include "formats/ical/ical_prescan.h"

#include <string>
#include <vector>

#include "formats/ical/calendar_object.h"
#include "formats/ical/ical_internal.h"

namespace regie::formats::ical {
namespace {

bool ValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

bool NameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// A logical (unfolded) line and the number of its first physical line.
struct Line {
  std::string text;
  std::size_t number = 0;
};

std::vector<Line> Unfold(std::string_view text) {
  std::vector<Line> lines;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view physical = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
    if (!physical.empty() && (physical[0] == ' ' || physical[0] == '\t') && !lines.empty()) {
      lines.back().text.append(physical.substr(1));
    } else if (!physical.empty()) {
      lines.push_back({std::string(physical), number});
    }
  }
  return lines;
}

std::string At(const Line& line, std::string_view what) {
  return "line " + std::to_string(line.number) + ": " + std::string(what);
}

// The name of a well-formed content line, or empty.
std::string_view LineName(std::string_view line) {
  std::size_t end = 0;
  while (end < line.size() && NameChar(line[end])) ++end;
  if (end == 0 || end == line.size() || (line[end] != ';' && line[end] != ':')) return {};
  bool quoted = false;
  for (std::size_t i = end; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) return line.substr(0, end);
  }
  return {};
}

bool HasControl(std::string_view line) {
  for (char c : line) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) return true;
  }
  return false;
}

}  // namespace

Error InvalidData(const std::string& detail) {
  Error e = MakeError(Errc::kForbidden, "icalendar: " + detail, detail);
  e.condition = QName{std::string(kCalDavNs), "valid-calendar-data"};
  return e;
}

Error InvalidResource(const std::string& detail) {
  Error e = MakeError(Errc::kForbidden, "calendar object resource: " + detail, detail);
  e.condition = QName{std::string(kCalDavNs), "valid-calendar-object-resource"};
  return e;
}

Result<LineCounts> Prescan(std::string_view text, std::size_t max_components,
                           std::size_t max_properties, Calendars calendars) {
  if (!ValidUtf8(text)) return Fail(InvalidData("not UTF-8"));
  const std::vector<Line> lines = Unfold(text);
  if (lines.empty()) return Fail(InvalidData("empty"));
  std::vector<std::string> open;
  LineCounts counts;
  std::size_t calendars_seen = 0;
  for (const Line& line : lines) {
    const std::string name = AsciiUpper(LineName(line.text));
    if (name.empty() || HasControl(line.text)) return Fail(InvalidData(At(line, "not iCalendar")));
    const std::string value = AsciiUpper(line.text.substr(line.text.find(':') + 1));
    if (open.empty() && (name != "BEGIN" || value != "VCALENDAR")) {
      return Fail(
          InvalidData(At(line, calendars_seen ? "data after END:VCALENDAR" : "not iCalendar")));
    }
    if (name == "BEGIN") {
      if (open.empty() && ++calendars_seen > 1 && calendars == Calendars::kOne) {
        return Fail(InvalidData(At(line, "more than one VCALENDAR")));
      }
      if (++counts.components > max_components) return Fail(InvalidData("too many components"));
      open.push_back(value);
    } else if (name == "END") {
      if (open.back() != value) return Fail(InvalidData(At(line, "END:" + value + " unexpected")));
      open.pop_back();
    } else if (++counts.properties > max_properties) {
      return Fail(InvalidData("too many properties"));
    }
  }
  if (!open.empty()) return Fail(InvalidData("END:" + open.back() + " missing"));
  return counts;
}

}  // namespace regie::formats::ical
