"""The only step that touches disk: put generated pages into docs/.

Generated pages live in the directories listed in GENERATED_DIRS plus GENERATED_FILES, and each
starts with GENERATED_MARK. A file there without the mark is someone's hand-written page:
it is never overwritten or deleted. Downloads (CSV, JSON) have no room for a mark, so every
non-Markdown file under the DATA_DIRS is generated: hand-written files do not go there. Only files whose bytes change are written (so
``mkdocs serve --dirty`` rebuilds only what an edit touched), each through a temporary file
and an atomic rename.
"""
from __future__ import annotations

import os
from pathlib import Path

from .problems import Problem
from .render import GENERATED_MARK

GENERATED_DIRS = ("models", "measures", "metrics", "tags", "regions", "sources", "matrix", "compare", "data", "search")
GENERATED_SUFFIXES = (".md", ".json")  # generated JSON carries the mark in its "$comment"
GENERATED_FILES = ("index.md", "feed.xml")
DATA_DIRS = ("data",)  # every non-Markdown file below these is generated
GENERATED_SUFFIXES += (".html",)  # redirect stubs of renamed cases (models/<former id>/index.html), marked in a comment


def _is_download(path: Path, docs: Path) -> bool:
    rel = path.relative_to(docs).parts if path.is_relative_to(docs) else ()
    return path.suffix != ".md" and len(rel) > 1 and rel[0] in DATA_DIRS


def _is_generated(path: Path, docs: Path | None = None) -> bool:
    if docs is not None and _is_download(path, docs):
        return True
    try:
        with path.open("rb") as fh:
            return GENERATED_MARK.encode() in fh.read(512)
    except OSError:
        return False


def _owned(docs: Path) -> set[Path]:
    found = {docs / name for name in GENERATED_FILES if (docs / name).is_file()}
    for d in GENERATED_DIRS:
        if (docs / d).is_dir():
            found.update(p for p in (docs / d).rglob("*") if p.suffix in GENERATED_SUFFIXES)
    for d in DATA_DIRS:
        if (docs / d).is_dir():
            found.update(p for p in (docs / d).rglob("*") if p.is_file() and _is_download(p, docs))
    return found


def plan_writes(docs: Path, pages: dict[str, str]) -> tuple[dict[Path, str], list[Path], list[Problem]]:
    """What would change: files to write (with their text, the same objects as in ``pages``: at
    10,000 cases a copy of every page as bytes would cost some 400 MB), stale generated files to
    delete, and refusals."""
    writes: dict[Path, str] = {}
    problems: list[Problem] = []
    for rel, text in sorted(pages.items()):
        target = docs / rel
        if target.exists():
            if not _is_generated(target, docs):
                problems.append(Problem(str(target), 1, 1, "", "a hand-written file is in the way of a generated page",
                                        "move or rename the hand-written file; generated pages own this path"))
                continue
            if target.read_bytes() == text.encode("utf-8"):
                continue
        writes[target] = text
    wanted = {docs / rel for rel in pages}
    stale = sorted(p for p in _owned(docs) - wanted if _is_generated(p, docs))
    return writes, stale, problems


def replace_file(target: Path, text: str) -> None:
    """Write ``target`` whole or not at all: a reader (MkDocs, or a browser under serve) never sees half of it."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(text.encode("utf-8"))
    os.replace(tmp, target)


def apply_writes(writes: dict[Path, str], stale: list[Path]) -> None:
    for target, text in writes.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, text)
    for path in stale:
        path.unlink()
