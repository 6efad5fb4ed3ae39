#include "formats/ical/calendar_merge.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace regie::formats::ical {
namespace {

bool StartsWithNoCase(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), line.begin(), [](char a, char b) {
    return std::toupper(static_cast<unsigned char>(a)) ==
           std::toupper(static_cast<unsigned char>(b));
  });
}

// A component of an object: its raw lines (folding kept) and, for a VTIMEZONE, its TZID.
struct Block {
  std::string text;
  std::string tzid;
  bool timezone = false;
};

// The components directly inside the VCALENDAR of `object`.
std::vector<Block> Components(std::string_view object) {
  std::vector<Block> blocks;
  int depth = 0;
  Block current;
  std::size_t pos = 0;
  while (pos < object.size()) {
    std::size_t end = object.find('\n', pos);
    if (end == std::string_view::npos) end = object.size();
    std::string_view line = object.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool continuation = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    if (!continuation && StartsWithNoCase(line, "BEGIN:")) {
      ++depth;
      if (depth == 2) current = Block{{}, {}, StartsWithNoCase(line, "BEGIN:VTIMEZONE")};
    }
    if (depth >= 2) {
      current.text.append(line).append("\r\n");
      if (depth == 2 && current.timezone && !continuation && StartsWithNoCase(line, "TZID")) {
        current.tzid = std::string(line.substr(line.find(':') + 1));
      }
    }
    if (!continuation && StartsWithNoCase(line, "END:")) {
      if (depth == 2) {
        blocks.push_back(std::move(current));
        current = Block{};
      }
      depth = std::max(0, depth - 1);
    }
  }
  return blocks;
}

}  // namespace

std::string MergeCalendars(const std::vector<std::string>& objects, std::string_view name) {
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Regie//Regie//EN\r\n";
  if (!name.empty()) {
    std::string escaped;
    for (const char c : name) {
      if (c == '\\' || c == ';' || c == ',') escaped.push_back('\\');
      if (c != '\r' && c != '\n') escaped.push_back(c);
    }
    out.append("X-WR-CALNAME:").append(escaped).append("\r\n");
  }
  std::set<std::string> zones;
  std::string components;
  for (const auto& object : objects) {
    for (auto& block : Components(object)) {
      if (!block.timezone) {
        components.append(block.text);
      } else if (zones.insert(block.tzid).second) {
        out.append(block.text);  // Time zones first, so readers know them before they are used.
      }
    }
  }
  out.append(components).append("END:VCALENDAR\r\n");
  return out;
}

}  // namespace regie::formats::ical
