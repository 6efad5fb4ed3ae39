// `regie backup --data DATA OUT`, `regie backup --verify OUT` and `regie restore --data DATA IN`.
//
// A backup is a directory: regie.db (one SQLite file, a snapshot of one commit), blobs/ (the
// blobs that snapshot references, laid out as in DATA), secret.key and manifest.json (written
// last: a backup without it is incomplete). It runs beside `regie serve`: blob removals pause
// (BlobStore::PauseRemovals, across processes) from before the snapshot until every blob it
// references is copied, so the copy holds each write the snapshot holds, whole.
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "app/maintenance.h"
#include "base/units.h"
#include "service/blob_copy.h"
#include "storage/localfs/localfs_blob_store.h"
#include "storage/sqlite/sqlite_backup.h"
#include "storage/sqlite/sqlite_metadata_store.h"

namespace regie::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kManifestFormat = "regie-backup-1";
// Removals in flight (one transaction and its unlinks) finish well within this.
constexpr std::chrono::seconds kPauseTimeout{60};

struct BackupArgs {
  std::string dir;
  bool verify = false;
};

Error UsageError(const std::string& text) { return MakeError(Errc::kInvalidInput, text, text); }

bool IsEmptyOrAbsent(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

// The metadata and blob stores of a backup (or of a data directory), opened directly.
struct Stores {
  std::unique_ptr<storage::MetadataStore> metadata;
  std::unique_ptr<storage::BlobStore> blobs;
};

Result<Stores> OpenStores(const fs::path& dir) {
  auto metadata = storage::sqlite::OpenSqliteMetadataStore(dir / "regie.db");
  if (!metadata) return Fail(metadata.error());
  auto blobs = storage::localfs::OpenLocalFsBlobStore(
      dir / "blobs",
      storage::localfs::LocalFsOptions{.open_blob_cache = 0, .quarantine = dir / "quarantine"});
  if (!blobs) return Fail(blobs.error());
  return Stores{std::move(*metadata), std::move(*blobs)};
}

Result<void> CopySecret(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, ec);
  if (!ec) fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (ec) return Fail(Errc::kUnavailable, "cannot copy " + from.string() + ": " + ec.message());
  return Ok();
}

Result<void> WriteManifest(const fs::path& dir, const boost::json::object& manifest) {
  const fs::path temp = dir / "manifest.json.tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << boost::json::serialize(manifest) << "\n";
    out.flush();
    if (!out) return Fail(Errc::kUnavailable, "cannot write " + temp.string());
  }
  std::error_code ec;
  fs::rename(temp, dir / "manifest.json", ec);
  if (ec) return Fail(Errc::kUnavailable, "cannot write manifest: " + ec.message());
  return Ok();
}

Result<boost::json::object> ReadManifest(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json");
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto value = boost::json::parse(text.str(), ec);
  const auto* format = value.is_object() ? value.as_object().if_contains("format") : nullptr;
  if (!in || ec || format == nullptr || !format->is_string() ||
      format->as_string() != kManifestFormat) {
    const std::string why =
        dir.string() + " is not a complete Regie backup (no valid manifest.json)";
    return Fail(Errc::kNotFound, why, why);
  }
  return value.as_object();
}

void PrintFindings(const service::IntegrityReport& report) {
  for (const auto& f : report.findings) {
    std::cout << "problem: " << f.kind << ": " << f.object << ": " << f.detail << "\n";
  }
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The snapshot and the blobs it references, under a pause of removals. Returns the copy report.
Result<service::IntegrityReport> Snapshot(const fs::path& data, Services& live, const fs::path& out,
                                          std::uint64_t& seq) {
  auto pause = live.blobs->PauseRemovals(kPauseTimeout);
  if (!pause) return Fail(pause.error());
  if (auto done = storage::sqlite::SnapshotDatabase(data / "regie.db", out / "regie.db"); !done) {
    return Fail(done.error());
  }
  auto backup = OpenStores(out);
  if (!backup) return Fail(backup.error());
  auto copied = service::CopyReferencedBlobs(*backup->metadata, *live.blobs, *backup->blobs);
  pause->reset();  // Every referenced blob is copied: the server may collect again.
  if (!copied) return copied;
  auto snapshot_seq = service::SnapshotSequence(*backup->metadata);
  if (!snapshot_seq) return Fail(snapshot_seq.error());
  seq = *snapshot_seq;
  backup->metadata.reset();
  if (auto sealed = storage::sqlite::SealSnapshot(out / "regie.db"); !sealed) {
    return Fail(sealed.error());
  }
  return copied;
}

Result<void> Backup(const Config& config, const fs::path& out, CliState& state) {
  const fs::path data(config.server.data);
  std::error_code exists_ec;
  if (!fs::exists(data / "regie.db", exists_ec)) {
    return Fail(UsageError(data.string() + " is not a Regie data directory"));
  }
  if (!IsEmptyOrAbsent(out)) return Fail(UsageError(out.string() + " must be empty or absent"));
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return Fail(UsageError("cannot create " + out.string() + ": " + ec.message()));
  auto live = OpenServices(config);
  if (!live) return Fail(live.error());
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t seq = 0;
  auto copied = Snapshot(data, *live, out, seq);
  if (!copied) return Fail(copied.error());
  if (auto done = CopySecret(data / "secret.key", out / "secret.key"); !done) return done;
  const bool complete = copied->problems == 0;
  if (complete) {
    auto written = WriteManifest(out, {{"format", kManifestFormat},
                                       {"created", UnixNow()},
                                       {"snapshot_seq", seq},
                                       {"blobs", copied->counts.blobs},
                                       {"bytes", copied->counts.bytes}});
    if (!written) return written;
  }
  const double seconds = SecondsSince(start);
  (void)WriteRunRecord(data, kBackupRecord,  // A backup that cannot say so is still a backup.
                       {.finished = UnixNow(),
                        .ok = complete,
                        .seconds = seconds,
                        .blobs = copied->counts.blobs,
                        .bytes = copied->counts.bytes,
                        .problems = copied->problems,
                        .snapshot_seq = seq});
  PrintFindings(*copied);
  std::cout << "snapshot sequence: " << seq << "\n";
  std::cout << (complete ? "backup complete: " : "backup INCOMPLETE: ") << copied->counts.blobs
            << " blobs (" << FormatSize(copied->counts.bytes) << ") in " << out.string() << " in "
            << seconds << " s\n";
  if (!complete) state.exit_code = kExitProblem;
  return Ok();
}

// Fsck of the backup (report only) plus its manifest. Prints; returns whether it is sound.
Result<bool> VerifyBackup(const fs::path& dir, std::uint64_t& seq) {
  auto manifest = ReadManifest(dir);
  if (!manifest) return Fail(manifest.error());
  auto stores = OpenStores(dir);
  if (!stores) return Fail(stores.error());
  auto report = service::Fsck(*stores->metadata, *stores->blobs, {});
  if (!report) return Fail(report.error());
  auto actual_seq = service::SnapshotSequence(*stores->metadata);
  if (!actual_seq) return Fail(actual_seq.error());
  stores->metadata.reset();
  if (auto sealed = storage::sqlite::SealSnapshot(dir / "regie.db"); !sealed) {
    return Fail(sealed.error());
  }
  PrintFindings(*report);
  const auto* recorded = manifest->if_contains("snapshot_seq");
  seq = *actual_seq;
  bool sound = report->problems == 0;
  const bool seq_matches =
      recorded != nullptr && ((recorded->is_uint64() && recorded->as_uint64() == *actual_seq) ||
                              (recorded->is_int64() && recorded->as_int64() >= 0 &&
                               static_cast<std::uint64_t>(recorded->as_int64()) == *actual_seq));
  if (!seq_matches) {
    std::cout << "problem: manifest: its snapshot sequence does not match regie.db\n";
    sound = false;
  }
  if (!fs::exists(dir / "secret.key")) {
    std::cout << "problem: secret.key is missing (app passwords would not work after a restore)\n";
    sound = false;
  }
  std::cout << "checked " << report->counts.blobs << " blobs (" << FormatSize(report->counts.bytes)
            << "), " << report->counts.collections << " collections\n";
  return sound;
}

Result<void> Restore(const Config& config, const fs::path& in, CliState& state) {
  const fs::path data(config.server.data);
  if (!IsEmptyOrAbsent(data)) {
    return Fail(UsageError(data.string() + " must be empty or absent to restore into it"));
  }
  std::uint64_t seq = 0;
  auto sound = VerifyBackup(in, seq);
  if (!sound) return Fail(sound.error());
  if (!*sound) {
    std::cout << "not restoring a damaged backup\n";
    state.exit_code = kExitProblem;
    return Ok();
  }
  auto lock = LockDataDirectory(data);
  if (!lock) return Fail(lock.error());
  const auto start = std::chrono::steady_clock::now();
  if (auto done = storage::sqlite::SnapshotDatabase(in / "regie.db", data / "regie.db"); !done) {
    return done;
  }
  if (auto done = CopySecret(in / "secret.key", data / "secret.key"); !done) return done;
  auto from = OpenStores(in);
  if (!from) return Fail(from.error());
  auto to = OpenStores(data);
  if (!to) return Fail(to.error());
  auto copied = service::CopyReferencedBlobs(*from->metadata, *from->blobs, *to->blobs);
  if (!copied) return Fail(copied.error());
  from->metadata.reset();
  if (auto sealed = storage::sqlite::SealSnapshot(in / "regie.db"); !sealed) return sealed;
  PrintFindings(*copied);
  std::cout << "restored snapshot sequence " << seq << ": " << copied->counts.blobs << " blobs ("
            << FormatSize(copied->counts.bytes) << ") into " << data.string() << " in "
            << SecondsSince(start) << " s\n";
  if (copied->problems > 0) state.exit_code = kExitProblem;
  return Ok();
}

// As CliState::Report, but a bad directory argument is a usage error (exit 2).
void ReportFailure(CliState& state, const Error& error) {
  state.Report(error);
  if (error.code == Errc::kInvalidInput) state.exit_code = kExitUsage;
}

}  // namespace

void AddBackupCommands(CLI::App& app, CliState& state) {
  auto backup_args = std::make_shared<BackupArgs>();
  auto* backup = app.add_subcommand(
      "backup", "Write a consistent backup of the data directory (also while serve runs)");
  backup
      ->add_option("dir", backup_args->dir,
                   "Backup directory (empty or absent; with --verify: the backup)")
      ->required();
  backup->add_flag("--verify", backup_args->verify, "Check an existing backup instead");
  backup->callback([&state, backup_args] {
    if (backup_args->verify) {
      std::uint64_t seq = 0;
      auto sound = VerifyBackup(backup_args->dir, seq);
      if (!sound) return state.Report(sound.error());
      std::cout << (*sound ? "backup sound" : "backup DAMAGED") << ": snapshot sequence " << seq
                << "\n";
      state.exit_code = *sound ? kExitOk : kExitProblem;
      return;
    }
    auto config = state.LoadConfigOrReport();
    if (!config) return;
    if (auto done = Backup(*config, backup_args->dir, state); !done)
      ReportFailure(state, done.error());
  });

  auto restore_dir = std::make_shared<std::string>();
  auto* restore =
      app.add_subcommand("restore", "Restore a backup into an empty data directory (--data)");
  restore->add_option("dir", *restore_dir, "Backup directory")->required();
  restore->callback([&state, restore_dir] {
    auto config = state.LoadConfigOrReport();
    if (!config) return;
    if (auto done = Restore(*config, *restore_dir, state); !done)
      ReportFailure(state, done.error());
  });
}

}  // namespace regie::app
