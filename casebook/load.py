"""Read the data directory into memory. Nothing here interprets or checks meaning."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .history import last_changed
from .problems import Problem
from .yamlsafe import Document, load_yaml_file

TAXONOMY_FILES = {"tags": "tags.yml", "measures": "measures.yml", "metrics": "metrics.yml", "regions": "regions.yml"}
SYNONYMS_FILE = "synonyms.yml"  # search synonyms (casebook/search/vocabulary.py); optional: no file, no synonyms
MAX_SOURCE_BYTES = 2 * 1024 * 1024


@dataclass
class RawData:
    """Everything under data/, as written, with the problems met while reading it."""

    root: Path
    taxonomies: dict[str, Document | None] = field(default_factory=dict)
    synonyms: Document | None = None
    cases: list[Document] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # archive file name -> text
    changed: dict[str, str] = field(default_factory=dict)  # display path -> date of its last commit (git)
    problems: list[Problem] = field(default_factory=list)


def display_path(path: Path, data_root: Path) -> str:
    """Paths in messages are relative to the project (data/cases/...), as contributors see them."""
    try:
        return str(path.resolve().relative_to(data_root.resolve().parent))
    except ValueError:
        return str(path)


def load_cases(data_root: Path, raw: RawData, only: str | None = None) -> None:
    cases_dir = data_root / "cases"
    paths = sorted(cases_dir.rglob("*")) if only is None else sorted(cases_dir.rglob(f"{only}.yml"))
    if only is not None and not paths:
        raw.problems.append(Problem(display_path(cases_dir, data_root), 1, 1, "", f"no case file {only}.yml to preview",
                                    "CASE= takes a case id, the name of its file under data/cases/<province>/ without .yml"))
    for path in paths:
        if path.is_dir():
            continue
        shown = display_path(path, data_root)
        if path.suffix == ".yaml":
            raw.problems.append(Problem(shown, 1, 1, "", "case files end in .yml", f"rename it to {path.stem}.yml"))
            continue
        if path.suffix != ".yml":
            continue
        doc, problems = load_yaml_file(path, shown)
        raw.problems.extend(problems)
        if doc is not None and not problems:
            raw.cases.append(doc)


def load_sources(data_root: Path, raw: RawData, only: set[str] | None = None) -> None:
    """Archived sources (``only``: those file names, for a one-case preview)."""
    paths = sorted((data_root / "sources").glob("*.txt")) if only is None else sorted(
        data_root / "sources" / name for name in only if (data_root / "sources" / name).is_file())
    for path in paths:
        shown = display_path(path, data_root)
        data = path.read_bytes()
        if len(data) > MAX_SOURCE_BYTES:
            raw.problems.append(Problem(shown, 1, 1, "", "archived source is larger than 2 MB", "archive the article text only"))
            continue
        try:
            raw.sources[path.name] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raw.problems.append(Problem(shown, line, 1, "", "archived source is not valid UTF-8",
                                        "convert it to UTF-8, e.g. iconv -f GBK -t UTF-8"))


def load_data(data_root: Path, only: str | None = None) -> RawData:
    """Read taxonomies, cases and archived sources under ``data_root``; ``only``: just the case of that
    id (a preview of one case, `make serve CASE=<id>`)."""
    data_root = Path(data_root)
    raw = RawData(root=data_root)
    if not data_root.is_dir():
        raw.problems.append(Problem(str(data_root), 1, 1, "", "data directory not found", "pass --data DIR pointing at the data/ folder"))
        return raw
    for name, filename in TAXONOMY_FILES.items():
        path = data_root / filename
        doc, problems = load_yaml_file(path, display_path(path, data_root))
        raw.problems.extend(problems)
        raw.taxonomies[name] = doc if not problems else None
    synonyms = data_root / SYNONYMS_FILE
    if synonyms.is_file():
        doc, problems = load_yaml_file(synonyms, display_path(synonyms, data_root))
        raw.problems.extend(problems)
        raw.synonyms = doc if not problems else None
    load_cases(data_root, raw, only)
    if only is None:
        load_sources(data_root, raw)
    else:  # a preview reads the previewed case's sources, not every archive under data/sources/
        listed = [doc.data.get("sources") for doc in raw.cases if isinstance(doc.data, dict)]
        archives = {s.get("archive") for sources in listed if isinstance(sources, list) for s in sources if isinstance(s, dict)}
        load_sources(data_root, raw, {a for a in archives if isinstance(a, str) and "/" not in a})
    raw.changed = {display_path(data_root / rel, data_root): date for rel, date in last_changed(data_root).items()}
    return raw
