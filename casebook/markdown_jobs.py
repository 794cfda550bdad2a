"""MkDocs converts every page's Markdown on one core, one page after another: at 10,000 cases that is
most of its run (156 s of 228 in a profile of 2,000 cases), with the machine's other cores idle.
Here forked processes convert a share of the pages with MkDocs' own ``Page.render`` (the same
extensions, link checks and anchors) while MkDocs converts the rest; each page then takes its result
in MkDocs' own order, and the warnings the conversion logged are logged again there, so `--strict`
counts them and the build log reads as it would. Same input, same bytes as one process
(tests/test_engines.py builds both ways).

MkDocs itself has no parallel build (mkdocs/mkdocs#1900), and no plugin does this; the only hook
point is the page's ``render``, which the page is given for its turn (``take``).
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
import time
import traceback
import types
import zlib


def _engine(files, module: str):
    """The engine's own module (mkdocs, or ProperDocs, whose classes are its own), from its Files."""
    return importlib.import_module(type(files).__module__.split(".")[0] + ".structure." + module)


# Below this many pages the pass takes tenths of a second either way (the seeds' 88 pages: 0.4 s in one
# process, 0.3 s in two), not worth another process.
MIN_PAGES = 64
# Pages a worker converts before it sends them back: fewer round trips, little waiting at the end.
CHUNK = 8
# Seconds MkDocs waits for a page from a worker before it converts the rest itself (a page takes
# milliseconds; a worker the system killed never answers, and MkDocs would wait for ever).
WAIT = 60

log = logging.getLogger("mkdocs.hooks.casebook")

_STATE: dict = {}  # what forked workers inherit: the config and files (nothing of them is pickled)


class _Capture(logging.Handler):
    """In a worker: keep what the conversion logs, to be logged again in MkDocs' process."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
        record.msg, record.args, record.exc_info, record.exc_text = message, None, None, None
        self.records.append(record)


def _worker_start(engine: str) -> None:
    capture = _Capture()
    for name in {"mkdocs", engine}:  # ProperDocs logs under its own name (and the hook under mkdocs')
        root = logging.getLogger(name)
        root.handlers[:] = [capture]  # the terminal and the strict-mode counter are MkDocs' process's
        root.propagate = False
    _STATE["capture"] = capture


def _convert(src_uri: str):
    """In a worker: one page's Markdown as MkDocs' Page.render makes it, and what it logged."""
    capture = _STATE["capture"]
    capture.records = []
    try:
        # a worker the pool started again (after one died) has no config: MkDocs' process converts the page
        config, files = _STATE["config"], _STATE["files"]
        file = files.get_file_from_path(src_uri)
        page = file.page or _engine(files, "pages").Page(None, file, config)
        page.read_source(config)
        page.render(config, files)
    except Exception:  # noqa: BLE001 -- MkDocs' process converts this page itself, and reports it as it would
        return src_uri, None, capture.records
    links = None
    if page.links_to_anchors is not None:
        links = {to_file.src_uri: anchors for to_file, anchors in page.links_to_anchors.items()}
    # packed: a worker ahead of MkDocs' process leaves its pages waiting in that process's memory
    done = (zlib.compress(page.content.encode("utf-8"), 1), page.toc, page._title_from_render, page.present_anchor_ids, links)
    page.content = page.markdown = None
    return src_uri, done, capture.records


def _convert_all(src_uris: list[str]) -> list:
    return [_convert(uri) for uri in src_uris]


class MarkdownJobs:
    """Conversions in flight for one build: started in on_nav, each page takes its own in on_page_markdown."""

    def __init__(self):
        self.enabled = True
        self.pool = None
        self.results = None
        self.mine: set[str] = set()
        self.early: dict = {}  # results of pages MkDocs skipped (a dirty build), or not reached yet
        self.pages = self.converted = self.workers = 0
        self.started: float | None = None  # when the workers were started (perf_counter)

    def start(self, config, files, jobs: int, own_event=None) -> int:
        """Fork ``jobs`` - 1 workers and give them all pages but every ``jobs``-th; returns the pages handed out.
        ``own_event``: the caller's on_page_markdown; any other plugin's may change the Markdown, so then
        every page is converted in MkDocs' process."""
        self.stop()
        pages = [f.src_uri for f in files.documentation_pages(inclusion=_engine(files, "files").InclusionLevel.is_included)]
        self.started, self.pages = time.perf_counter(), len(pages)
        others = [event for event in config.plugins.events["page_markdown"] if event != own_event]
        if jobs < 2 or len(pages) < MIN_PAGES or others:
            return 0
        handed = [uri for i, uri in enumerate(pages) if i % jobs]
        _STATE.update(config=config, files=files)
        try:
            engine = type(files).__module__.split(".")[0]
            self.pool = multiprocessing.get_context("fork").Pool(jobs - 1, initializer=_worker_start, initargs=(engine,))
        finally:
            _STATE.pop("config"), _STATE.pop("files")
        # chunks by hand: Pool.imap's own chunks give an iterator without a timeout
        self.results = self.pool.imap(_convert_all, [handed[i:i + CHUNK] for i in range(0, len(handed), CHUNK)])
        self.mine, self.workers = set(handed), jobs - 1
        return len(handed)

    def take(self, page, files) -> None:
        """On the page's turn: if a worker converts it, its render becomes taking the worker's result."""
        if page.file.src_uri not in self.mine:
            return
        self.mine.discard(page.file.src_uri)
        while page.file.src_uri not in self.early:  # in MkDocs' order, so normally the next one
            try:
                batch = self.results.next(timeout=WAIT)
            except (multiprocessing.TimeoutError, StopIteration):  # a worker killed (out of memory?) or stuck
                log.info("casebook: no answer from the process converting Markdown in %d s; the rest is converted here", WAIT)
                self._give_up()
                return
            self.early.update((src_uri, result) for src_uri, *result in batch)
        done, records = self.early.pop(page.file.src_uri)
        for record in records:
            logging.getLogger(record.name).handle(record)
        if done is None:
            return  # a conversion that failed: MkDocs converts the page and reports the error itself
        page.render = types.MethodType(_filled(done, files), page)
        self.converted += 1

    def _give_up(self) -> None:
        self.pool.terminate()
        self.pool.join()
        self.pool = self.results = None
        self.mine, self.early = set(), {}

    def stop(self) -> tuple[int, int, int, float]:
        """End the workers; returns the pages, how many of them the workers converted, how many workers
        there were, and the seconds since start."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
        done = (self.pages, self.converted, self.workers, time.perf_counter() - self.started if self.started else 0.0)
        self.pool = self.results = None
        self.mine, self.early, self.pages, self.converted, self.workers, self.started = set(), {}, 0, 0, 0, None
        return done


def _filled(done, files):
    packed, toc, title, anchor_ids, links = done

    def render(page, config, _files) -> None:
        page.content = zlib.decompress(packed).decode("utf-8")
        page.toc, page._title_from_render, page.present_anchor_ids = toc, title, anchor_ids
        if links is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}
        del page.render  # the page's own render again, for a later build under serve

    return render


JOBS = MarkdownJobs()  # the hook's (casebook/mkdocs_hook.py)
