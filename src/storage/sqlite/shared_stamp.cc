#include "storage/sqlite/shared_stamp.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace regie::storage::sqlite {
namespace {

// Processes share the counter through the mapping: it must be a plain lock-free atomic there.
static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);

Error MapError(const std::filesystem::path& file, const char* step) {
  return MakeError(
      Errc::kInternal,
      "sqlite: " + std::string(step) + " " + file.string() + ": " + std::strerror(errno),
      "storage unavailable");
}

}  // namespace

Result<std::unique_ptr<SharedStamp>> SharedStamp::Open(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(MapError(file, "open"));
  struct stat st {};
  // A new file is zero-filled by the extension; an existing one keeps its count.
  if (::fstat(fd, &st) != 0 || (st.st_size < static_cast<off_t>(sizeof(std::uint64_t)) &&
                                ::ftruncate(fd, sizeof(std::uint64_t)) != 0)) {
    const auto error = MapError(file, "size");
    ::close(fd);
    return Fail(error);
  }
  void* mapped = ::mmap(nullptr, sizeof(std::uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int map_errno = errno;
  ::close(fd);  // The mapping stays valid without the descriptor.
  if (mapped == MAP_FAILED) {
    errno = map_errno;
    return Fail(MapError(file, "map"));
  }
  return std::unique_ptr<SharedStamp>(new SharedStamp(static_cast<std::uint64_t*>(mapped)));
}

SharedStamp::~SharedStamp() { ::munmap(counter_, sizeof(std::uint64_t)); }

std::uint64_t SharedStamp::Load() const {
  return std::atomic_ref<std::uint64_t>(*counter_).load(std::memory_order_acquire);
}

void SharedStamp::Advance() {
  std::atomic_ref<std::uint64_t>(*counter_).fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace regie::storage::sqlite
