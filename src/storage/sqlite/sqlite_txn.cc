#include "storage/sqlite/sqlite_txn.h"

#include <chrono>
#include <utility>

namespace regie::storage::sqlite {

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::unique_ptr<Txn>> SqliteTxn::Start(std::shared_ptr<ConnectionPool> pool,
                                              std::unique_ptr<Connection> conn, TxnMode mode) {
  // A read transaction stays deferred: its snapshot starts at its first read and it never takes
  // the write lock, so readers never wait for writers (WAL).
  const char* sql = mode == TxnMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN";
  std::unique_lock<std::timed_mutex> writer;
  if (mode == TxnMode::kWrite) {
    writer = pool->LockWriter(kBusyTimeout);
    if (!writer.owns_lock()) {
      pool->Release(std::move(conn));
      return Fail(Errc::kUnavailable, "sqlite: begin write transaction: busy", "server busy");
    }
  }
  // The temporary Statement is finished before `conn` can go back to the pool below.
  auto begun = conn->Prepare(sql, "begin transaction").Run();
  if (!begun) {
    pool->Release(std::move(conn));
    return Fail(begun.error());
  }
  auto txn = std::unique_ptr<SqliteTxn>(new SqliteTxn(std::move(pool), std::move(conn), mode));
  txn->writer_ = std::move(writer);
  return std::unique_ptr<Txn>(std::move(txn));
}

SqliteTxn::SqliteTxn(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> conn,
                     TxnMode mode)
    : pool_(std::move(pool)), conn_(std::move(conn)), mode_(mode) {}

SqliteTxn::~SqliteTxn() {
  if (!conn_) return;  // A committed write transaction handed its connection back already.
  if (!conn_->InAutocommit()) {
    // If the rollback fails the connection is still inside the transaction; Release() then
    // closes it, which rolls back for certain.
    (void)conn_->Prepare("ROLLBACK", "roll back transaction").Run();
  }
  pool_->Release(std::move(conn_));
}

Result<void> SqliteTxn::Commit() {
  if (committed_) return Fail(Errc::kInternal, "sqlite: commit: transaction already committed");
  if (mode_ == TxnMode::kWrite) {
    auto counted = Prepare("UPDATE store_state SET commits = commits + 1", "count commit").Run();
    if (!counted) return Fail(counted.error());
  }
  // The stamp moves before the commit becomes visible, so that what readers remembered before
  // it is stale at once, and after, so that what they read while it went on is stale too.
  if (mode_ == TxnMode::kWrite) pool_->stamp().Advance();
  // With synchronous=NORMAL, COMMIT returns once the transaction is in the WAL; the pool's
  // group commit then syncs the WAL, sharing the fsync with concurrent committers.
  auto done = conn_->Prepare("COMMIT", "commit transaction").Run();
  if (mode_ == TxnMode::kWrite) pool_->stamp().Advance();
  if (!done) return Fail(done.error());
  committed_ = true;
  if (mode_ != TxnMode::kWrite) return Ok();
  // The next writer may start while this one waits for the WAL sync, which then may cover both.
  pool_->Release(std::move(conn_));
  writer_.unlock();
  return pool_->SyncCommitted();
}

Result<std::uint64_t> SqliteTxn::CommitSequence() {
  auto commits = Prepare("SELECT commits FROM store_state", "read commit sequence").QueryInt();
  if (!commits) return Fail(commits.error());
  return static_cast<std::uint64_t>(commits->value_or(0));
}

Statement SqliteTxn::Prepare(std::string_view sql, std::string_view op) {
  if (committed_) {
    return Statement::Failed(MakeError(
        Errc::kInternal, "sqlite: " + std::string(op) + ": transaction already committed"));
  }
  // After some errors (I/O, disk full) SQLite rolls the whole transaction back by itself; running
  // on would execute each later statement in its own autocommit transaction.
  if (conn_->InAutocommit()) {
    return Statement::Failed(MakeError(
        Errc::kInternal,
        "sqlite: " + std::string(op) + ": transaction was rolled back after an earlier error"));
  }
  Statement st = conn_->Prepare(sql, op);
  if (mode_ == TxnMode::kRead && !st.ReadOnly()) {
    return Statement::Failed(
        MakeError(Errc::kInternal, "sqlite: " + std::string(op) + ": write in a read transaction"));
  }
  return st;
}

}  // namespace regie::storage::sqlite
