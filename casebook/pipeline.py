"""load -> validate -> model -> render -> write, as one call for the CLI and the MkDocs hook. Pages are
written as they are rendered (streaming), by as many processes as there are cores in a one-off build."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .load import load_data
from .model import Site, build_site
from .problems import DataError
from .render import iter_pages, render_site
from .validate import validate
from .write import StagedWriter


@dataclass
class Result:
    site: Site
    page_count: int
    written: list[Path]
    deleted: list[Path]


def settings_from_env(env: dict) -> dict:
    """Rendering settings a deployment may override (CASEBOOK_PAGE_SIZE: listing page size, for tests and
    benchmarks; CASEBOOK_JOBS: processes that render a one-off build, default: the machine's cores)."""
    return {"page_size": env.get("CASEBOOK_PAGE_SIZE")}


# Case pages by fingerprint, for the life of the process (see render_site).
_PAGE_CACHE: dict = {}


def load_site(data_dir: Path, only: str | None = None, jobs: int = 1) -> Site:
    """Validated model (``only``: of that one case; ``jobs``: processes that check the cases). Raises
    DataError with every problem."""
    raw = load_data(Path(data_dir), only)
    problems = validate(raw, jobs)
    if problems:
        raise DataError(problems)
    site = build_site(raw)
    del raw  # the parsed YAML, with a position for every node, is not needed past the model (memory at 10,000 cases)
    return site


def _bounded_cache(site: Site) -> dict:
    if len(_PAGE_CACHE) > 8 * len(site.cases) + 1000:
        _PAGE_CACHE.clear()  # bounded: old fingerprints of edited cases do not pile up
    return _PAGE_CACHE


def build(data_dir: Path, settings: dict | None = None) -> tuple[Site, dict[str, str | bytes]]:
    """Pure part: validated model and rendered pages (all in memory: for tests and the seeds; builds
    stream, see :func:`write_site`). Raises DataError with every problem.
    ``settings``: page_size (see settings_from_env), site_url and site_name (default: mkdocs.yml's)."""
    site = load_site(data_dir)
    return site, render_site(site, settings, _bounded_cache(site))


# What forked rendering workers inherit (set just before they are forked): no pickling of the model.
_JOB: tuple = ()


def _render_part(k: int, n: int):
    site, docs, settings, dry = _JOB
    writer = StagedWriter(docs, dry)
    count = 0
    for rel, text in iter_pages(site, settings, None, part=(k, n)):
        writer.add(rel, text)
        count += 1
    return (*writer.state(), count)


def jobs_from_env(env: dict) -> int:
    value = env.get("CASEBOOK_JOBS", "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1)


def write_site(site: Site, docs_dir: Path, settings: dict | None = None, check: bool = False, jobs: int = 1,
               cache: dict | None = None) -> tuple[int, list[Path], list[Path]]:
    """Render and write every page, streaming: each page is written (staged) as soon as it is rendered
    and then let go, so memory does not grow with the site's pages. ``jobs`` > 1: that many forked
    processes render between them (one-off builds; under serve the page cache of this process is
    quicker). Nothing is written on any problem. Returns (pages, written, deleted)."""
    global _JOB
    writer = StagedWriter(Path(docs_dir), dry=check)
    try:
        if jobs > 1:
            import concurrent.futures
            import multiprocessing

            _JOB = (site, Path(docs_dir), settings, check)
            try:
                with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                    parts = [pool.submit(_render_part, k, jobs) for k in range(jobs)]
                    results = [p.result() for p in parts]
            finally:
                _JOB = ()
            count = 0
            for seen, staged, made, problems, n in results:
                writer.merge(seen, staged, made, problems)
                count += n
        else:
            count = 0
            for rel, text in iter_pages(site, settings, cache):
                writer.add(rel, text)
                count += 1
        if writer.problems:
            raise DataError(writer.problems)
    except BaseException:
        writer.abort()
        raise
    written, deleted = writer.commit()
    return count, written, deleted


def generate(data_dir: Path, docs_dir: Path, check: bool = False, settings: dict | None = None, jobs: int = 1,
             only: str | None = None) -> Result:
    """Validate and render everything (``only``: the site of that one case, for a preview); unless
    ``check``, write the pages. Nothing is written on any problem."""
    site = load_site(data_dir, only, jobs)
    count, written, deleted = write_site(site, docs_dir, settings, check, jobs, _bounded_cache(site) if jobs == 1 else None)
    if check:
        return Result(site, count, [], [])
    return Result(site, count, written, deleted)


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
        result = generate(data_dir, docs_dir, settings=settings, jobs=jobs_from_env(os.environ))
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
