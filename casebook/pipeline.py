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


def build(data_dir: Path, settings: dict | None = None) -> tuple[Site, dict[str, str]]:
    """Pure part: validated model and rendered pages. Raises DataError with every problem.
    ``settings``: page_size (see settings_from_env), site_url and site_name (default: mkdocs.yml's)."""
    raw = load_data(Path(data_dir))
    problems = validate(raw)
    if problems:
        raise DataError(problems)
    site = build_site(raw)
    del raw  # the parsed YAML, with a position for every node, is not needed past the model (memory at 10,000 cases)
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


@dataclass
class Summary:
    """What the MkDocs hook needs of a generation run in a child process (see generate_apart)."""
    written: int
    deleted: int
    redirects: dict[str, str]


class DataReport(Exception):
    """A DataError's report, from a child process (generate_apart)."""

    def report(self) -> str:
        return str(self.args[0])


def _generate_summary(data_dir: Path, docs_dir: Path, settings: dict | None) -> Summary | str:
    from . import yamlsafe
    from .links import redirect_maps

    yamlsafe.cache_parsed(False)  # this process generates once and ends

    try:
        result = generate(data_dir, docs_dir, settings=settings)
    except DataError as exc:
        return exc.report()  # text crosses the process boundary; the exception's problems need not
    return Summary(len(result.written), len(result.deleted), redirect_maps(result.site))


def generate_apart(data_dir: Path, docs_dir: Path, settings: dict | None = None) -> Summary:
    """:func:`generate` in a child process, for one-off builds: the models and pages of the whole
    site (1.6 GB at 10,000 cases) go back to the system when it ends, instead of staying in the
    process that then renders every page with MkDocs. Raises DataReport with the report text."""
    import concurrent.futures
    import multiprocessing

    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        outcome = pool.submit(_generate_summary, Path(data_dir), Path(docs_dir), settings).result()
    if isinstance(outcome, str):
        raise DataReport(outcome)
    return outcome
