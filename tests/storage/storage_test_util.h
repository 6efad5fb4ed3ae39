// Helpers shared by the storage conformance suites: a scratch directory per test, and terse ways
// to unwrap a Result or check its error code.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "base/result.h"
#include "model/content.h"

namespace regie::storage::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Whether a backend that is not configured may be skipped: never under CI, where a skipped
// backend would count as passing (STYLE.md §7).
bool SkippingAllowed();

// Unwraps `r`, or records a failure at the caller's line and throws, which GoogleTest reports
// as a failure of the current test and which ends it. A macro for __FILE__ and __LINE__:
// std::source_location needs clang 15, and CI builds with clang 14 too.
#define MUST(expr) ::regie::storage::testing::MustAt((expr), __FILE__, __LINE__)

template <typename T>
T MustAt(Result<T> r, const char* file, int line) {
  if (!r) {
    ADD_FAILURE_AT(file, line) << ErrcName(r.error().code) << ": " << r.error().message;
    throw std::runtime_error("required result failed");
  }
  if constexpr (std::is_void_v<T>) {
    return;
  } else {
    return std::move(*r);
  }
}

// Success if `r` failed with `code`.
template <typename T>
::testing::AssertionResult FailsWith(const Result<T>& r, Errc code) {
  if (r) return ::testing::AssertionFailure() << "succeeded; expected " << ErrcName(code);
  if (r.error().code != code) {
    return ::testing::AssertionFailure() << "failed with " << ErrcName(r.error().code) << " ("
                                         << r.error().message << "); expected " << ErrcName(code);
  }
  return ::testing::AssertionSuccess();
}

// The SHA-256 of `content` as a BlobHash.
model::BlobHash HashOf(std::string_view content);

}  // namespace regie::storage::testing
