#include "storage/localfs/localfs_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "base/counters.h"
#include "base/crypto.h"
#include "model/account.h"
#include "storage/localfs/open_blob_cache.h"
#include "storage/localfs/posix_file.h"
#include "storage/localfs/removal_gate.h"

namespace regie::storage::localfs {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempDir = "tmp";
constexpr std::string_view kGateFile = "removal.lock";
constexpr std::size_t kTempNameBytes = 16;  // 128 random bits: names never collide.

Error InvalidOrg(std::string_view org) {
  return MakeError(Errc::kInvalidInput, "localfs: invalid org name '" + std::string(org) + "'",
                   "invalid organisation name");
}

class LocalFsBlobWriter final : public BlobWriter {
 public:
  LocalFsBlobWriter(UniqueFd fd, fs::path temp, fs::path org_dir)
      : fd_(std::move(fd)), temp_(std::move(temp)), org_dir_(std::move(org_dir)) {}

  ~LocalFsBlobWriter() override {
    fd_.Reset();
    if (!temp_.empty()) ::unlink(temp_.c_str());  // Abandoned: leave no trace (contract).
  }

  Result<void> Write(std::span<const char> data) override {
    if (failed_) return Fail(*failed_);
    if (temp_.empty()) return Fail(Errc::kInternal, "localfs: write after commit");
    if (auto written = WriteAll(fd_.get(), data, "write blob"); !written) {
      failed_ = written.error();  // A partial write cannot be resumed; the blob is lost.
      return Fail(*failed_);
    }
    sha_.Update(data);
    size_ += data.size();
    StartWriteback();
    return Ok();
  }

  std::uint64_t size() const override { return size_; }

  Result<model::BlobHash> Commit() override {
    if (failed_) return Fail(*failed_);
    if (temp_.empty()) return Fail(Errc::kInternal, "localfs: commit twice");
    const model::BlobHash hash{sha_.Finish()};
    auto committed = Publish(hash);
    // Finish() consumed the digest: whatever happened, this writer cannot be used again.
    if (!committed) {
      failed_ = committed.error();
      return Fail(*failed_);
    }
    return hash;
  }

 private:
  // Moves the temporary into place as the blob `hash`, durably.
  Result<void> Publish(const model::BlobHash& hash) {
    const std::string hex = hash.Hex();
    const fs::path fan1 = org_dir_ / hex.substr(0, 2);
    const fs::path fan2 = fan1 / hex.substr(2, 2);
    const fs::path final_path = fan2 / hex;
    auto exists = PathExists(final_path);
    if (!exists) return Fail(exists.error());
    if (*exists) {
      // Same hash, same bytes: keep the existing file. Its directory entry may come from a
      // commit that crashed before its directory fsync, so fsync it before acknowledging.
      fd_.Reset();
      ::unlink(temp_.c_str());
      temp_.clear();
      return FsyncDirectory(fan2);
    }
    // The order is the durability argument, and an strace test checks it: the bytes reach the
    // disk before the name that makes them visible, and the name before Commit() returns.
    if (auto synced = FsyncFd(fd_.get(), "fsync blob"); !synced) return synced;
    if (auto closed = fd_.Close("close blob"); !closed) return closed;
    if (auto made = MakeDirectoryDurable(fan1); !made) return made;
    if (auto made = MakeDirectoryDurable(fan2); !made) return made;
    // A concurrent writer of the same bytes may have renamed first since the check above; the
    // rename then swaps in an identical file, and open readers keep the inode they have.
    if (::rename(temp_.c_str(), final_path.c_str()) != 0) {
      return Fail(SystemError(errno, "rename blob into place"));
    }
    temp_.clear();
    GlobalStoreCounters().blob_bytes_written += size_;
    return FsyncDirectory(fan2);
  }

  // Hands each completed window of a large blob to the disk while the rest still arrives, so
  // that Commit()'s fsync finds little left to write: without it a 1 GiB upload waits about as
  // long for that fsync as for its bytes. Only a hint: the fsync alone makes the blob durable.
  void StartWriteback() {
    while (size_ - writeback_from_ >= kWritebackWindow) {
      // Errors show up again, and count, at the fsync.
      (void)::sync_file_range(fd_.get(), static_cast<off64_t>(writeback_from_), kWritebackWindow,
                              SYNC_FILE_RANGE_WRITE);
      writeback_from_ += kWritebackWindow;
    }
  }

  static constexpr std::uint64_t kWritebackWindow = std::uint64_t{8} << 20;

  UniqueFd fd_;
  std::uint64_t writeback_from_ = 0;  // Bytes before this were handed to the disk.
  fs::path temp_;                     // Empty once the temporary is gone (renamed or unlinked).
  const fs::path org_dir_;
  Sha256 sha_;
  std::uint64_t size_ = 0;
  std::optional<Error> failed_;
};

// Reads with pread() at its own offset: the descriptor may be shared through the cache.
class LocalFsBlobReader final : public BlobReader {
 public:
  LocalFsBlobReader(std::shared_ptr<const OpenBlob> blob, std::uint64_t offset)
      : blob_(std::move(blob)), offset_(offset) {}

  Result<std::size_t> Read(std::span<char> out) override {
    for (;;) {
      const ssize_t n =
          ::pread(blob_->fd.get(), out.data(), out.size(), static_cast<off_t>(offset_));
      if (n >= 0) {
        offset_ += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) return Fail(SystemError(errno, "read blob"));
    }
  }

  std::uint64_t size() const override { return blob_->size; }
  int native_handle() const override { return blob_->fd.get(); }

 private:
  std::shared_ptr<const OpenBlob> blob_;
  std::uint64_t offset_;
};

class LocalFsBlobStore final : public BlobStore {
 public:
  LocalFsBlobStore(fs::path root, fs::path quarantine, fs::path gate_file,
                   const LocalFsOptions& options)
      : root_(std::move(root)),
        quarantine_(std::move(quarantine)),
        open_blobs_(options.open_blob_cache),
        gate_(std::move(gate_file)) {}

  Result<std::unique_ptr<BlobWriter>> BeginWrite(std::string_view org) override {
    if (!model::IsValidOrgName(org)) return Fail(InvalidOrg(org));
    const fs::path org_dir = root_ / org;
    if (auto made = MakeDirectoryDurable(org_dir); !made) return Fail(made.error());
    if (auto made = MakeDirectoryDurable(org_dir / kTempDir); !made) return Fail(made.error());
    fs::path temp = org_dir / kTempDir / RandomToken(kTempNameBytes);
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (!fd.valid()) return Fail(SystemError(errno, "create blob temporary"));
    return std::unique_ptr<BlobWriter>(
        new LocalFsBlobWriter(std::move(fd), std::move(temp), org_dir));
  }

  Result<std::unique_ptr<BlobReader>> Open(std::string_view org, const model::BlobHash& hash,
                                           std::uint64_t offset) override {
    if (!model::IsValidOrgName(org)) return Fail(InvalidOrg(org));
    const std::string key = CacheKey(org, hash);
    ForgetIfQuarantinedElsewhere();
    std::shared_ptr<const OpenBlob> blob = open_blobs_.Find(key);
    if (!blob) {
      UniqueFd fd(::open(BlobPath(org, hash).c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd.valid()) {
        if (errno == ENOENT) return Fail(NotFound(org, hash));
        return Fail(SystemError(errno, "open blob"));
      }
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0) return Fail(SystemError(errno, "stat blob"));
      blob = std::make_shared<const OpenBlob>(
          OpenBlob{std::move(fd), static_cast<std::uint64_t>(st.st_size)});
      open_blobs_.Insert(key, blob);
    }
    if (offset > blob->size) {
      return Fail(Errc::kInvalidInput, "localfs: offset past the end of blob " + hash.Hex(),
                  "range not satisfiable");
    }
    return std::unique_ptr<BlobReader>(new LocalFsBlobReader(std::move(blob), offset));
  }

  Result<bool> Exists(std::string_view org, const model::BlobHash& hash) override {
    if (!model::IsValidOrgName(org)) return Fail(InvalidOrg(org));
    return PathExists(BlobPath(org, hash));
  }

  Result<void> Remove(std::string_view org, const model::BlobHash& hash) override {
    if (!model::IsValidOrgName(org)) return Fail(InvalidOrg(org));
    auto permit = gate_.Permit();
    if (!permit) return Fail(permit.error());
    // No directory fsync: a removal lost to a power cut leaves an orphan the collector finds
    // again, never a dangling reference.
    open_blobs_.Erase(CacheKey(org, hash));
    if (::unlink(BlobPath(org, hash).c_str()) != 0) {
      if (errno == ENOENT) return Ok();
      return Fail(SystemError(errno, "remove blob"));
    }
    ++GlobalStoreCounters().blobs_removed;
    return Ok();
  }

  Result<void> RemoveOrg(std::string_view org) override {
    if (!model::IsValidOrgName(org)) return Fail(InvalidOrg(org));
    auto permit = gate_.Permit();
    if (!permit) return Fail(permit.error());
    open_blobs_.ErasePrefix(std::string(org) + "/");
    std::error_code ec;
    fs::remove_all(root_ / org, ec);  // Removes symlinks, never what they point to.
    if (ec) return Fail(SystemError(ec.value(), "remove org blobs"));
    return Ok();
  }

  Result<std::size_t> RemoveStaleTemporaries() override;
  Result<void> ScanBlobs(const Visitor<StoredBlob>& visit,
                         const Visitor<std::string>& stray) override;
  Result<std::string> Quarantine(std::string_view org, const model::BlobHash& hash) override;
  Result<std::unique_ptr<RemovalHold>> PermitRemovals() override { return gate_.Permit(); }
  Result<std::unique_ptr<RemovalHold>> PauseRemovals(std::chrono::milliseconds timeout) override {
    return gate_.Pause(timeout);
  }

 private:
  Result<void> ScanOrg(const fs::path& org_dir, const Visitor<StoredBlob>& visit,
                       const Visitor<std::string>& stray);

  fs::path BlobPath(std::string_view org, const model::BlobHash& hash) const {
    const std::string hex = hash.Hex();
    return root_ / org / hex.substr(0, 2) / hex.substr(2, 2) / hex;
  }

  static Error NotFound(std::string_view org, const model::BlobHash& hash) {
    return MakeError(Errc::kNotFound, "localfs: blob " + hash.Hex() + " of org '" +
                                          std::string(org) + "' not found");
  }

  static std::string CacheKey(std::string_view org, const model::BlobHash& hash) {
    std::string key(org);
    key.push_back('/');
    key.append(hash.Hex());
    return key;
  }

  // A quarantine by another process (regie scrub, regie fsck --repair) cannot evict this
  // process's cached descriptors, which would go on serving the damaged bytes: it touches the
  // epoch file instead, and readers drop the whole cache once they see it changed. They look at
  // most once a second, a stat() that costs nothing next to the opens the cache saves.
  void ForgetIfQuarantinedElsewhere() {
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto due = next_epoch_check_.load(std::memory_order_relaxed);
    if (now < due ||
        !next_epoch_check_.compare_exchange_strong(
            due, now + std::chrono::steady_clock::duration(std::chrono::seconds(1)).count())) {
      return;
    }
    struct stat st {};
    const std::int64_t epoch =
        ::stat(EpochFile().c_str(), &st) == 0
            ? static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec
            : 0;
    if (seen_epoch_.exchange(epoch) != epoch) open_blobs_.ErasePrefix("");
  }

  fs::path EpochFile() const { return quarantine_ / ".epoch"; }

  const fs::path root_;
  const fs::path quarantine_;
  OpenBlobCache open_blobs_;
  RemovalGate gate_;
  std::atomic<std::int64_t> next_epoch_check_{0};  // steady_clock ticks.
  std::atomic<std::int64_t> seen_epoch_{-1};       // The epoch file's mtime, 0 while absent.
};

Result<std::size_t> LocalFsBlobStore::RemoveStaleTemporaries() {
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator org(root_, ec), end; !ec && org != end; org.increment(ec)) {
    // Only directories named like orgs: anything else under the root is not ours to delete.
    std::error_code type_ec;
    if (!model::IsValidOrgName(org->path().filename().native()) || !org->is_directory(type_ec)) {
      continue;
    }
    const fs::path temp_dir = org->path() / kTempDir;
    std::error_code temp_ec;
    for (fs::directory_iterator temp(temp_dir, temp_ec); !temp_ec && temp != end;
         temp.increment(temp_ec)) {
      std::error_code rm_ec;
      if (fs::remove(temp->path(), rm_ec)) ++removed;
      if (rm_ec) return Fail(SystemError(rm_ec.value(), "remove stale temporary"));
    }
    if (temp_ec && temp_ec != std::errc::no_such_file_or_directory) {
      return Fail(SystemError(temp_ec.value(), "list temporaries"));
    }
  }
  if (ec) return Fail(SystemError(ec.value(), "list blob root"));
  return removed;
}

Result<void> LocalFsBlobStore::ScanBlobs(const Visitor<StoredBlob>& visit,
                                         const Visitor<std::string>& stray) {
  std::error_code ec;
  for (fs::directory_iterator org(root_, ec), end; !ec && org != end; org.increment(ec)) {
    const std::string name = org->path().filename().native();
    std::error_code type_ec;
    if (!model::IsValidOrgName(name) || !org->is_directory(type_ec)) {
      if (auto reported = stray(name); !reported) return reported;
      continue;
    }
    if (auto scanned = ScanOrg(org->path(), visit, stray); !scanned) return scanned;
  }
  if (ec) return Fail(SystemError(ec.value(), "list blob root"));
  return Ok();
}

// Walks <org>/<ab>/<cd>/<hex>: a file is a blob only where its name is a hash whose first two
// byte pairs name the directories it sits in (the path Open() would look it up by).
Result<void> LocalFsBlobStore::ScanOrg(const fs::path& org_dir, const Visitor<StoredBlob>& visit,
                                       const Visitor<std::string>& stray) {
  const std::string org = org_dir.filename().native();
  const auto relative = [&](const fs::path& p) { return p.lexically_relative(root_).native(); };
  std::error_code ec;
  for (fs::directory_iterator fan1(org_dir, ec), end; !ec && fan1 != end; fan1.increment(ec)) {
    const std::string n1 = fan1->path().filename().native();
    std::error_code e1;
    if (n1 == kTempDir) continue;
    if (n1.size() != 2 || !fan1->is_directory(e1)) {
      if (auto reported = stray(relative(fan1->path())); !reported) return reported;
      continue;
    }
    for (fs::directory_iterator fan2(fan1->path(), e1); !e1 && fan2 != end; fan2.increment(e1)) {
      const std::string n2 = fan2->path().filename().native();
      std::error_code e2;
      if (n2.size() != 2 || !fan2->is_directory(e2)) {
        if (auto reported = stray(relative(fan2->path())); !reported) return reported;
        continue;
      }
      for (fs::directory_iterator file(fan2->path(), e2); !e2 && file != end; file.increment(e2)) {
        const std::string hex = file->path().filename().native();
        const auto hash = model::BlobHash::FromHex(hex);
        std::error_code e3;
        const bool regular = file->is_regular_file(e3);
        if (!hash || hash->Hex() != hex || hex.substr(0, 2) != n1 || hex.substr(2, 2) != n2 ||
            !regular) {
          if (auto reported = stray(relative(file->path())); !reported) return reported;
          continue;
        }
        const auto size = file->file_size(e3);
        if (e3) continue;  // Removed since it was listed.
        if (auto visited = visit(StoredBlob{.org = org, .hash = *hash, .size = size}); !visited) {
          return visited;
        }
      }
      if (e2) return Fail(SystemError(e2.value(), "list blob directory"));
    }
    if (e1) return Fail(SystemError(e1.value(), "list blob directory"));
  }
  if (ec) return Fail(SystemError(ec.value(), "list org blobs"));
  return Ok();
}

Result<std::string> LocalFsBlobStore::Quarantine(std::string_view org,
                                                 const model::BlobHash& hash) {
  if (!model::IsValidOrgName(org)) return Fail(InvalidOrg(org));
  const fs::path org_dir = quarantine_ / org;
  if (auto made = MakeDirectoryDurable(quarantine_); !made) return Fail(made.error());
  if (auto made = MakeDirectoryDurable(org_dir); !made) return Fail(made.error());
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  // The time keeps every damaged copy should the same blob be quarantined twice.
  const fs::path target = org_dir / (hash.Hex() + "." + std::to_string(now));
  const fs::path source = BlobPath(org, hash);
  open_blobs_.Erase(CacheKey(org, hash));
  if (::rename(source.c_str(), target.c_str()) != 0) {
    if (errno == ENOENT) return Fail(NotFound(org, hash));
    return Fail(SystemError(errno, "move blob to quarantine"));
  }
  if (auto synced = FsyncDirectory(org_dir); !synced) return Fail(synced.error());
  if (auto synced = FsyncDirectory(source.parent_path()); !synced) return Fail(synced.error());
  // Tells servers holding the blob open (ForgetIfQuarantinedElsewhere) to let go of it.
  UniqueFd epoch(::open(EpochFile().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640));
  if (!epoch.valid() || ::futimens(epoch.get(), nullptr) != 0) {
    return Fail(SystemError(errno, "touch quarantine epoch"));
  }
  return target.native();
}

}  // namespace

Result<std::unique_ptr<BlobStore>> OpenLocalFsBlobStore(const std::filesystem::path& root,
                                                        const LocalFsOptions& options) {
  std::error_code ec;
  const bool created = fs::create_directories(root, ec);
  if (ec) return Fail(SystemError(ec.value(), "create blob root"));
  if (created) {
    fs::path absolute = fs::absolute(root);
    if (!absolute.has_filename()) absolute = absolute.parent_path();  // "DATA/blobs/"
    if (auto synced = FsyncDirectory(absolute.parent_path()); !synced) {
      return Fail(synced.error());
    }
  }
  // Beside the root, not in it: everything under the root is blobs (archivists, tests count).
  fs::path beside = fs::absolute(root);
  if (!beside.has_filename()) beside = beside.parent_path();
  beside = beside.parent_path();
  const fs::path quarantine =
      options.quarantine.empty() ? beside / "quarantine" : options.quarantine;
  return std::unique_ptr<BlobStore>(
      new LocalFsBlobStore(root, quarantine, beside / kGateFile, options));
}

}  // namespace regie::storage::localfs
