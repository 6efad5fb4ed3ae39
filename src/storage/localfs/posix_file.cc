#include "storage/localfs/posix_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace regie::storage::localfs {

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<void> UniqueFd::Close(std::string_view op) {
  // Linux releases the descriptor even when close() fails, so never retry it (EINTR included).
  const int rc = ::close(std::exchange(fd_, -1));
  if (rc != 0 && errno != EINTR) return Fail(SystemError(errno, op));
  return Ok();
}

Error SystemError(int err, std::string_view op) {
  const Errc code = (err == ENOSPC || err == EDQUOT) ? Errc::kUnavailable : Errc::kInternal;
  std::string message = "localfs: ";
  message.append(op).append(": ").append(std::error_code(err, std::generic_category()).message());
  return MakeError(code, std::move(message));
}

Result<void> WriteAll(int fd, std::span<const char> data, std::string_view op) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(SystemError(errno, op));
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return Ok();
}

Result<void> FsyncFd(int fd, std::string_view op) {
  if (::fsync(fd) != 0) return Fail(SystemError(errno, op));
  return Ok();
}

Result<void> FsyncDirectory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return Fail(SystemError(errno, "open directory for fsync"));
  if (auto synced = FsyncFd(fd.get(), "fsync directory"); !synced) return synced;
  return fd.Close("close directory");
}

Result<void> MakeDirectoryDurable(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0750) == 0) return FsyncDirectory(dir.parent_path());
  if (errno == EEXIST) return Ok();
  return Fail(SystemError(errno, "create directory"));
}

Result<bool> PathExists(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return Fail(SystemError(errno, "stat"));
}

}  // namespace regie::storage::localfs
