"""Search indexing under ``mkdocs serve``: after a rebuild, not in it.

A rebuild under ``make serve`` (``--dirty``) takes a few seconds even at 1,000 cases, and the browser
reloads when it ends; indexing every page for search takes longer than that. So under serve the
hook hands the site to :data:`REINDEXER`, which indexes it in the background while the reader
already sees the edit; the search index follows a few seconds later. Requests that arrive while it
works collapse into one more run, on the latest site. ``mkdocs build`` indexes in line (the hook
calls :func:`casebook.search.index.build_index` itself), so a built site is always complete.

The background run is a child process at low priority (:func:`index_in_child`), not a thread: the
pages are folded for the index in pure Python, which in a thread would hold the interpreter lock
while MkDocs rebuilds after the next edit (a one-case edit at 1,000 cases took 20 s instead of 12).
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .index import IndexReport

ROOT = Path(__file__).resolve().parent.parent  # the package's parent, for the child's import path


def index_in_child(site_dir: Path) -> IndexReport:
    """:func:`casebook.search.index.build_index` of ``site_dir`` in a child process at low priority."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "casebook.search", str(site_dir)], env=env,
                          capture_output=True, text=True, preexec_fn=lambda: os.nice(10))
    if done.returncode != 0:
        raise RuntimeError((done.stderr or done.stdout).strip()[-2000:])
    return IndexReport(**json.loads(done.stdout))

log = logging.getLogger("mkdocs.hooks.casebook")


class Reindexer:
    def __init__(self, index: Callable[[Path], object]):
        self._index = index
        self._lock = threading.Lock()
        self._pending: Path | None = None
        self._thread: threading.Thread | None = None
        self.serving = False  # set by the hook's on_startup: True under `mkdocs serve`
        self.runs = 0

    def request(self, site_dir: Path) -> None:
        """Index ``site_dir`` soon; returns at once."""
        with self._lock:
            self._pending = Path(site_dir)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="casebook-search-index", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                site_dir, self._pending = self._pending, None
                if site_dir is None:
                    self._thread = None
                    return
            start = time.perf_counter()
            try:
                report = self._index(site_dir)
            except Exception as exc:  # the server keeps serving; the next rebuild tries again
                log.warning("casebook: search index not updated: %s", exc)
            else:
                log.info("casebook: search index of %s pages updated in the background (%.1f s)",
                         getattr(report, "pages", "?"), time.perf_counter() - start)
            self.runs += 1

    def wait(self, timeout: float = 60.0) -> bool:
        """Until no run is under way or pending (tests); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                thread = self._thread
            if thread is None:
                return True
            thread.join(min(0.1, max(0.0, deadline - time.monotonic())))
        return False


# One per process: MkDocs runs the hook file afresh for each rebuild under serve, the package once.
REINDEXER = Reindexer(index_in_child)
