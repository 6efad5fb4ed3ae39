#include "audit/batch_csv.h"

#include <fmt/core.h>

namespace regie::audit {
namespace {

tl::unexpected<Error> Invalid(int line, std::string_view why) {
  const std::string reason = fmt::format("batch file line {}: {}", line, why);
  return Fail(Errc::kInvalidInput, reason, reason);
}

std::string Trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

// Reads one record starting at `pos` (RFC 4180 §2: fields separated by commas, records by CRLF
// or LF, a quoted field may hold commas, line breaks and doubled quotes).
Result<std::vector<std::string>> ReadRecord(std::string_view text, std::size_t& pos, int& line) {
  std::vector<std::string> fields(1);
  const int start_line = line;
  bool quoted = false, was_quoted = false;
  while (pos < text.size()) {
    const char ch = text[pos++];
    if (quoted) {
      if (ch == '"') {
        if (pos < text.size() && text[pos] == '"') {
          fields.back() += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (ch == '\n') ++line;
        fields.back() += ch;
      }
      continue;
    }
    if (ch == '"') {
      if (was_quoted || !Trimmed(fields.back()).empty()) {
        return Invalid(line, "a quote inside an unquoted field");
      }
      fields.back().clear();
      quoted = was_quoted = true;
    } else if (ch == ',') {
      fields.emplace_back();
      was_quoted = false;
    } else if (ch == '\n') {
      ++line;
      break;
    } else if (ch != '\r') {
      if (was_quoted && ch != ' ' && ch != '\t') {
        return Invalid(line, "text after a closing quote");
      }
      fields.back() += ch;
    }
  }
  if (quoted) return Invalid(start_line, "unterminated quoted field");
  return fields;
}

}  // namespace

Result<std::vector<BatchEntry>> ParseBatchCsv(std::string_view text) {
  std::vector<BatchEntry> out;
  std::size_t pos = 0;
  int line = 1;
  bool first_record = true;
  while (pos < text.size()) {
    if (text[pos] == '#') {
      const auto end = text.find('\n', pos);
      pos = end == std::string_view::npos ? text.size() : end + 1;
      ++line;
      continue;
    }
    const int record_line = line;
    auto fields = ReadRecord(text, pos, line);
    if (!fields) return Fail(fields.error());
    for (auto& f : *fields) f = Trimmed(f);
    if (fields->size() == 1 && (*fields)[0].empty()) continue;
    if (fields->size() > 3) return Invalid(record_line, "more than three fields");
    fields->resize(3);
    const bool header = first_record && (*fields)[0] == "domain";
    first_record = false;
    if (header) continue;
    out.push_back(BatchEntry{(*fields)[0], (*fields)[1], (*fields)[2], record_line});
  }
  return out;
}

}  // namespace regie::audit
