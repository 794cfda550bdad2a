"""load -> validate -> model -> render -> write, as one call for the CLI and the MkDocs hook."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import load_data
from .model import Site, build_site
from .problems import DataError
from .render import render_site
from .validate import validate
from .write import apply_writes, plan_writes


@dataclass
class Result:
    site: Site
    pages: dict[str, str]
    written: list[Path]
    deleted: list[Path]


def settings_from_env(env: dict) -> dict:
    """Rendering settings a deployment may override (CASEBOOK_PAGE_SIZE: listing page size, for tests and benchmarks)."""
    return {"page_size": env.get("CASEBOOK_PAGE_SIZE")}


# Case pages by fingerprint, for the life of the process (see render_site).
_PAGE_CACHE: dict = {}


def forget_caches() -> None:
    """Drop the per-process caches (rendered case pages, parsed YAML). `mkdocs build` generates once,
    so it frees them before Material renders: at 10,000 cases they hold hundreds of megabytes."""
    from .yamlsafe import _PARSED

    _PAGE_CACHE.clear()
    _PARSED.clear()


def build(data_dir: Path, settings: dict | None = None) -> tuple[Site, dict[str, str]]:
    """Pure part: validated model and rendered pages. Raises DataError with every problem.
    ``settings``: page_size (see settings_from_env), site_url and site_name (default: mkdocs.yml's)."""
    raw = load_data(Path(data_dir))
    problems = validate(raw)
    if problems:
        raise DataError(problems)
    site = build_site(raw)
    if len(_PAGE_CACHE) > 8 * len(site.cases) + 1000:
        _PAGE_CACHE.clear()  # bounded: old fingerprints of edited cases do not pile up
    return site, render_site(site, settings, _PAGE_CACHE)


def generate(data_dir: Path, docs_dir: Path, check: bool = False, settings: dict | None = None) -> Result:
    """Validate and render everything; unless ``check``, write the pages. Nothing is written on any problem."""
    site, pages = build(data_dir, settings)
    writes, stale, refusals = plan_writes(Path(docs_dir), pages)
    if refusals:
        raise DataError(refusals)
    if check:
        return Result(site, pages, [], [])
    apply_writes(writes, stale)
    return Result(site, pages, sorted(writes), stale)
