"""Make Pagefind's bundle the same bytes for the same site.

Pagefind 1.5.2 writes its filter (facet) files from hash maps, so the order of the values in them,
and with it their names and the name of the metadata file that lists them, change from one run
to the next ("TODO: Change filter indexes to BTree to give them a stable hash" in Pagefind's
source). The index and fragment files are stable. :func:`canonicalise` rewrites the unstable files
in a fixed order and names them by their content, as Pagefind does, so that a build stays
deterministic.

The files are gzip-compressed ``pagefind_dcd`` + CBOR: the metadata file is
``[version, pages, index chunks, [[filter, file hash]…], sorts, metadata fields]`` and each filter
file ``[filter, [[value, [page number…]]…]]``. Only what these files use of CBOR is read and
written here (unsigned and negative integers, byte and text strings, arrays, maps); anything else
stops the build rather than being passed through wrongly.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

MAGIC = b"pagefind_dcd"


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise ValueError(f"CBOR: {value} is too large")


def cbor_encode(item) -> bytes:
    """Canonical (shortest) CBOR of ints, str, bytes, lists and dicts (keys in the given order)."""
    if isinstance(item, bool) or item is None:
        raise ValueError(f"CBOR: {item!r} is not used by Pagefind's files")
    if isinstance(item, int):
        return _head(0, item) if item >= 0 else _head(1, -1 - item)
    if isinstance(item, bytes):
        return _head(2, len(item)) + item
    if isinstance(item, str):
        data = item.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(item, list):
        return _head(4, len(item)) + b"".join(cbor_encode(x) for x in item)
    if isinstance(item, dict):
        return _head(5, len(item)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in item.items())
    raise ValueError(f"CBOR: cannot encode {type(item).__name__}")


def cbor_decode(data: bytes):
    def item(i: int):
        initial = data[i]
        major, extra = initial >> 5, initial & 31
        i += 1
        if extra < 24:
            value = extra
        elif extra in (24, 25, 26, 27):
            size = 1 << (extra - 24)
            value, i = int.from_bytes(data[i:i + size], "big"), i + size
        else:
            raise ValueError(f"CBOR: unsupported item {initial:#x} at {i - 1}")
        if major == 0:
            return value, i
        if major == 1:
            return -1 - value, i
        if major in (2, 3):
            chunk = data[i:i + value]
            return (chunk if major == 2 else chunk.decode("utf-8")), i + value
        if major == 4:
            out = []
            for _ in range(value):
                x, i = item(i)
                out.append(x)
            return out, i
        if major == 5:
            out = {}
            for _ in range(value):
                k, i = item(i)
                out[k], i = item(i)
            return out, i
        raise ValueError(f"CBOR: unsupported major type {major} at {i - 1}")

    value, end = item(0)
    if end != len(data):
        raise ValueError("CBOR: trailing bytes")
    return value


def read_file(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise ValueError(f"{path}: not a Pagefind data file")
    return cbor_decode(raw[len(MAGIC):])


def pack(item) -> tuple[bytes, str]:
    """Compressed file content and its content hash (hex)."""
    raw = MAGIC + cbor_encode(item)
    return gzip.compress(raw, 9, mtime=0), hashlib.sha256(raw).hexdigest()


def canonicalise(bundle: Path) -> None:
    """Rewrite the filter files, the metadata file and pagefind-entry.json of ``bundle`` in a fixed order."""
    bundle = Path(bundle)
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        version, pages, chunks, filters, sorts, fields = read_file(meta_path)
        renamed = []
        for name, old in sorted(filters):
            filter_path = bundle / "filter" / f"{old}.pf_filter"
            filter_name, values = read_file(filter_path)
            content, digest = pack([filter_name, sorted([value, sorted(ids)] for value, ids in values)])
            new = f"{language}_{digest[:7]}"
            filter_path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(content)
            renamed.append([name, new])
        content, digest = pack([version, pages, chunks, renamed, sorts, sorted(fields)])
        meta_path.unlink()
        info["hash"] = f"{language}_{digest[:11]}"
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(content)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
