#include "app/cli.h"

#include <cstdlib>
#include <iostream>

#include "base/units.h"

namespace regie::app {

ConfigSources CliState::Sources() const {
  ConfigSources sources;
  if (!config_file.empty()) sources.file = config_file;
  sources.env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  if (!data_dir.empty()) sources.flags["server.data"] = data_dir;
  return sources;
}

std::optional<Config> CliState::LoadConfigOrReport() {
  auto config = LoadConfig(Sources());
  if (!config) {
    std::cerr << "regie: "
              << (config.error().detail.empty() ? config.error().message : config.error().detail)
              << "\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  return *config;
}

std::optional<Services> CliState::OpenServicesOrReport(const Config& config) {
  auto services = OpenServices(config);
  if (!services) {
    std::cerr << "regie: " << services.error().message << "\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  return std::move(*services);
}

void CliState::WithServices(const std::function<Result<void>(Services&)>& body) {
  auto config = LoadConfigOrReport();
  if (!config) return;
  auto services = OpenServicesOrReport(*config);
  if (!services) return;
  if (auto done = body(*services); !done) Report(done.error());
}

void CliState::Report(const Error& error) {
  // A local operator runs the CLI, so the log message (which names the object) is the better text.
  std::cerr << "regie: " << (error.detail.empty() ? error.message : error.detail);
  if (!error.detail.empty() && error.detail != error.message && error.code == Errc::kNotFound) {
    std::cerr << " (" << error.message << ")";
  }
  std::cerr << "\n";
  exit_code = error.code == Errc::kLocked ? kExitLocked : kExitProblem;
}

std::string ReadPasswordFromStdin() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace regie::app
