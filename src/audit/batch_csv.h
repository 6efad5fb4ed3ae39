// The batch file of `regie audit --batch`: CSV (RFC 4180) with one domain a line and optional
// name and category columns, an optional header `domain,name,category`, and `#` comment lines
// (a line whose first character is `#`, outside any quoted field). Pure; no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace regie::audit {

struct BatchEntry {
  std::string domain;
  std::string name;
  std::string category;
  int line = 0;  // 1-based line of the record in the file, for messages.
};

// Parses the whole file. Fails (Errc::kInvalidInput, detail naming the line) on an unterminated
// quote, a quote inside an unquoted field, or a record with more than three fields. Empty lines
// are skipped; a domain that is not a valid name is kept, for the audit to report per domain.
Result<std::vector<BatchEntry>> ParseBatchCsv(std::string_view text);

}  // namespace regie::audit
