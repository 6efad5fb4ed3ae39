// `regie serve`: opens the data directory, creates the first account on the first start, and
// serves HTTP(S) until SIGTERM or SIGINT, finishing requests in flight.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/maintenance.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/groupware/groupware_request.h"
#include "frontend/dav/principal_dav.h"
#include "frontend/http/http_frontend.h"
#include "frontend/web/api_handlers.h"
#include "frontend/web/app_assets.h"
#include "net/http_server.h"

namespace regie::app {
namespace {

// The WebDAV file trees, under /dav/files/ and the alias the Nextcloud clients use, and the
// principals that DAV:current-user-principal points to.
void AddDavRoutes(frontend::http::HttpFrontend& frontend, const Config& config,
                  const Services& services) {
  const std::vector<std::vector<std::string>> prefixes{{"dav", "files"},
                                                       {"remote.php", "dav", "files"}};
  frontend::dav::DavOptions options;
  options.xml.max_bytes = config.http.max_xml_body_bytes;
  options.xml.max_depth = config.dav.max_xml_depth;
  options.allow_propfind_infinity = config.dav.allow_propfind_infinity;
  options.zip.max_index_bytes = config.dav.max_zip_index_bytes;
  auto locks = std::make_shared<service::LockService>(service::LockLimits{
      .default_timeout = std::chrono::duration_cast<std::chrono::seconds>(config.dav.lock_timeout),
      .max_timeout = std::chrono::duration_cast<std::chrono::seconds>(config.dav.max_lock_timeout),
  });
  auto handler = std::make_shared<frontend::dav::FileDavHandler>(services.files, std::move(locks),
                                                                 options, prefixes);
  for (const auto& prefix : prefixes) frontend.AddRoute({prefix, handler});
  using frontend::dav::PrincipalDavHandler;
  frontend.AddRoute(
      {{"dav", "principals"},
       std::make_shared<PrincipalDavHandler>(options.xml, PrincipalDavHandler::Mode::kPrincipals)});
  frontend.AddRoute(
      {{"dav"},
       std::make_shared<PrincipalDavHandler>(options.xml, PrincipalDavHandler::Mode::kDavRoot)});
  const frontend::dav::GroupwareOptions groupware{
      .xml = options.xml,
      .max_sync_results = config.groupware.max_results,
      .max_query_results = config.groupware.max_results,
  };
  frontend.AddRoute({{"dav", "calendars"},
                     std::make_shared<frontend::dav::GroupwareDavHandler>(
                         services.groupware, model::CollectionKind::kCalendar, groupware)});
  frontend.AddRoute({{"pub", "calendars"},
                     std::make_shared<frontend::dav::PublishedCalendarHandler>(services.groupware),
                     frontend::http::RouteAccess::kPublic});
  frontend.AddRoute({{"dav", "addressbooks"},
                     std::make_shared<frontend::dav::GroupwareDavHandler>(
                         services.groupware, model::CollectionKind::kAddressBook, groupware)});
}

// Where the built web workplace is: [web] root, else share/regie/web beside the binary
// (<prefix>/bin/regie → <prefix>/share/regie/web; build/<preset>/regie → build/<preset>/share/...).
std::filesystem::path WebRoot(const Config& config) {
  if (!config.web.root.empty()) return config.web.root;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const auto& dir : {exe.parent_path(), exe.parent_path().parent_path()}) {
    auto candidate = dir / "share" / "regie" / "web";
    if (std::filesystem::is_directory(candidate, ec)) return candidate;
  }
  return {};
}

// The web workplace: its JSON API and, for every path no protocol owns, the app itself.
Result<void> AddWebRoutes(frontend::http::HttpFrontend& frontend, const Config& config,
                          const Services& services) {
  using frontend::http::RouteAccess;
  const frontend::web::ApiServices api{services.auth, services.sessions, services.accounts,
                                       services.admin};
  frontend.AddRoute({{"api", "v1", "session"},
                     std::make_shared<frontend::web::SessionApiHandler>(api),
                     RouteAccess::kPublic});
  frontend.AddRoute({{"api", "v1"}, std::make_shared<frontend::web::AccountApiHandler>(api)});
  const auto root = WebRoot(config);
  auto assets = frontend::web::AppAssetsHandler::Load(root);
  if (!assets) return Fail(assets.error());
  if ((*assets)->has_app()) {
    spdlog::info("web workplace: {} files from {}", (*assets)->file_count(), root.string());
  } else {
    spdlog::warn("web workplace not found (looked in '{}'); run script/build or set [web] root",
                 root.string());
  }
  frontend.AddRoute({{}, std::move(*assets), RouteAccess::kPublic});
  return Ok();
}

// The route table in one line, so that an operator sees what this server answers and the
// isolation matrix (tests/integration/65-isolation) can fail on a route it does not cover.
void LogRoutes(const frontend::http::HttpFrontend& frontend) {
  std::vector<std::string> routes;
  for (const auto& route : frontend.routes()) {
    std::string path = "/";
    for (const auto& segment : route.prefix) path += segment + "/";
    if (route.access == frontend::http::RouteAccess::kPublic) path += " (public)";
    routes.push_back(std::move(path));
  }
  spdlog::info("routes: {}", fmt::join(routes, ", "));
}

}  // namespace
namespace {

struct ServeArgs {
  std::string listen;
};

Result<std::vector<proto::http::AddressRange>> TrustedProxies(const Config& config) {
  std::vector<proto::http::AddressRange> ranges;
  for (const auto& text : config.http.trusted_proxies) {
    auto range = proto::http::AddressRange::Parse(text);
    if (!range) return Fail(range.error());
    ranges.push_back(*range);
  }
  return ranges;
}

std::optional<std::string> AdminPasswordFromEnvironment() {
  const char* value = std::getenv("REGIE_ADMIN_PASSWORD");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

int Serve(CliState& state, const ServeArgs& args) {
  auto sources = state.Sources();
  if (!args.listen.empty()) sources.flags["server.listen"] = args.listen;
  auto config = LoadConfig(sources);
  if (!config) {
    std::cerr << "regie: " << config.error().detail << "\n";
    return kExitUsage;
  }
  // Logs go to stderr; stdout carries the start-up lines and the access log.
  spdlog::set_default_logger(spdlog::stderr_color_mt("regie"));
  spdlog::set_level(spdlog::level::from_str(config->log.level));

  auto lock = LockDataDirectory(config->server.data);
  if (!lock) {
    std::cerr << "regie: " << lock.error().detail << "\n";
    return lock.error().code == Errc::kLocked ? kExitLocked : kExitUsage;
  }
  auto services = OpenServices(*config);
  if (!services) {
    std::cerr << "regie: " << services.error().message << "\n";
    return kExitUsage;
  }
  // Nothing else writes blobs while the lock is held, so leftovers are a crash's temporaries.
  if (auto stale = services->blobs->RemoveStaleTemporaries(); stale && *stale > 0) {
    spdlog::info("removed {} temporary files left by an earlier crash", *stale);
  }
  const auto preset_password = AdminPasswordFromEnvironment();
  auto admin = services->accounts->Bootstrap(preset_password);
  if (!admin) {
    std::cerr << "regie: cannot create the first account: " << admin.error().message << "\n";
    return kExitUsage;
  }
  if (auto collected = services->keeper->CollectGarbage(); !collected) {
    spdlog::warn("blob garbage collection failed: {}", collected.error().message);
  }
  auto proxies = TrustedProxies(*config);
  if (!proxies) {
    std::cerr << "regie: " << proxies.error().detail << "\n";
    return kExitUsage;
  }

  frontend::http::FrontendOptions frontend_options;
  frontend_options.auth.allow_basic_over_http = config->http.allow_basic_over_http;
  frontend_options.metrics_public = config->http.metrics_public;
  frontend_options.extra_metrics = [data = std::filesystem::path(config->server.data)] {
    return RenderMaintenanceMetrics(data);
  };
  auto frontend = std::make_shared<frontend::http::HttpFrontend>(frontend_options, services->auth,
                                                                 services->sessions);
  AddDavRoutes(*frontend, *config, *services);
  if (auto web = AddWebRoutes(*frontend, *config, *services); !web) {
    std::cerr << "regie: " << web.error().detail << "\n";
    return kExitUsage;
  }
  LogRoutes(*frontend);
  net::ServerOptions options;
  options.listen = config->server.listen;
  options.threads = config->server.threads ? config->server.threads : net::AvailableCores();
  // Uploads commit on the blocking pool and then wait for their WAL sync (group commit): the
  // pool bounds how many uploads are in flight, and while one waits on the disk the others'
  // transactions run. So it is sized for concurrent writers, not for cores: 16 parallel 4 KiB
  // PUTs to a server on one core went from 750-970 to 1,330-1,450 files/s with 16 threads
  // instead of 4. An idle thread costs a few KiB of resident memory.
  options.blocking_threads = std::max<std::size_t>(16, 2 * options.threads);
  options.max_header_bytes = config->http.max_header_bytes;
  options.max_uri_bytes = config->http.max_uri_bytes;
  options.idle_timeout = config->http.idle_timeout;
  options.read_timeout = config->http.read_timeout;
  options.shutdown_timeout = config->http.shutdown_timeout;
  options.drain_delay = config->http.drain_delay;
  options.max_connections = config->http.max_connections;
  options.trusted_proxies = std::move(*proxies);
  options.tls_cert_file = config->tls.cert;
  options.tls_key_file = config->tls.key;
  options.access_log = config->http.access_log;
  options.on_drain = [frontend] { frontend->SetDraining(); };
  net::RaiseOpenFileLimit();

  net::HttpServer server(std::move(options), frontend);
  if (auto listening = server.Listen(); !listening) {
    std::cerr << "regie: " << listening.error().detail << "\n";
    return kExitUsage;
  }
  std::cout << "listening on " << server.url() << "\n";
  // Shown once, on the first start, unless the operator chose it (REGIE_ADMIN_PASSWORD).
  if (*admin && !preset_password) std::cout << "admin password: " << **admin << "\n";
  std::cout.flush();
  {
    // Destroyed before the services close: stops a scrub in progress and waits for it.
    Maintenance maintenance(*config, *services);
    server.Run();
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, CliState& state) {
  auto args = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand("serve", "Serve Regie over HTTP(S)");
  serve->add_option("--listen", args->listen, "ADDR:PORT (default 127.0.0.1:8080; port 0: any)");
  serve->callback([&state, args] { state.exit_code = Serve(state, *args); });
}

}  // namespace regie::app
