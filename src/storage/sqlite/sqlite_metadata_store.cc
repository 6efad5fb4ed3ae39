#include "storage/sqlite/sqlite_metadata_store.h"

#include <utility>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {
namespace {

class SqliteMetadataStore final : public MetadataStore {
 public:
  explicit SqliteMetadataStore(std::shared_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

  Result<std::unique_ptr<Txn>> Begin(TxnMode mode) override {
    auto conn = pool_->Acquire();
    if (!conn) return Fail(conn.error());
    return SqliteTxn::Start(pool_, std::move(*conn), mode);
  }

  std::uint64_t ChangeStamp() const override { return pool_->stamp().Load(); }

 private:
  // Shared with every open Txn, which hands its connection back when it dies, even if that is
  // after the store itself.
  std::shared_ptr<ConnectionPool> pool_;
};

}  // namespace

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(
    const std::filesystem::path& db_file) {
  auto stamp = SharedStamp::Open(db_file.string() + "-stamp");
  if (!stamp) return Fail(stamp.error());
  auto pool = std::make_shared<ConnectionPool>(db_file, std::move(*stamp));
  auto conn = pool->Acquire();
  if (!conn) return Fail(conn.error());
  if (auto migrated = MigrateSchema(**conn); !migrated) return Fail(migrated.error());
  pool->Release(std::move(*conn));
  if (auto synced = pool->SyncCommitted(); !synced) return Fail(synced.error());
  return std::unique_ptr<MetadataStore>(new SqliteMetadataStore(std::move(pool)));
}

}  // namespace regie::storage::sqlite
