#include "storage/localfs/open_blob_cache.h"

namespace regie::storage::localfs {

std::shared_ptr<const OpenBlob> OpenBlobCache::Find(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void OpenBlobCache::Insert(const std::string& key, std::shared_ptr<const OpenBlob> blob) {
  if (capacity_ == 0) return;
  std::shared_ptr<const OpenBlob> evicted;  // Closed outside the lock.
  std::lock_guard lock(mu_);
  if (index_.count(key) > 0) return;
  lru_.emplace_front(key, std::move(blob));
  index_[key] = lru_.begin();
  if (lru_.size() > capacity_) {
    evicted = std::move(lru_.back().second);
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

void OpenBlobCache::Erase(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

void OpenBlobCache::ErasePrefix(std::string_view prefix) {
  std::lock_guard lock(mu_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (std::string_view(it->first).substr(0, prefix.size()) == prefix) {
      index_.erase(it->first);
      it = lru_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace regie::storage::localfs
