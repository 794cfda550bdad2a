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
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
