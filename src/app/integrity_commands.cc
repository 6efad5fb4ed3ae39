// `regie fsck` and `regie scrub`: the integrity checks of service/integrity.h on a data directory.
// fsck takes the data directory lock (it may repair, and a running server would race it: exit 3);
// scrub runs beside a server, as the server's own scheduled scrub does.
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "app/cli.h"
#include "app/maintenance.h"
#include "base/units.h"
#include "service/integrity.h"

namespace regie::app {
namespace {

struct IntegrityArgs {
  bool repair = false;
  bool json = false;
  bool report_only = false;
};

boost::json::object ReportJson(const service::IntegrityReport& r, double seconds) {
  boost::json::array findings;
  for (const auto& f : r.findings) {
    findings.push_back(boost::json::object{
        {"kind", f.kind}, {"object", f.object}, {"detail", f.detail}, {"repaired", f.repaired}});
  }
  return boost::json::object{
      {"clean", r.problems == 0},
      {"problems", r.problems},
      {"repaired", r.repaired},
      {"unrepaired", r.unrepaired()},
      {"findings", std::move(findings)},
      {"checked", boost::json::object{{"blobs", r.counts.blobs},
                                      {"bytes", r.counts.bytes},
                                      {"blob_records", r.counts.blob_records},
                                      {"collections", r.counts.collections},
                                      {"change_logs", r.counts.change_logs}}},
      {"seconds", seconds},
  };
}

void PrintReport(const service::IntegrityReport& r, double seconds, const IntegrityArgs& args) {
  if (args.json) {
    std::cout << boost::json::serialize(ReportJson(r, seconds)) << "\n";
    return;
  }
  for (const auto& f : r.findings) {
    std::cout << (f.repaired ? "repaired: " : "problem: ") << f.kind << ": " << f.object << ": "
              << f.detail << "\n";
  }
  if (r.findings.size() < r.problems) {
    std::cout << "(" << r.problems - r.findings.size() << " more not listed)\n";
  }
  std::cout << "checked " << r.counts.blobs << " blobs (" << FormatSize(r.counts.bytes) << "), "
            << r.counts.blob_records << " blob records, " << r.counts.collections
            << " collections, " << r.counts.change_logs << " change logs in " << seconds << " s\n";
  if (r.problems == 0) {
    std::cout << "clean\n";
  } else {
    std::cout << r.problems << " problem(s), " << r.repaired << " repaired, " << r.unrepaired()
              << " remaining\n";
  }
}

// Whether the data directory exists; reports a usage error when not (fsck must not create one).
bool DataDirExists(CliState& state, const Config& config) {
  std::error_code ec;
  if (std::filesystem::is_directory(std::filesystem::path(config.server.data) / "blobs", ec) &&
      std::filesystem::exists(std::filesystem::path(config.server.data) / "regie.db", ec)) {
    return true;
  }
  std::cerr << "regie: " << config.server.data << " is not a Regie data directory\n";
  state.exit_code = kExitUsage;
  return false;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void RunFsck(CliState& state, const IntegrityArgs& args) {
  auto config = state.LoadConfigOrReport();
  if (!config || !DataDirExists(state, *config)) return;
  auto lock = LockDataDirectory(config->server.data);
  if (!lock) return state.Report(lock.error());
  auto services = state.OpenServicesOrReport(*config);
  if (!services) return;
  const auto start = std::chrono::steady_clock::now();
  auto report =
      service::Fsck(*services->metadata, *services->blobs,
                    {.repair = args.repair ? service::Repair::kFix : service::Repair::kReportOnly});
  if (!report) return state.Report(report.error());
  PrintReport(*report, SecondsSince(start), args);
  state.exit_code = report->unrepaired() > 0 ? kExitProblem : kExitOk;
}

void RunScrub(CliState& state, const IntegrityArgs& args) {
  auto config = state.LoadConfigOrReport();
  if (!config || !DataDirExists(state, *config)) return;
  auto services = state.OpenServicesOrReport(*config);
  if (!services) return;
  const auto start = std::chrono::steady_clock::now();
  Result<service::IntegrityReport> report =
      args.report_only ? service::Scrub(*services->metadata, *services->blobs, {})
                       : ScrubAndRecord(config->server.data, *services, std::stop_token());
  if (!report) return state.Report(report.error());
  PrintReport(*report, SecondsSince(start), args);
  state.exit_code = report->problems > 0 ? kExitProblem : kExitOk;
}

}  // namespace

void AddIntegrityCommands(CLI::App& app, CliState& state) {
  auto fsck_args = std::make_shared<IntegrityArgs>();
  auto* fsck = app.add_subcommand(
      "fsck", "Check the data directory: blob references and hashes, tree, change logs");
  fsck->add_flag("--repair", fsck_args->repair,
                 "Fix what can be fixed (recount references, remove orphans, quarantine damage)");
  fsck->add_flag("--json", fsck_args->json, "Print the report as JSON");
  fsck->callback([&state, fsck_args] { RunFsck(state, *fsck_args); });

  auto scrub_args = std::make_shared<IntegrityArgs>();
  auto* scrub = app.add_subcommand(
      "scrub", "Re-read every blob, verify its SHA-256 and quarantine damaged ones");
  scrub->add_flag("--report-only", scrub_args->report_only,
                  "Report damage without moving it to quarantine (nor recording the run)");
  scrub->add_flag("--json", scrub_args->json, "Print the report as JSON");
  scrub->callback([&state, scrub_args] { RunScrub(state, *scrub_args); });
}

}  // namespace regie::app
