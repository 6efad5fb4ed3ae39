#!/usr/bin/env python3
"""Fails when a file under src/ includes a Regie header from a layer it may not depend on.

The layers (docs/architecture.md): base <- model <- {formats, storage} <- service; proto sits on
model and formats; net on proto; frontend binds proto to service over net; app wires everything.
A storage backend (storage/<name>/) may use the storage interfaces but no other backend.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src"
ALLOWED = {
    "base": {"base"},
    "model": {"model", "base"},
    "formats": {"formats", "model", "base"},
    "storage": {"storage", "model", "base"},
    "service": {"service", "storage", "formats", "model", "base"},
    "proto": {"proto", "formats", "model", "base"},
    "net": {"net", "proto", "base"},
    "frontend": {"frontend", "proto", "service", "net", "formats", "model", "base"},
    "audit": {"audit", "net", "formats", "model", "base"},  # net: the home page fetch
    "app": None,  # The composition root may include everything.
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel: pathlib.PurePath) -> str:
    return rel.parts[0]


def main() -> int:
    problems = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in {".h", ".cc"}:
            continue
        rel = path.relative_to(ROOT)
        layer = layer_of(rel)
        if layer not in ALLOWED:
            problems.append(f"{rel}: folder '{layer}' is not a known layer")
            continue
        allowed = ALLOWED[layer]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = pathlib.PurePath(match.group(1))
            if len(target.parts) < 2:
                continue  # Local headers such as "asio_pch.h" resolve beside the file.
            target_layer = target.parts[0]
            if allowed is not None and target_layer not in allowed:
                problems.append(f"{rel}:{number}: {layer}/ may not include {target}")
            # Backends stay independent: storage/sqlite never includes storage/localfs.
            if (layer == "storage" and len(rel.parts) > 2 and target_layer == "storage"
                    and len(target.parts) > 2 and target.parts[1] != rel.parts[1]):
                problems.append(f"{rel}:{number}: backend {rel.parts[1]} includes {target}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violation(s); see docs/architecture.md")
        return 1
    print("layering ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
