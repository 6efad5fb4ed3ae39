"""Scenarios of `regie audit` (run by test_audit_netns.py inside a loopback-only namespace)."""
import json
import os
import pathlib
import socket
import subprocess
import time

import pytest

import audit_env
from regie_harness import regie_bin

if os.environ.get("REGIE_AUDIT_NETNS") != "1" or not audit_env.only_loopback():
    raise RuntimeError("audit scenarios run only inside a loopback-only network namespace")

HERE = pathlib.Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    work = tmp_path_factory.mktemp("dns")
    dns = audit_env.DnsServer(work).start()
    web = audit_env.WebServer(work).start()
    yield {"dns": dns, "web": web, "work": work}
    web.stop()
    dns.stop()


def audit(net, *args, timeout=120):
    cmd = [regie_bin(), "audit", "--resolver", f"127.0.0.1:{audit_env.DNS_PORT}",
           "--trust-anchor", str(net["dns"].trust_anchor), "--timeout", "5", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def audit_json(net, *args):
    proc = audit(net, "--json", "--allow-private-addresses", "--pace-ms", "0", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout), proc


def keyed(findings):
    return sorted((f["category"], f["provider_id"], f["jurisdiction"], f["evidence"])
                  for f in findings)


def test_microsoft_365_domain(net):
    report, proc = audit_json(net, "ms365.test")
    assert proc.returncode == 0, proc.stderr
    assert report["domain"] == "ms365.test"
    assert report["dnssec"]["status"] == "insecure"
    assert "error" not in report
    assert keyed(report["findings"]) == sorted([
        ("collaboration", "microsoft-365", "US",
         "lync.ms365.test CNAME sipdir.online.lync.com"),
        ("dns", "microsoft-azure", "US", "ms365.test NS ns1-01.azure-dns.com"),
        ("hosting", "microsoft-azure", "US",
         "ms365.test A 127.0.0.11 (AS8075: 8075 | 127.0.0.0/28 | US | arin | 2026-01-01)"),
        ("hosting", "microsoft-azure", "US",
         "www.ms365.test A 127.0.0.11 (AS8075: 8075 | 127.0.0.0/28 | US | arin | 2026-01-01)"),
        ("identity", "microsoft-365", "US", 'ms365.test TXT "MS=ms12345678"'),
        ("identity", "microsoft-365", "US",
         "enterpriseregistration.ms365.test CNAME enterpriseregistration.windows.net"),
        ("mail", "microsoft-365", "US",
         "ms365.test MX 0 ms365-test.mail.protection.outlook.com"),
        ("mail", "microsoft-365", "US",
         'ms365.test TXT "v=spf1 include:spf.protection.outlook.com -all" '
         "(include:spf.protection.outlook.com)"),
        ("mail", "microsoft-365", "US", "selector1._domainkey.ms365.test CNAME "
         "selector1-ms365-test._domainkey.ms365test.onmicrosoft.com"),
        ("mail", "microsoft-365", "US", "selector2._domainkey.ms365.test CNAME "
         "selector2-ms365-test._domainkey.ms365test.onmicrosoft.com"),
        ("mail", "microsoft-365", "US", "autodiscover.ms365.test CNAME autodiscover.outlook.com"),
        ("web-third-party", "jsdelivr", "PL", "https://cdn.jsdelivr.net/npm/x@1/x.js"),
        ("web-third-party", "hcaptcha", "US", "https://js.hcaptcha.com/1/api.js"),
    ])
    assert report["mail"]["dmarc_policy"] == "quarantine"
    assert report["mail"]["mta_sts"] is False
    assert report["web"] == {"url": "http://ms365.test/", "status": 200}
    assert all(f["why"] and f["replacement"] for f in report["findings"])
    assert report["summary"]["findings"] == 13
    assert report["rules_version"]


def test_google_workspace_domain_follows_the_redirect_to_its_page(net):
    report, _ = audit_json(net, "gws.test")
    got = keyed(report["findings"])
    assert ("mail", "google-workspace", "US", "gws.test MX 1 aspmx.l.google.com") in got
    assert ("mail", "google-workspace", "US", "gws.test MX 5 alt1.aspmx.l.google.com") in got
    assert ("mail", "google-workspace", "US",
            'gws.test TXT "v=spf1 include:_spf.google.com ~all" (include:_spf.google.com)') in got
    assert ("mail", "google-workspace", "US", 'google._domainkey.gws.test TXT "v=DKIM1; k=rsa; '
            'p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"') in got
    assert ("identity", "google", "US", 'gws.test TXT "google-site-verification=abc123"') in got
    assert ("dns", "google-cloud", "US", "gws.test NS ns-cloud-a1.googledomains.com") in got
    assert ("mail", "dmarcian", "US", 'gws.test TXT "v=DMARC1; p=reject; '
            'rua=mailto:x@ag.dmarcian.com" (rua)'.replace("gws.test TXT", "_dmarc.gws.test TXT")) in got
    web = sorted((f["subcategory"], f["provider_id"], f["evidence"]) for f in report["findings"]
                 if f["category"] == "web-third-party")
    assert web == [
        ("analytics", "google", "https://www.googletagmanager.com/gtag/js?id=G-TEST"),
        ("fonts", "google", "https://fonts.googleapis.com/css2?family=Roboto"),
        ("social", "facebook", "https://connect.facebook.net/en_US/fbevents.js"),
        ("video", "youtube", "https://www.youtube.com/embed/abc"),
    ]
    assert report["web"] == {"url": "http://www.gws.test/home", "status": 200}
    # Nothing knows acme-verification= until a rule says so.
    assert not [f for f in report["findings"] if "acme" in f["evidence"]]


def test_a_rule_added_with_rules_yields_a_new_finding(net, tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text("""schema = 1
version = "2026-12-05"
[providers.acme]
name = "Acme Cloud"
jurisdiction = "DE"
why = "Acme hosts the organisation's wiki."
replacement = "keep: EU provider"
[[rules]]
signal = "txt"
prefix = "acme-verification="
provider = "acme"
category = "collaboration"
""")
    report, _ = audit_json(net, "--no-web", "--rules", str(extra), "gws.test")
    acme = [f for f in report["findings"] if f["provider_id"] == "acme"]
    assert acme == [{"category": "collaboration", "provider": "Acme Cloud", "provider_id": "acme",
                     "jurisdiction": "DE", "evidence": 'gws.test TXT "acme-verification=42"',
                     "why": "Acme hosts the organisation's wiki.",
                     "replacement": "keep: EU provider"}]
    assert report["rules_version"].endswith("+extra.toml@2026-12-05")


def test_self_hosted_domain_with_valid_dnssec(net):
    report, proc = audit_json(net, "selfhost.test")
    assert proc.returncode == 0
    assert report["dnssec"] == {"status": "secure"}
    assert keyed(report["findings"]) == sorted([
        ("dns", "self-hosted", None, "selfhost.test NS ns1.selfhost.test"),
        ("mail", "self-hosted", None, "selfhost.test MX 10 mail.selfhost.test"),
        ("hosting", "ovhcloud", "EU",
         "selfhost.test A 127.0.0.13 (AS16276: 16276 | 127.0.0.13/32 | FR | ripencc | 2026-01-01)"),
        ("hosting", "ovhcloud", "EU", "www.selfhost.test A 127.0.0.13 "
         "(AS16276: 16276 | 127.0.0.13/32 | FR | ripencc | 2026-01-01)"),
        ("hosting", "ovhcloud", "EU", "mail.selfhost.test A 127.0.0.13 "
         "(AS16276: 16276 | 127.0.0.13/32 | FR | ripencc | 2026-01-01)"),
    ])
    assert report["mail"]["mta_sts"] is True
    assert report["mail"]["dmarc_policy"] == "reject"
    assert report["warnings"] == []


def test_bad_signature_is_bogus_and_not_audited(net):
    report, proc = audit_json(net, "badsig.test")
    assert proc.returncode == 1
    assert report["dnssec"]["status"] == "bogus"
    assert report["dnssec"]["detail"]
    assert report["error"]["kind"] == "servfail"
    assert "DNSSEC" in report["error"]["detail"]
    assert report["findings"] == []


def test_dangling_mx_is_a_warning(net):
    report, _ = audit_json(net, "--no-web", "dangling.test")
    assert report["warnings"] == [{
        "kind": "dangling-mx",
        "evidence": "dangling.test MX points to mail.gone.dangling.test, which has no address "
                    "(NXDOMAIN)"}]
    assert ("mail", "self-hosted", None, "dangling.test MX 10 mail.gone.dangling.test") in \
        keyed(report["findings"])


def test_private_addresses_are_refused_without_the_flag(net):
    proc = audit(net, "--json", "ms365.test")
    report = json.loads(proc.stdout)
    assert report["web"]["error"] == {
        "kind": "invalid",
        "detail": "refused: ms365.test is at 127.0.0.11, not a public address"}
    assert not [f for f in report["findings"] if f["category"] == "web-third-party"]


def test_huge_page_is_reported_and_honest_user_agent(net):
    report, _ = audit_json(net, "big.test")
    assert report["web"]["error"]["kind"] == "invalid"
    assert "larger than" in report["web"]["error"]["detail"]
    assert net["web"].user_agents and all(ua.startswith("regie-audit/") for ua in net["web"].user_agents)


def test_a_site_without_an_apex_address_is_read_at_www(net):
    report, _ = audit_json(net, "wwwonly.test")
    assert report["web"] == {"url": "http://www.wwwonly.test/", "status": 200}
    assert [(f["subcategory"], f["provider_id"], f["evidence"]) for f in report["findings"]
            if f["category"] == "web-third-party"] == [
        ("video", "vimeo", "https://player.vimeo.com/video/1")]


def test_untrusted_certificate_is_a_tls_error(net):
    report, _ = audit_json(net, "tls.test")
    assert report["web"]["url"] == "https://tls.test/"
    assert report["web"]["error"]["kind"] == "tls"
    assert "certificate verify failed" in report["web"]["error"]["detail"]


def test_batch_reports_each_domain_and_the_sector(net, tmp_path):
    batch = tmp_path / "sector.csv"
    batch.write_text("domain,name,category\n# museums\n"
                     "ms365.test,\"Museum, One\",museum\n"
                     "gws.test,Theatre,theatre\n"
                     "selfhost.test,Library,library\n"
                     "dangling.test,,\n"
                     "nothere.ms365.test,Gone,museum\n"
                     "not_a domain,Bad,museum\n"
                     "badsig.test,Bogus,\n")
    html = tmp_path / "report.html"
    report, proc = audit_json(net, "--no-web", "--concurrency", "3", "--batch", str(batch),
                              "--html", str(html))
    assert proc.returncode == 1  # some domains could not be audited
    domains = report["domains"]
    assert [d["domain"] for d in domains] == ["ms365.test", "gws.test", "selfhost.test",
                                              "dangling.test", "nothere.ms365.test",
                                              "not_a domain", "badsig.test"]
    assert domains[0]["name"] == "Museum, One" and domains[0]["category"] == "museum"
    assert [d.get("error", {}).get("kind") for d in domains] == [
        None, None, None, None, "nxdomain", "invalid", "servfail"]
    sector = report["sector"]
    assert (sector["domains"], sector["audited"], sector["failed"]) == (7, 4, 3)
    mail = {row["provider"]: (row["domains"], row["share"])
            for row in sector["categories"]["mail"]["providers"]}
    assert mail == {"Microsoft 365": (1, 0.25), "Google Workspace": (1, 0.25),
                    "Self-hosted": (2, 0.5), "dmarcian": (1, 0.25)}
    jur = {row["jurisdiction"]: row["domains"]
           for row in sector["categories"]["mail"]["jurisdictions"]}
    assert jur == {"US": 2, "unknown": 2}
    hosting = {row["provider"]: row["domains"]
               for row in sector["categories"]["hosting"]["providers"]}
    assert hosting == {"Microsoft Azure": 1, "Google Cloud": 1, "OVHcloud": 2}
    assert sector["chart_svg"].startswith("<svg")
    page = html.read_text()
    assert " src=" not in page and " href=" not in page
    assert "Sector summary" in page and "<svg" in page and "Museum, One" in page


def test_terminal_report_is_readable(net):
    proc = audit(net, "--no-web", "ms365.test")
    assert proc.returncode == 0, proc.stderr
    assert "[mail] Microsoft 365 (US)" in proc.stdout
    assert "evidence: ms365.test MX 0 ms365-test.mail.protection.outlook.com" in proc.stdout
    assert "dnssec: insecure" in proc.stdout


def test_a_resolver_that_never_answers_is_a_timeout(tmp_path):
    # A UDP socket that reads nothing and a TCP listener that never replies: queries vanish.
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 5399))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 5399))
    tcp.listen(64)
    none = tmp_path / "none.ds"
    none.write_text("")
    try:
        started = time.monotonic()
        proc = subprocess.run([regie_bin(), "audit", "--json", "--no-web", "--resolver",
                               "127.0.0.1:5399", "--trust-anchor", str(none), "--timeout", "2",
                               "ms365.test", "gws.test"],
                              capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - started
    finally:
        udp.close()
        tcp.close()
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [d["error"]["kind"] for d in report["domains"]] == ["timeout", "timeout"]
    assert report["domains"][0]["error"]["detail"] == "no answer within 2000 ms"
    assert elapsed < 30


def test_bad_rules_file_is_a_usage_error(net, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\nversion = "someday"\n')
    proc = audit(net, "--rules", str(bad), "ms365.test")
    assert proc.returncode == 2
    assert "version must be a date" in proc.stderr
