// Keeps the most recently read blobs open, so that serving a small file costs no open(), fstat()
// and close(). Blobs never change once committed (their name is their hash), so a cached
// descriptor always reads the right bytes; Remove() and RemoveOrg() evict.
//
// Threads: thread-safe. Internal to the localfs backend.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "storage/localfs/posix_file.h"

namespace regie::storage::localfs {

struct OpenBlob {
  UniqueFd fd;
  std::uint64_t size = 0;
};

class OpenBlobCache {
 public:
  // Holds at most `capacity` descriptors; 0 disables caching.
  explicit OpenBlobCache(std::size_t capacity) : capacity_(capacity) {}

  std::shared_ptr<const OpenBlob> Find(const std::string& key);
  void Insert(const std::string& key, std::shared_ptr<const OpenBlob> blob);
  void Erase(const std::string& key);
  // Evicts every key that starts with `prefix` (an organisation's "org/").
  void ErasePrefix(std::string_view prefix);

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const OpenBlob>>;
  const std::size_t capacity_;
  std::mutex mu_;
  std::list<Entry> lru_;  // Most recently used first. Guarded by mu_.
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;  // Guarded by mu_.
};

}  // namespace regie::storage::localfs
