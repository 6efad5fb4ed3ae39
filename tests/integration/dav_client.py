"""Small WebDAV helpers for the integration tests: PROPFIND and REPORT bodies, and multistatus
parsing into {href: {"status": int|None, "props": {"{ns}name": element}, "missing": set}}."""
import urllib.parse
import xml.etree.ElementTree as ET

DAV = "DAV:"


def q(name, ns=DAV):
    return "{%s}%s" % (ns, name)


def propfind_body(*names):
    """A PROPFIND for DAV: property names (or (ns, name) pairs); no names: allprop."""
    if not names:
        return b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>'
    props = []
    for i, n in enumerate(names):
        if isinstance(n, tuple):
            props.append(f'<x{i}:{n[1]} xmlns:x{i}="{n[0]}"/>')
        else:
            props.append(f"<d:{n}/>")
    return ('<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop>' + "".join(props) +
            "</d:prop></d:propfind>").encode()


def parse_status(text):
    return int(text.split()[1]) if text else None


def parse_multistatus(content):
    root = ET.fromstring(content)
    assert root.tag == q("multistatus"), root.tag
    out = {}
    for resp in root.findall(q("response")):
        href = resp.find(q("href")).text
        entry = {"status": None, "props": {}, "missing": set(), "element": resp}
        status = resp.find(q("status"))
        if status is not None:
            entry["status"] = parse_status(status.text)
        for ps in resp.findall(q("propstat")):
            code = parse_status(ps.find(q("status")).text)
            for prop in ps.find(q("prop")):
                if code == 200:
                    entry["props"][prop.tag] = prop
                else:
                    entry["missing"].add(prop.tag)
        out[href] = entry
    token = root.find(q("sync-token"))
    return out, (token.text if token is not None else None)


def propfind(regie, path, depth="1", names=(), user="admin", **kw):
    headers = {"Depth": depth, "Content-Type": "application/xml"}
    headers.update(kw.pop("headers", {}))
    return regie.request("PROPFIND", path, data=propfind_body(*names), headers=headers,
                         user=user, **kw)


def listing(regie, path, depth="1", names=("resourcetype",), **kw):
    r = propfind(regie, path, depth=depth, names=names, **kw)
    assert r.status_code == 207, (r.status_code, r.text)
    return parse_multistatus(r.content)[0]


def sync_collection(regie, path, token="", level="1", names=("getetag",), limit=None, **kw):
    props = "".join(f"<d:{n}/>" for n in names)
    limit_xml = f"<d:limit><d:nresults>{limit}</d:nresults></d:limit>" if limit else ""
    body = (f'<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:">'
            f"<d:sync-token>{token}</d:sync-token><d:sync-level>{level}</d:sync-level>"
            f"{limit_xml}<d:prop>{props}</d:prop></d:sync-collection>").encode()
    return regie.request("REPORT", path, data=body,
                         headers={"Content-Type": "application/xml"}, **kw)


def href_path(href):
    """The decoded path of an href."""
    return urllib.parse.unquote(urllib.parse.urlsplit(href).path)


def error_condition(response):
    """The precondition element of a DAV:error body, as '{ns}name', or None."""
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError:
        return None
    if root.tag != q("error") or len(root) == 0:
        return None
    return root[0].tag
