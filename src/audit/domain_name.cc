#include "audit/domain_name.h"

#include <cctype>

#include "audit/rules.h"

namespace regie::audit {
namespace {

bool ValidLabel(std::string_view label, bool allow_underscore) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (std::size_t i = 0; i < label.size(); ++i) {
    const auto ch = static_cast<unsigned char>(label[i]);
    if (std::isalnum(ch) || ch == '-') continue;
    if (ch == '_' && allow_underscore && i == 0) continue;
    return false;
  }
  return true;
}

bool ValidName(std::string_view name, bool allow_underscore, std::size_t min_labels) {
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  std::size_t labels = 0;
  while (true) {
    const auto dot = name.find('.');
    if (!ValidLabel(name.substr(0, dot), allow_underscore)) return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return labels >= min_labels;
}

}  // namespace

Result<std::string> NormaliseDomain(std::string_view name) {
  std::string lower = Lower(name);
  if (!ValidName(lower, false, 2)) {
    return Fail(Errc::kInvalidInput, "invalid domain name", "not a valid domain name");
  }
  if (lower.ends_with('.')) lower.pop_back();
  return lower;
}

bool IsHostName(std::string_view name) { return ValidName(name, true, 1); }

}  // namespace regie::audit
