#include "app/maintenance.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include "base/crypto.h"

namespace regie::app {
namespace {

namespace fs = std::filesystem;

// Often enough that blobs a backup's pause kept do not pile up, rarely enough to cost nothing.
constexpr std::chrono::minutes kCollectEvery{10};

fs::path RecordPath(const fs::path& data, std::string_view name) {
  return data / "status" / (std::string(name) + ".json");
}

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error WriteError(const fs::path& path) {
  return MakeError(Errc::kUnavailable, "cannot write " + path.string(),
                   "cannot write " + path.string());
}

// Temporary, fsync, rename: a reader sees the old record or the new one, never half of one.
Result<void> WriteFileAtomically(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path temp = path.string() + "." + RandomToken(8) + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(WriteError(temp));
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Fail(WriteError(path));
  }
  return Ok();
}

std::uint64_t UintField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
  return 0;
}

void AddGauge(std::string& out, std::string_view name, std::string_view help,
              const std::string& value) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" gauge\n");
  out.append(name).append(" ").append(value).append("\n");
}

}  // namespace

Result<void> WriteRunRecord(const fs::path& data, std::string_view name, const RunRecord& r) {
  const boost::json::object o{{"finished", r.finished},
                              {"ok", r.ok},
                              {"seconds", r.seconds},
                              {"blobs", r.blobs},
                              {"bytes", r.bytes},
                              {"problems", r.problems},
                              {"snapshot_seq", r.snapshot_seq}};
  return WriteFileAtomically(RecordPath(data, name), boost::json::serialize(o) + "\n");
}

std::optional<RunRecord> ReadRunRecord(const fs::path& data, std::string_view name) {
  std::ifstream in(RecordPath(data, name));
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const auto value = boost::json::parse(text.str(), ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.as_object();
  RunRecord r;
  r.finished = static_cast<std::int64_t>(UintField(o, "finished"));
  const auto* ok = o.if_contains("ok");
  r.ok = ok != nullptr && ok->is_bool() && ok->as_bool();
  const auto* seconds = o.if_contains("seconds");
  r.seconds = seconds != nullptr && seconds->is_double() ? seconds->as_double() : 0;
  r.blobs = UintField(o, "blobs");
  r.bytes = UintField(o, "bytes");
  r.problems = UintField(o, "problems");
  r.snapshot_seq = UintField(o, "snapshot_seq");
  return r;
}

std::string RenderMaintenanceMetrics(const fs::path& data) {
  std::string out;
  const auto scrub = ReadRunRecord(data, kScrubRecord).value_or(RunRecord{});
  AddGauge(out, "regie_scrub_last_timestamp_seconds",
           "When the last scrub finished (Unix time; 0: never).", std::to_string(scrub.finished));
  AddGauge(out, "regie_scrub_last_success", "1 if the last scrub found every blob intact.",
           scrub.ok ? "1" : "0");
  AddGauge(out, "regie_scrub_last_damaged_blobs", "Damaged blobs the last scrub found.",
           std::to_string(scrub.problems));
  AddGauge(out, "regie_scrub_last_blobs", "Blobs the last scrub verified.",
           std::to_string(scrub.blobs));
  AddGauge(out, "regie_scrub_last_duration_seconds", "How long the last scrub ran.",
           std::to_string(scrub.seconds));
  const auto backup = ReadRunRecord(data, kBackupRecord).value_or(RunRecord{});
  AddGauge(out, "regie_backup_last_timestamp_seconds",
           "When the last backup finished (Unix time; 0: never).", std::to_string(backup.finished));
  AddGauge(out, "regie_backup_last_success", "1 if the last backup completed.",
           backup.ok ? "1" : "0");
  AddGauge(out, "regie_backup_last_snapshot_seq", "Snapshot sequence of the last backup.",
           std::to_string(backup.snapshot_seq));
  return out;
}

Result<service::IntegrityReport> ScrubAndRecord(const fs::path& data, Services& services,
                                                std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  auto report = service::Scrub(*services.metadata, *services.blobs,
                               {.repair = service::Repair::kFix, .stop = std::move(stop)});
  if (!report) return report;
  if (report->stopped) return report;  // An interrupted scrub proves nothing either way.
  const RunRecord record{
      .finished = UnixNow(),
      .ok = report->problems == 0,
      .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
      .blobs = report->counts.blobs,
      .bytes = report->counts.bytes,
      .problems = report->problems,
  };
  if (auto written = WriteRunRecord(data, kScrubRecord, record); !written) {
    return Fail(written.error());
  }
  return report;
}

Maintenance::Maintenance(const Config& config, Services services)
    : data_(config.server.data),
      scrub_interval_(config.server.scrub_interval),
      services_(std::move(services)),
      thread_([this](const std::stop_token& stop) { Run(stop); }) {}

Maintenance::~Maintenance() = default;  // The jthread asks Run() to stop and joins it.

void Maintenance::Run(const std::stop_token& stop) {
  using Clock = std::chrono::steady_clock;
  std::mutex mu;
  std::condition_variable_any wake;
  const auto never = Clock::time_point::max();
  auto next_collect = Clock::now() + kCollectEvery;
  auto next_scrub = never;
  if (scrub_interval_.count() > 0) {
    // Due one interval after the last recorded scrub, by the wall clock, across restarts.
    std::chrono::milliseconds wait = scrub_interval_;
    if (const auto last = ReadRunRecord(data_, kScrubRecord)) {
      const auto since = std::chrono::seconds(UnixNow() - last->finished);
      wait = std::max(std::chrono::milliseconds(0), scrub_interval_ - since);
    }
    next_scrub = Clock::now() + wait;
  }
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mu);
      wake.wait_until(lock, stop, std::min(next_collect, next_scrub), [] { return false; });
    }
    if (stop.stop_requested()) return;
    if (Clock::now() >= next_collect) {
      if (auto collected = services_.keeper->CollectGarbage(); !collected) {
        spdlog::debug("blob garbage collection postponed: {}", collected.error().message);
      }
      next_collect = Clock::now() + kCollectEvery;
    }
    if (Clock::now() >= next_scrub) {
      auto report = ScrubAndRecord(data_, services_, stop);
      if (!report) {
        spdlog::warn("scrub failed: {}", report.error().message);
      } else if (report->problems > 0) {
        spdlog::error("scrub found {} damaged blob(s) among {}; quarantined (see regie fsck)",
                      report->problems, report->counts.blobs);
      } else if (!report->stopped) {
        spdlog::info("scrub verified {} blobs", report->counts.blobs);
      }
      next_scrub = Clock::now() + scrub_interval_;
    }
  }
}

}  // namespace regie::app
