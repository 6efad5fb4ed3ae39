#include "model/account.h"

#include <array>
#include <cctype>
#include <utility>

namespace regie::model {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 3> kRoleNames{{
    {Role::kOperator, "operator"},
    {Role::kOrgAdmin, "org-admin"},
    {Role::kMember, "member"},
}};

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "member";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

bool IsValidOrgName(std::string_view name) {
  if (name.empty() || name.size() > 63 || !IsLowerAlnum(name.front())) return false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

// Logins appear as one URL path segment and in e-mail addresses later, so they keep to a
// conservative alphabet: letters, digits and . _ - @ +, no leading dot.
bool IsValidLogin(std::string_view login) {
  if (login.empty() || login.size() > 128 || login.front() == '.') return false;
  for (char c : login) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                    c == '-' || c == '@' || c == '+';
    if (!ok) return false;
  }
  return true;
}

bool IsValidLoginFor(PrincipalKind kind, std::string_view login) {
  if (kind != PrincipalKind::kSystem) return IsValidLogin(login);
  return login.starts_with(kSystemLoginPrefix) && IsValidLogin(login.substr(1));
}

}  // namespace regie::model
