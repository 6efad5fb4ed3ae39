// REGIE_CHECK(cond, why): for broken invariants (bugs). Logs and aborts in every build type.
#pragma once

namespace regie::detail {
[[noreturn]] void CheckFailed(const char* expr, const char* why, const char* file, int line);
}  // namespace regie::detail

#define REGIE_CHECK(cond, why)                                                 \
  do {                                                                         \
    if (!(cond)) ::regie::detail::CheckFailed(#cond, why, __FILE__, __LINE__); \
  } while (0)
