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

GENERATED_DIRS = ("models", "measures", "metrics", "tags", "regions", "sources", "matrix", "compare", "data", "feeds", "search")
GENERATED_SUFFIXES = (".md", ".json", ".xml")  # generated JSON carries the mark in its "$comment", feeds in a comment
GENERATED_FILES = ("index.md", "feed.xml")
DATA_DIRS = ("data",)  # every non-Markdown file below these is generated
GENERATED_SUFFIXES += (".html",)  # redirect stubs of renamed cases (models/<former id>/index.html), marked in a comment


def _bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text  # compressed downloads are bytes already


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
    """Generated files now in docs/ (StagedWriter's hidden temporary files are not among them)."""
    found = {docs / name for name in GENERATED_FILES if (docs / name).is_file()}
    for d in GENERATED_DIRS:
        if (docs / d).is_dir():
            found.update(p for p in (docs / d).rglob("*") if p.suffix in GENERATED_SUFFIXES)
    for d in DATA_DIRS:
        if (docs / d).is_dir():
            found.update(p for p in (docs / d).rglob("*") if p.is_file() and _is_download(p, docs))
    return {p for p in found if not p.name.startswith(".")}


def plan_writes(docs: Path, pages: dict[str, str | bytes]) -> tuple[dict[Path, str | bytes], list[Path], list[Problem]]:
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
            if target.read_bytes() == _bytes(text):
                continue
        writes[target] = text
    wanted = {docs / rel for rel in pages}
    stale = sorted(p for p in _owned(docs) - wanted if _is_generated(p, docs))
    return writes, stale, problems


def replace_file(target: Path, text: str | bytes) -> None:
    """Write ``target`` whole or not at all: a reader (MkDocs, or a browser under serve) never sees half of it."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(_bytes(text))
    os.replace(tmp, target)


def apply_writes(writes: dict[Path, str | bytes], stale: list[Path]) -> None:
    for target, text in writes.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, text)
    for path in stale:
        path.unlink()


class StagedWriter:
    """Streams generated files into docs/ without holding them: each page is compared with the file
    already there as it is rendered, and a changed one is staged as a hidden temporary file beside
    its target. :meth:`commit` then renames every staged file into place and deletes stale generated
    files; :meth:`abort` removes the temporary files (and directories this writer made). Either the
    whole set of changes lands or none does: a failed build changes nothing. ``dry``: compare only
    (for --check), never touching disk."""

    def __init__(self, docs: Path, dry: bool = False) -> None:
        self.docs = Path(docs)
        self.dry = dry
        self.seen: set[Path] = set()
        self.staged: list[Path] = []
        self.made: list[Path] = []
        self.problems: list[Problem] = []

    @staticmethod
    def temporary(target: Path) -> Path:
        return target.with_name(f".{target.name}.tmp")

    def add(self, rel: str, text: str | bytes) -> None:
        target = self.docs / rel
        self.seen.add(target)
        data = _bytes(text)
        if target.exists():
            if not _is_generated(target, self.docs):
                self.problems.append(Problem(str(target), 1, 1, "", "a hand-written file is in the way of a generated page",
                                             "move or rename the hand-written file; generated pages own this path"))
                return
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return
        self.staged.append(target)
        if self.dry:
            return
        if not target.parent.is_dir():
            missing = [target.parent, *(p for p in target.parent.parents if p.is_relative_to(self.docs))]
            self.made.extend(reversed([p for p in missing if not p.exists()]))
            target.parent.mkdir(parents=True, exist_ok=True)
        self.temporary(target).write_bytes(data)

    def merge(self, seen: list[Path], staged: list[Path], made: list[Path], problems: list[Problem]) -> None:
        """Take over what another writer (in a worker process, on the same docs/) staged."""
        self.seen.update(seen)
        self.staged.extend(staged)
        self.made.extend(made)
        self.problems.extend(problems)

    def state(self) -> tuple[list[Path], list[Path], list[Path], list[Problem]]:
        return sorted(self.seen), self.staged, self.made, self.problems

    def stale(self) -> list[Path]:
        return sorted(p for p in _owned(self.docs) - self.seen if _is_generated(p, self.docs))

    def commit(self) -> tuple[list[Path], list[Path]]:
        """Put the staged files in place and delete stale ones; returns (written, deleted)."""
        stale = self.stale()
        if not self.dry:
            for target in self.staged:
                os.replace(self.temporary(target), target)
            for path in stale:
                path.unlink()
        return sorted(self.staged), stale

    def abort(self) -> None:
        if self.dry:
            return
        for target in self.staged:
            self.temporary(target).unlink(missing_ok=True)
        for folder in sorted(set(self.made), key=lambda p: len(p.parts), reverse=True):
            try:
                folder.rmdir()
            except OSError:
                pass
