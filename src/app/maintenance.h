// Background care of a data directory while `regie serve` runs (scheduled scrubs, periodic blob
// garbage collection), and the record of the last scrub and backup that /metrics shows.
//
// Run records: DATA/status/<scrub|backup>.json, written atomically (temporary, fsync, rename) by
// whichever process ran the job (the server's scheduler or the CLI), so /metrics sees a scrub or
// backup run from the command line too.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "app/config.h"
#include "app/data_dir.h"
#include "base/result.h"
#include "service/integrity.h"

namespace regie::app {

inline constexpr std::string_view kScrubRecord = "scrub";
inline constexpr std::string_view kBackupRecord = "backup";

struct RunRecord {
  std::int64_t finished = 0;  // Unix seconds.
  bool ok = false;            // No damage found (scrub), snapshot complete (backup).
  double seconds = 0;         // How long it ran.
  std::uint64_t blobs = 0;
  std::uint64_t bytes = 0;
  std::uint64_t problems = 0;      // Damaged blobs (scrub).
  std::uint64_t snapshot_seq = 0;  // Backup only.
};

Result<void> WriteRunRecord(const std::filesystem::path& data, std::string_view name,
                            const RunRecord& record);
// nullopt when the job never ran (or its record is unreadable).
std::optional<RunRecord> ReadRunRecord(const std::filesystem::path& data, std::string_view name);

// The last scrub and backup in the Prometheus text format. Reads two small files; bounded.
std::string RenderMaintenanceMetrics(const std::filesystem::path& data);

// Runs a scrub (quarantining damage) and records it; the report, for the caller to print.
Result<service::IntegrityReport> ScrubAndRecord(const std::filesystem::path& data,
                                                Services& services, std::stop_token stop);

// The server's scheduler: scrubs every `server.scrub_interval` (counted from the last recorded
// scrub, so restarts do not rescrub) and collects unreferenced blobs every few minutes (those
// that a backup's pause kept). Stops, finishing nothing it started, when destroyed.
class Maintenance {
 public:
  Maintenance(const Config& config, Services services);
  ~Maintenance();
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

 private:
  void Run(const std::stop_token& stop);

  const std::filesystem::path data_;
  const std::chrono::milliseconds scrub_interval_;
  Services services_;
  std::jthread thread_;  // Last: starts after the members it reads are set.
};

}  // namespace regie::app
