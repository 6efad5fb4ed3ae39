// `regie audit DOMAIN... | --batch FILE.csv`: the autonomy audit (docs/audit.md). Needs no data
// directory or configuration; the rules come installed with Regie (share/regie/audit/rules.toml
// beside the binary's prefix, or in the build tree), extended by --rules.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "audit/batch_runner.h"
#include "audit/report.h"

namespace regie::app {
namespace {

struct AuditArgs {
  std::vector<std::string> domains;
  std::string batch_file;
  std::vector<std::string> rules_files;
  bool no_default_rules = false;
  bool json = false;
  std::string html_file;
  std::string resolver;
  std::vector<std::string> trust_anchors;
  double timeout_seconds = 10;
  int max_redirects = 5;
  int concurrency = 16;
  int pace_ms = 200;
  bool allow_private = false;
  bool no_web = false;
};

// Where the installed rules are: <prefix>/share/regie/audit/rules.toml for <prefix>/bin/regie,
// and build/<preset>/share/regie/audit/rules.toml beside build/<preset>/regie (CMake copies it).
std::optional<std::filesystem::path> DefaultRulesFile() {
  if (const char* env = std::getenv("REGIE_AUDIT_RULES"); env && *env) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  for (const auto& dir : {exe.parent_path(), exe.parent_path().parent_path()}) {
    auto candidate = dir / "share" / "regie" / "audit" / "rules.toml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

Result<audit::RuleSet> LoadRules(const AuditArgs& args) {
  audit::RuleSet rules;
  if (!args.no_default_rules) {
    auto file = DefaultRulesFile();
    if (!file) {
      return Fail(Errc::kInvalidInput, "no installed rules",
                  "the installed rules file share/regie/audit/rules.toml was not found "
                  "(set REGIE_AUDIT_RULES or use --no-default-rules --rules FILE)");
    }
    if (auto ok = rules.AddFile(*file); !ok) return Fail(ok.error());
  }
  for (const auto& f : args.rules_files) {
    if (auto ok = rules.AddFile(f); !ok) return Fail(ok.error());
  }
  if (rules.files().empty()) return Fail(Errc::kInvalidInput, "no rules", "no rules file given");
  return rules;
}

Result<std::vector<audit::BatchEntry>> Entries(const AuditArgs& args) {
  std::vector<audit::BatchEntry> entries;
  entries.reserve(args.domains.size());
  for (const auto& d : args.domains) entries.push_back({d, "", "", 0});
  if (!args.batch_file.empty()) {
    std::ifstream in(args.batch_file, std::ios::binary);
    if (!in) {
      return Fail(Errc::kInvalidInput, "cannot read " + args.batch_file,
                  "cannot read the batch file " + args.batch_file);
    }
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = audit::ParseBatchCsv(text.str());
    if (!parsed) return Fail(parsed.error());
    entries.insert(entries.end(), parsed->begin(), parsed->end());
  }
  if (entries.empty()) {
    return Fail(Errc::kInvalidInput, "no domains", "give domains or --batch FILE.csv");
  }
  return entries;
}

audit::RunOptions RunOptionsOf(const AuditArgs& args) {
  audit::RunOptions o;
  o.dns.resolver = args.resolver;
  for (const auto& t : args.trust_anchors) o.dns.trust_anchors.emplace_back(t);
  const auto timeout = std::chrono::milliseconds(static_cast<long>(args.timeout_seconds * 1000));
  o.dns.timeout = timeout;
  o.audit.web = args.no_web ? audit::WebFetch::kSkip : audit::WebFetch::kFetch;
  o.audit.web_options.timeout = timeout;
  o.audit.web_options.max_redirects = args.max_redirects;
  o.audit.web_options.private_addresses =
      args.allow_private ? audit::PrivateAddresses::kAllow : audit::PrivateAddresses::kRefuse;
  o.audit.web_options.user_agent =
      "regie-audit/" REGIE_VERSION " (autonomy audit of public signals; reads the home page only)";
  o.concurrency = args.concurrency;
  o.pace = std::chrono::milliseconds(args.pace_ms);
  return o;
}

Result<void> RunAudit(const AuditArgs& args, int& exit_code) {
  auto rules = LoadRules(args);
  if (!rules) return Fail(rules.error());
  auto entries = Entries(args);
  if (!entries) return Fail(entries.error());
  auto reports = audit::AuditAll(*rules, *entries, RunOptionsOf(args));
  if (!reports) return Fail(reports.error());
  const auto shape = args.batch_file.empty() && reports->size() == 1 ? audit::ReportShape::kSingle
                                                                     : audit::ReportShape::kMany;
  std::cout << (args.json ? audit::RenderJson(*reports, *rules, shape)
                          : audit::RenderText(*reports, *rules, shape));
  if (!args.html_file.empty()) {
    std::ofstream out(args.html_file, std::ios::binary | std::ios::trunc);
    out << audit::RenderHtml(*reports, *rules, shape);
    if (!out.flush()) {
      return Fail(Errc::kInternal, "cannot write " + args.html_file,
                  "cannot write the HTML report " + args.html_file);
    }
  }
  for (const auto& r : *reports) {
    if (r.error) exit_code = kExitProblem;
  }
  return Ok();
}

}  // namespace

void AddAuditCommand(CLI::App& app, CliState& state) {
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand(
      "audit",
      "Autonomy audit: a domain's (or a sector's) dependence on Big Tech, from public "
      "DNS and web signals");
  cmd->add_option("domains", args->domains, "Domains to audit");
  cmd->add_option("--batch", args->batch_file,
                  "CSV file: domain[,name[,category]] a line, optional header, # comments");
  // allow_extra_args(false): each --rules takes one file, so that domains may follow it.
  cmd->add_option("--rules", args->rules_files, "Extra rules file (TOML; repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-default-rules", args->no_default_rules, "Do not load the installed rules");
  cmd->add_flag("--json", args->json, "JSON report on standard output (docs/audit.md)");
  cmd->add_option("--html", args->html_file, "Also write a self-contained HTML report");
  cmd->add_option("--resolver", args->resolver,
                  "DNS resolver HOST:PORT (default: /etc/resolv.conf)");
  cmd->add_option("--trust-anchor", args->trust_anchors,
                  "DNSSEC trust anchor file (DS or DNSKEY records; repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--timeout", args->timeout_seconds, "Seconds per DNS round and per HTTP request")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--max-redirects", args->max_redirects, "Redirects followed (default 5)")
      ->check(CLI::Range(0, 20));
  cmd->add_option("--concurrency", args->concurrency, "Domains audited at once (default 16)")
      ->check(CLI::Range(1, 512));
  cmd->add_option("--pace-ms", args->pace_ms,
                  "Milliseconds between two requests to one web server (default 200)")
      ->check(CLI::Range(0, 60000));
  cmd->add_flag("--allow-private-addresses", args->allow_private,
                "Fetch web pages from private, loopback and link-local addresses too");
  cmd->add_flag("--no-web", args->no_web, "Skip the home page fetch");
  cmd->callback([&state, args] {
    if (auto done = RunAudit(*args, state.exit_code); !done) {
      std::cerr << "regie: "
                << (done.error().detail.empty() ? done.error().message : done.error().detail)
                << "\n";
      state.exit_code = done.error().code == Errc::kInvalidInput ? kExitUsage : kExitProblem;
    }
  });
}

}  // namespace regie::app
