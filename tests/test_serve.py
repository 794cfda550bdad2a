"""`mkdocs serve` with the project's config answers, an edit under data/ shows up without a restart, and the
search index, built in the background after each rebuild (casebook/search/reindex.py), follows the edit."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, hand_written_docs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def stop(server: subprocess.Popen) -> None:
    """End a server started by a test: asked to stop, killed if it has not within 10 s."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def test_serve_answers_and_reloads_on_data_change(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    docs = hand_written_docs(tmp_path / "docs")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CASEBOOK_DATA=str(data), CASEBOOK_DOCS=str(docs))
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(ROOT / "mkdocs.yml"),
                               "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/models/hubei-wuhan-wuchang-huajin/"
    try:
        assert wait_for(lambda: fetch(url) is not None, 120), "mkdocs serve did not answer"
        assert "华锦" in fetch(url)
        entry = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        assert wait_for(lambda: fetch(entry) is not None, 120), "no search index under serve"
        index_before = fetch(entry)
        case = data / "cases" / "hubei" / "hubei-wuhan-wuchang-huajin.yml"
        text = case.read_text(encoding="utf-8")
        case.write_text(text.replace("title: ", "title: 已修改标题", 1), encoding="utf-8")
        assert wait_for(lambda: "已修改标题" in (fetch(url) or ""), 60), "data edit not picked up"
        # the title is search metadata: the index is rebuilt with it (its metadata file is named by content)
        assert wait_for(lambda: fetch(entry) not in (None, index_before), 120), "search index did not follow the edit"
    finally:
        stop(server)


def test_preview_of_one_case_serves_its_pages_and_shows_an_edit(tmp_path):
    """`make serve CASE=<id>` (scripts/preview_case.py): that case's model page and the pages listing it,
    with the real styles and search, from a docs folder of its own; an edit shows after a rebuild of
    the one case's site. (Timed at 10,000 cases in bench/serve_edit.py --preview.)"""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    port = free_port()
    case_id = "hubei-wuhan-wuchang-huajin"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("CASEBOOK_DOCS", None)
    preview = tmp_path / "preview" / "docs"
    server = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "preview_case.py"), case_id, "--port", str(port),
                               "--data", str(data), "--preview", str(preview)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: fetch(base + f"models/{case_id}/") is not None, 120), "preview did not answer"
        model = fetch(base + f"models/{case_id}/")
        assert "华锦" in model and "stylesheets/casebook.css" in model and "javascripts/search.js" in model
        assert fetch(base + "models/beijing-xicheng-desheng-12345/") is None  # only the one case
        region = fetch(base + "regions/hubei/")
        assert f"models/{case_id}/" in region
        measure = next(p for p in sorted((preview / "measures").glob("*.md")) if case_id in p.read_text(encoding="utf-8"))
        assert f"models/{case_id}/" in fetch(base + f"measures/{measure.stem}/")
        assert wait_for(lambda: fetch(base + "pagefind/pagefind-entry.json") is not None, 120), "no search index"
        assert (preview / "about.md").is_symlink() and not (ROOT / "docs" / "models" / f"{case_id}.md").is_symlink()
        case = data / "cases" / "hubei" / f"{case_id}.yml"
        case.write_text(case.read_text(encoding="utf-8").replace("title: ", "title: 预览修改", 1), encoding="utf-8")
        assert wait_for(lambda: "预览修改" in (fetch(base + f"models/{case_id}/") or ""), 60), "edit not shown"
    finally:
        stop(server)


def test_preview_of_an_unknown_case_says_what_case_takes(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "preview_case.py"), "no-such-case", "--port", str(free_port()),
                             "--preview", str(tmp_path / "p")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "no case file no-such-case.yml" in result.stderr and "Hint:" in result.stderr
    assert not (tmp_path / "p").exists()
