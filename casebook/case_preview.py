"""Preview one case (`make serve CASE=<id>`): the site of that case alone, with the real templates,
styles and search, built in seconds whatever the size of data/.

The preview has a docs folder of its own (default .preview/docs), so the generated pages of the whole
site in docs/ are left alone: it links every hand-written file and folder of docs/ (edits to them
show too) and receives the pages generated for the one case. The MkDocs hook generates only that
case when CASEBOOK_CASE is set (casebook.load.load_data's ``only``): its model page and the pages
that list it (its measure types, metrics, tags, region, the matrix, the compare page, the downloads).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .write import GENERATED_DIRS, GENERATED_FILES


def case_file(data_dir: Path, case_id: str) -> Path | None:
    found = sorted((Path(data_dir) / "cases").rglob(f"{case_id}.yml"))
    return found[0] if found else None


def prepare_docs(docs: Path, dest: Path) -> Path:
    """A docs folder at ``dest`` whose hand-written entries are links to those of ``docs``."""
    docs, dest = Path(docs).resolve(), Path(dest)
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    generated = set(GENERATED_DIRS) | set(GENERATED_FILES) | {"feed.xml"}
    wanted = {entry.name for entry in docs.iterdir() if entry.name not in generated and not entry.name.startswith(".")}
    for entry in dest.iterdir():
        if entry.is_symlink() and entry.name not in wanted:
            entry.unlink()  # a hand-written file since removed from docs/
    for name in sorted(wanted):
        link = dest / name
        if link.is_symlink() and os.readlink(link) == str(docs / name):
            continue
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.is_dir():
            shutil.rmtree(link)
        link.symlink_to(docs / name)
    return dest
