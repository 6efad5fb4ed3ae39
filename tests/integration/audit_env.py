"""Fixture Internet for the autonomy audit: an authoritative DNS server (NSD) with zones under
.test, two of them signed at test time by ldns-signzone (one with a broken signature), a fake
origin.asn.cymru.com zone, and a web server with fixture home pages on loopback addresses.

Only for use inside a network namespace that has nothing but loopback (see 70-audit/): the web
server binds port 80 and the DNS server a fixed port, which is safe only there.
Every wait is bounded; processes started here are stopped by PID.
"""
import http.server
import os
import pathlib
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time

DNS_PORT = 5300
SIGNED = ("selfhost.test", "badsig.test")

# Home pages by Host header. gws.test redirects to www.gws.test; big.test is too large to read.
GWS_PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
<script>!function(f,b,e,v,n,t,s){t=b.createElement(e);t.src='https://connect.facebook.net/en_US/fbevents.js'}(window,document,'script');</script>
</head><body><iframe src="https://www.youtube.com/embed/abc"></iframe>
<img src="/logo.png"><script src="https://www.gws.test/app.js"></script></body></html>"""
MS365_PAGE = """<!doctype html><html><head><script src="https://cdn.jsdelivr.net/npm/x@1/x.js"></script>
<script src="https://js.hcaptcha.com/1/api.js"></script></head><body>Welcome</body></html>"""
SELF_PAGE = """<!doctype html><html><head><link rel="stylesheet" href="/style.css">
<script src="/matomo.js"></script></head><body><a href="https://selfhost.test/about">About</a></body></html>"""


def zones():
    """Zone name -> records (origin-relative), before signing."""
    ns = lambda host: f"@ NS {host}\n"
    return {
        "ms365.test": ns("ns1-01.azure-dns.com.") + """
@ MX 0 ms365-test.mail.protection.outlook.com.
@ TXT "v=spf1 include:spf.protection.outlook.com -all"
@ TXT "MS=ms12345678"
@ A 127.0.0.11
www A 127.0.0.11
selector1._domainkey CNAME selector1-ms365-test._domainkey.ms365test.onmicrosoft.com.
selector2._domainkey CNAME selector2-ms365-test._domainkey.ms365test.onmicrosoft.com.
autodiscover CNAME autodiscover.outlook.com.
lync CNAME sipdir.online.lync.com.
enterpriseregistration CNAME enterpriseregistration.windows.net.
_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@ms365.test"
""",
        "gws.test": ns("ns-cloud-a1.googledomains.com.") + """
@ MX 1 aspmx.l.google.com.
@ MX 5 alt1.aspmx.l.google.com.
@ TXT "v=spf1 include:_spf.google.com ~all"
@ TXT "google-site-verification=abc123"
@ TXT "acme-verification=42"
@ A 127.0.0.12
www A 127.0.0.12
google._domainkey TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:x@ag.dmarcian.com"
""",
        "selfhost.test": ns("ns1.selfhost.test.") + """
ns1 A 127.0.0.53
@ MX 10 mail.selfhost.test.
mail A 127.0.0.13
@ TXT "v=spf1 mx -all"
@ A 127.0.0.13
www CNAME selfhost.test.
_dmarc TXT "v=DMARC1; p=reject"
_mta-sts TXT "v=STSv1; id=20261204"
""",
        "badsig.test": ns("ns1.badsig.test.") + """
ns1 A 127.0.0.53
@ MX 10 mail.badsig.test.
mail A 127.0.0.13
@ A 127.0.0.13
""",
        "dangling.test": ns("ns1.dangling.test.") + """
ns1 A 127.0.0.53
@ MX 10 mail.gone.dangling.test.
@ A 127.0.0.13
""",
        "wwwonly.test": ns("ns1.wwwonly.test.") + """
ns1 A 127.0.0.53
www A 127.0.0.16
""",
        "tls.test": ns("ns1.tls.test.") + """
ns1 A 127.0.0.53
@ A 127.0.0.15
""",
        "big.test": ns("ns1.big.test.") + """
ns1 A 127.0.0.53
@ A 127.0.0.14
""",
        # Team Cymru's IP-to-ASN service, as origin.asn.cymru.com answers it.
        "asn.cymru.com": ns("ns1.asn.cymru.com.") + """
ns1 A 127.0.0.53
11.0.0.127.origin TXT "8075 | 127.0.0.0/28 | US | arin | 2026-01-01"
12.0.0.127.origin TXT "15169 | 127.0.0.12/32 | US | arin | 2026-01-01"
13.0.0.127.origin TXT "16276 | 127.0.0.13/32 | FR | ripencc | 2026-01-01"
""",
    }


def write_zone(path: pathlib.Path, origin: str, records: str):
    path.write_text(f"""$ORIGIN {origin}.
$TTL 300
@ SOA ns1.{origin}. hostmaster.{origin}. 2026120401 3600 600 86400 300
{records}""")


def sign(workdir: pathlib.Path, zone: str) -> str:
    """Signs the zone with a fresh ECDSA P-256 key; returns the DS record (the trust anchor)."""
    base = subprocess.run(["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone], cwd=workdir,
                          check=True, capture_output=True, text=True, timeout=30).stdout.strip()
    subprocess.run(["ldns-signzone", "-n", "-f", f"{zone}.zone.signed", f"{zone}.zone", base],
                   cwd=workdir, check=True, capture_output=True, text=True, timeout=30)
    return (workdir / f"{base}.ds").read_text().strip()


def break_dnskey_signature(path: pathlib.Path):
    """Flips one character of the RRSIG over the DNSKEY set: every answer becomes bogus."""
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        fields = line.split()
        if len(fields) > 5 and fields[3] == "RRSIG" and fields[4] == "DNSKEY":
            sig = fields[-1]
            fields[-1] = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
            lines[i] = "\t".join(fields)
            path.write_text("\n".join(lines) + "\n")
            return
    raise AssertionError(f"no RRSIG DNSKEY in {path}")


class DnsServer:
    def __init__(self, workdir: pathlib.Path):
        self.workdir = workdir
        self.proc = None
        self.trust_anchor = workdir / "trust-anchors.ds"

    def start(self):
        anchors = []
        conf = [f"""server:
  ip-address: 127.0.0.1
  port: {DNS_PORT}
  username: ""
  chroot: ""
  database: ""
  zonesdir: "{self.workdir}"
  zonelistfile: "{self.workdir}/zone.list"
  xfrdfile: "{self.workdir}/xfrd.state"
  pidfile: "{self.workdir}/nsd.pid"
  logfile: "{self.workdir}/nsd.log"
  server-count: 1
  do-ip6: no
  verbosity: 1
remote-control:
  control-enable: no
"""]
        for zone, records in zones().items():
            write_zone(self.workdir / f"{zone}.zone", zone, records)
            file = f"{zone}.zone"
            if zone in SIGNED:
                anchors.append(sign(self.workdir, zone))
                file = f"{zone}.zone.signed"
                if zone == "badsig.test":
                    break_dnskey_signature(self.workdir / file)
            conf.append(f"zone:\n  name: {zone}\n  zonefile: {file}\n")
        self.trust_anchor.write_text("\n".join(anchors) + "\n")
        (self.workdir / "nsd.conf").write_text("\n".join(conf))
        subprocess.run(["nsd-checkconf", str(self.workdir / "nsd.conf")], check=True, timeout=30)
        self.proc = subprocess.Popen(["nsd", "-d", "-c", str(self.workdir / "nsd.conf")],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            got = subprocess.run(["drill", "-p", str(DNS_PORT), "@127.0.0.1", "ms365.test", "SOA"],
                                 capture_output=True, text=True, timeout=10)
            if "NOERROR" in got.stdout and "ms365.test." in got.stdout:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise AssertionError("nsd did not start: " + (self.workdir / "nsd.log").read_text()
                             if (self.workdir / "nsd.log").exists() else "nsd did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class _Handler(http.server.BaseHTTPRequestHandler):
    pages = {}
    user_agents = []

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        _Handler.user_agents.append(self.headers.get("User-Agent", ""))
        if host == "gws.test":
            self.send_response(301)
            self.send_header("Location", "http://www.gws.test/home")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if host == "big.test":
            body = b"<html>" + b"x" * (3 << 20)
        else:
            body = _Handler.pages.get(host, "<html>no such site</html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class WebServer:
    """Plain HTTP on port 80 of every loopback address, and HTTPS on 127.0.0.15:443 with a
    self-signed certificate (which the audit must refuse: a "tls" error)."""

    def __init__(self, workdir: pathlib.Path):
        _Handler.pages = {"ms365.test": MS365_PAGE, "www.gws.test": GWS_PAGE,
                          "selfhost.test": SELF_PAGE,
                          "www.wwwonly.test": '<iframe src="https://player.vimeo.com/video/1"></iframe>'}
        _Handler.user_agents = []
        self.server = http.server.ThreadingHTTPServer(("0.0.0.0", 80), _Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        key, cert = workdir / "tls.key", workdir / "tls.crt"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=tls.test", "-days", "1",
                        "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True, timeout=30)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.tls_server = http.server.ThreadingHTTPServer(("127.0.0.15", 443), _Handler)
        self.tls_server.socket = context.wrap_socket(self.tls_server.socket, server_side=True)
        self.tls_thread = threading.Thread(target=self.tls_server.serve_forever, daemon=True)

    @property
    def user_agents(self):
        return _Handler.user_agents

    def start(self):
        self.thread.start()
        self.tls_thread.start()
        return self

    def stop(self):
        for server in (self.server, self.tls_server):
            server.shutdown()
            server.server_close()


def only_loopback() -> bool:
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True,
                           check=True, timeout=10).stdout
    names = [re.split(r":\s*", line)[1].split("@")[0] for line in links.splitlines() if line]
    return names == ["lo"]
