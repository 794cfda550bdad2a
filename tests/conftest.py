"""Shared fixtures: the real site built once per session, served on loopback, and Debian's Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
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


@pytest.fixture(scope="session")
def site_url(built_site):
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                                "--disable-component-update", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
