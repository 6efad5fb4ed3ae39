#include "app/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/crypto.h"
#include "storage/localfs/localfs_blob_store.h"
#include "storage/sqlite/sqlite_metadata_store.h"

namespace regie::app {
namespace {

constexpr std::size_t kSecretBytes = 32;

Error SystemError(const std::string& what, const std::filesystem::path& path) {
  const std::string text = what + " " + path.string() + ": " + std::strerror(errno);
  return MakeError(Errc::kUnavailable, text, text);
}

Result<std::vector<std::uint8_t>> ReadSecret(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(SystemError("cannot open", path));
  std::vector<std::uint8_t> key(kSecretBytes + 1);
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(kSecretBytes)) {
    return Fail(Errc::kUnavailable, "damaged key file " + path.string(),
                path.string() + " is damaged (expected 32 bytes)");
  }
  key.resize(kSecretBytes);
  return key;
}

// Creates the key once, durably; a concurrent creator (the CLI beside the server) loses the
// O_EXCL race and reads the winner's key.
Result<std::vector<std::uint8_t>> LoadOrCreateSecret(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno != EEXIST) return Fail(SystemError("cannot create", path));
    return ReadSecret(path);
  }
  std::vector<std::uint8_t> key(kSecretBytes);
  RandomBytes(key);
  const bool ok =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(SystemError("cannot write", path));
  return key;
}

service::AuthOptions AuthOptionsFrom(const Config& config) {
  service::AuthOptions o;
  o.hash_cost.memory_bytes = config.auth.argon2_memory;
  o.hash_cost.passes = config.auth.argon2_passes;
  o.hash_cost.max_concurrent = config.auth.max_concurrent_hashes;
  o.cache_ttl = config.auth.cache_ttl;
  o.cache_entries = config.auth.cache_entries;
  o.account_failures = config.auth.account_failures;
  o.address_failures = config.auth.address_failures;
  o.failure_window = config.auth.failure_window;
  return o;
}

}  // namespace

Result<Services> OpenServices(const Config& config) {
  const std::filesystem::path data(config.server.data);
  std::error_code ec;
  std::filesystem::create_directories(data / "blobs", ec);
  if (ec) {
    return Fail(Errc::kUnavailable, "cannot create " + data.string() + ": " + ec.message(),
                "cannot create data directory " + data.string() + ": " + ec.message());
  }
  ::chmod(data.c_str(), 0700);  // Best effort: the directory holds every tenant's data.
  auto metadata = storage::sqlite::OpenSqliteMetadataStore(data / "regie.db");
  if (!metadata) return Fail(metadata.error());
  auto blobs = storage::localfs::OpenLocalFsBlobStore(
      data / "blobs",
      storage::localfs::LocalFsOptions{.open_blob_cache = config.server.open_blob_cache,
                                       .quarantine = data / "quarantine"});
  if (!blobs) return Fail(blobs.error());
  auto secret = LoadOrCreateSecret(data / "secret.key");
  if (!secret) return Fail(secret.error());
  Services s;
  s.metadata = std::shared_ptr<storage::MetadataStore>(std::move(*metadata));
  s.blobs = std::shared_ptr<storage::BlobStore>(std::move(*blobs));
  s.auth = std::make_shared<service::AuthService>(s.metadata, AuthOptionsFrom(config), *secret);
  s.accounts = std::make_shared<service::AccountService>(s.metadata, s.blobs, s.auth);
  s.sessions = std::make_shared<service::SessionService>(
      s.metadata, s.auth, s.accounts,
      service::SessionOptions{.idle_timeout = std::chrono::duration_cast<std::chrono::seconds>(
                                  config.session.idle_timeout),
                              .max_lifetime = std::chrono::duration_cast<std::chrono::seconds>(
                                  config.session.max_lifetime)},
      std::move(*secret));
  s.admin = std::make_shared<service::AdminService>(s.metadata, s.auth, s.accounts);
  s.keeper = std::make_shared<service::BlobKeeper>(s.metadata, s.blobs);
  s.files = std::make_shared<service::FileService>(
      s.metadata, s.keeper, s.auth,
      service::FileLimits{.max_upload_bytes = config.http.max_upload_bytes,
                          .max_name_bytes = 255,
                          .inline_blob_bytes = config.server.inline_blob_bytes,
                          .remembered_reads_bytes = config.server.read_cache_bytes});
  service::GroupwareLimits groupware;
  groupware.calendar.max_bytes = config.groupware.max_resource_size;
  groupware.calendar.max_instances = config.groupware.max_instances;
  groupware.vcard.max_bytes = config.groupware.max_resource_size;
  groupware.max_collections = config.groupware.max_collections;
  groupware.index_horizon_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(config.groupware.index_horizon).count();
  groupware.inline_blob_bytes = config.server.inline_blob_bytes;
  s.groupware =
      std::make_shared<service::GroupwareService>(s.metadata, s.keeper, s.auth, groupware);
  return s;
}

Result<int> LockDataDirectory(const std::filesystem::path& data) {
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  const auto path = data / "lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(SystemError("cannot open", path));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Fail(Errc::kLocked, "data directory locked",
                "data directory " + data.string() + " is in use by another regie process");
  }
  return fd;  // Kept open for the life of the process.
}

}  // namespace regie::app
