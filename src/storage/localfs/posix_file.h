// Small POSIX helpers for the localfs backend: an owning file descriptor, errno conversion and
// the fsync steps that make files and directory entries durable. Internal to the backend.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>
#include <utility>

#include "base/result.h"

namespace regie::storage::localfs {

// Owns a file descriptor; closes it on destruction. -1 means none.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes, ignoring errors (for paths that are failing or abandoning the file anyway).
  void Reset();
  // Closes and reports an error: after a write, close() may be the first to see it.
  Result<void> Close(std::string_view op);

 private:
  int fd_ = -1;
};

// Converts an errno value: ENOSPC and EDQUOT (a full disk) to kUnavailable, anything else to
// kInternal. The message names `op` and the system's reason.
Error SystemError(int err, std::string_view op);

// Writes all of `data`, retrying short writes and EINTR.
Result<void> WriteAll(int fd, std::span<const char> data, std::string_view op);

// fsync, never fdatasync: DESIGN principle 7 and the strace test of the commit order expect fsync.
Result<void> FsyncFd(int fd, std::string_view op);

// Opens `dir` and fsyncs it, making the entries created or renamed in it durable.
Result<void> FsyncDirectory(const std::filesystem::path& dir);

// Creates `dir` (its parent must exist) and, if it was new, fsyncs the parent so the new entry
// survives a power cut. An existing directory is fine.
Result<void> MakeDirectoryDurable(const std::filesystem::path& dir);

// Whether `path` exists; errors other than "no such file" are reported.
Result<bool> PathExists(const std::filesystem::path& path);

}  // namespace regie::storage::localfs
