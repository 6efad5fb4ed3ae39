#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace regie::detail {

void CheckFailed(const char* expr, const char* why, const char* file, int line) {
  std::fprintf(stderr, "regie: check failed at %s:%d: %s (%s)\n", file, line, expr, why);
  std::fflush(stderr);
  std::abort();
}

}  // namespace regie::detail
