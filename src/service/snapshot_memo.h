// Results of reads remembered for as long as the store is unchanged. Every entry carries the
// store's change stamp (storage::MetadataStore::ChangeStamp) read just before the transaction it
// came from began, and a lookup finds it only while the stamp still has that value. Every write
// commit, by this process or by another one on the same data (the CLI), moves the stamp, so a
// hit is what reading again would return, without a transaction.
//
// The stamp cannot see a commit whose writer was killed between the commit and moving the stamp
// again; entries therefore also expire after `max_age`, which bounds how long such a change can
// go unseen.
//
// All entries share one stamp: the first entry read at a newer stamp drops the older ones, and a
// memo over its byte budget starts again empty. Both are cheaper than per-entry bookkeeping on a
// path that exists to save microseconds, and a busy store refills it within a few requests.
//
// Threads: thread-safe; one short mutex per call.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace regie::service {

template <typename Value>
class SnapshotMemo {
 public:
  using Clock = std::chrono::steady_clock;

  // `max_bytes` bounds what the entries cost, as estimated by Remember()'s callers; 0 disables.
  SnapshotMemo(std::size_t max_bytes, Clock::duration max_age)
      : max_bytes_(max_bytes), max_age_(max_age) {}

  // What was remembered under `key` at `stamp`, if not older than max_age; null otherwise.
  std::shared_ptr<const Value> Find(std::uint64_t stamp, const std::string& key) const {
    if (max_bytes_ == 0) return nullptr;
    std::lock_guard lock(mu_);
    if (stamp != stamp_) return nullptr;
    auto it = entries_.find(key);
    if (it == entries_.end() || Clock::now() - it->second.read_at > max_age_) return nullptr;
    return it->second.value;
  }

  // Remembers `value`, read in a transaction begun at `stamp`, which costs about `bytes`. A value
  // read at a stamp older than the entries' is dropped: it may be stale already.
  void Remember(std::uint64_t stamp, std::string key, std::shared_ptr<const Value> value,
                std::size_t bytes) {
    if (bytes > max_bytes_) return;
    const auto now = Clock::now();
    std::lock_guard lock(mu_);
    if (stamp < stamp_) return;
    if (stamp > stamp_ || used_bytes_ + bytes > max_bytes_) {
      entries_.clear();
      used_bytes_ = 0;
      stamp_ = stamp;
    }
    auto [it, added] = entries_.insert_or_assign(std::move(key), Entry{std::move(value), now});
    if (added) used_bytes_ += bytes;
  }

 private:
  struct Entry {
    std::shared_ptr<const Value> value;
    Clock::time_point read_at;
  };

  const std::size_t max_bytes_;
  const Clock::duration max_age_;
  mutable std::mutex mu_;
  std::uint64_t stamp_ = 0;
  std::size_t used_bytes_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace regie::service
