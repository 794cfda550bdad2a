"""A content-addressed cache on disk for work that comes out the same from one build to the next:
formatted citations, QR codes and rendered model pages (issue 17: at 10,000 cases they are most of
the generation time).

Each entry is a file named by the SHA-256 of what it is computed from: the kind of work, a version
(of the libraries, or of casebook's own code and templates) and the input. A changed input or
version never finds an old entry, so nothing is ever stale; entries are only ever added. The
folder is .cache/casebook/ in the project (CASEBOOK_CACHE elsewhere, "off" for none); CI may keep
it between runs, and deleting it at any time only makes the next build cold. Writes go through a
temporary file and a rename, so concurrent builds and the rendering processes share it safely.
"""
from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    setting = os.environ.get("CASEBOOK_CACHE", "")
    if setting == "off":
        return None
    return Path(setting) if setting else PACKAGE.parent / ".cache" / "casebook"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Digest of everything under casebook/ that shapes a page: its code, templates and schemas."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2"), *(PACKAGE.parent / "schema").glob("*.json")]):
        digest.update(path.relative_to(PACKAGE.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(kind: str, version: str, key: str, compute: Callable[[], str]) -> str:
    """``compute()``, or the text it gave before for the same kind, version and key."""
    root = cache_dir()
    if root is None:
        return compute()
    name = hashlib.sha256(f"{kind}\0{version}\0{key}".encode("utf-8")).hexdigest()
    path = root / kind / name[:2] / name[2:]
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{name[2:]}.{os.getpid()}.tmp")
        tmp.write_text(value, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full disk makes the build slower, never wrong
    return value
