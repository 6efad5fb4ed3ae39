// The data directory and everything opened from it: the one place that names the concrete
// storage backends (SQLite metadata, local-filesystem blobs) and wires the services.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "base/result.h"
#include "service/account_service.h"
#include "service/admin_service.h"
#include "service/auth_service.h"
#include "service/file_service.h"
#include "service/groupware_service.h"
#include "service/session_service.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace regie::app {

// Layout: DATA/regie.db (+ -wal, -shm), DATA/blobs/<org>/ab/cd/<sha256>, DATA/secret.key (keys
// the app-password digests; 0600), DATA/lock (held by `serve` and `fsck`), DATA/removal.lock
// (backups pause blob removals with it), DATA/quarantine/ (damaged blobs that scrub or fsck moved
// aside), DATA/status/ (the last scrub and backup).
struct Services {
  std::shared_ptr<storage::MetadataStore> metadata;
  std::shared_ptr<storage::BlobStore> blobs;
  std::shared_ptr<service::AuthService> auth;
  std::shared_ptr<service::BlobKeeper> keeper;  // Shared by every service that stores content.
  std::shared_ptr<service::AccountService> accounts;
  std::shared_ptr<service::SessionService> sessions;  // The web workplace's sign-ins.
  std::shared_ptr<service::AdminService> admin;
  std::shared_ptr<service::FileService> files;
  std::shared_ptr<service::GroupwareService> groupware;
};

// Creates the directory if needed and opens the stores (applying schema migrations).
Result<Services> OpenServices(const Config& config);

// An exclusive, advisory lock on DATA/lock, released when the process exits. kLocked when
// another process holds it.
Result<int> LockDataDirectory(const std::filesystem::path& data);

}  // namespace regie::app
