"""Shared fixtures: the real site built once per session, served on loopback, and Debian's Chromium."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.write import GENERATED_DIRS, GENERATED_FILES  # noqa: E402

# Material prints a banner (with the word WARNING) about MkDocs 2.0 into every build's stderr unless these are set.
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def hand_written_docs(dest: Path) -> Path:
    """Copy docs/ without generated pages, so a test build starts from what is committed."""
    def ignore(directory, names):
        if Path(directory).resolve() == (ROOT / "docs").resolve():
            return [n for n in names if n in GENERATED_DIRS or n in GENERATED_FILES]
        return []
    shutil.copytree(ROOT / "docs", dest, ignore=ignore)
    return dest


def mkdocs_build(data_dir: Path, docs_dir: Path, site_dir: Path, extra_env: dict | None = None,
                 engine: str = "mkdocs") -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` (or `properdocs build --strict`) with the project's mkdocs.yml on the given data."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", CASEBOOK_DATA=str(data_dir), CASEBOOK_DOCS=str(docs_dir))
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real data built into a fresh site with `mkdocs build --strict`."""
    base = tmp_path_factory.mktemp("real")
    docs = hand_written_docs(base / "docs")
    site = base / "site"
    result = mkdocs_build(ROOT / "data", docs, site)
    assert result.returncode == 0, result.stdout + result.stderr
    site.joinpath(".build-log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@contextlib.contextmanager
def mkdocs_serve(docs: Path, timeout: float = 90):
    """`mkdocs serve` of the project (as `make serve` runs it) on a free port, with its generated pages
    written into ``docs``; yields the base URL once the home page answers, and stops the server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", CASEBOOK_DOCS=str(docs))
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "--dev-addr", f"127.0.0.1:{port}",
                               "-f", str(ROOT / "mkdocs.yml")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "mkdocs serve did not start"
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def site_url(built_site):
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


# The reader the browser tests play unless they say otherwise: one whose browser asks for Chinese and English,
# who gets the bilingual view on a first visit (overrides/main.html). Headless Chromium asks for English only,
# which would give the English view. test_language.py chooses its readers with new_context(languages=...).
BILINGUAL_READER = ("zh-CN", "en-US")


def _with_reader_languages(browser):
    """browser.new_context(languages=(...)) sets navigator.languages for the pages of the context; None: Chromium's own."""
    new_context = browser.new_context

    def new_context_for(*args, languages=BILINGUAL_READER, **kwargs):
        context = new_context(*args, **kwargs)
        if languages is not None:
            context.add_init_script(f"Object.defineProperty(navigator, 'languages', {{get: () => {list(languages)!r}}});")
        return context

    browser.new_context = new_context_for
    return browser


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                                "--disable-component-update", "--no-first-run"])
        yield _with_reader_languages(b)
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
