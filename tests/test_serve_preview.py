"""The preview explains itself (casebook/preview.py): under `mkdocs serve --dirty --no-strict` (as `make serve`),
saving an invalid case file shows its problems on the open page within 5 s, every page still answers with the
last good site, and saving the fix shows the page again. In Chromium, on a copy of the data."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ARTIFACTS, ROOT, hand_written_docs
from test_serve import free_port, stop, wait_for

CASE = "cases/hubei/hubei-wuhan-wuchang-huajin.yml"
CASE_URL = "models/hubei-wuhan-wuchang-huajin/"
OTHER_PAGES = ["", "models/", "measures/", "regions/", "models/beijing-xicheng-desheng-12345/", "no-such-page/"]
# a misspelt key, and a key that is HTML: both reported, the second shown as text
BREAK = ("title: ", "titel: ")
HTML_KEY = '"<img src=x onerror=alert(1)>": 1\n'


@pytest.fixture
def served(tmp_path, request):
    """mkdocs serve on a copy of the data; parametrised with "broken", started with the case already invalid.

    Tests ask for ``page`` before ``served``, so that the server stops (closing the page's livereload request)
    before the browser context closes: once, a context closed with that request open never finished closing."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    if getattr(request, "param", None) == "broken":
        (data / CASE).write_text((data / CASE).read_text(encoding="utf-8").replace(*BREAK, 1), encoding="utf-8")
    docs = hand_written_docs(tmp_path / "docs")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CASEBOOK_DATA=str(data), CASEBOOK_DOCS=str(docs))
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(ROOT / "mkdocs.yml"),
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: status_of(base + "about/") == 200, 120), "mkdocs serve did not answer"
        yield base, data, tmp_path / "serve.log"
    finally:
        stop(server)
        log.close()


def status_of(url: str) -> int | None:
    """The HTTP status of ``url``, or None if it does not answer within 5 s (a hanging request)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_invalid_save_shows_its_problems_and_the_fix_shows_the_page(page, served):
    base, data, log = served
    case = data / CASE
    good = case.read_text(encoding="utf-8")
    page.goto(base + CASE_URL)
    page.wait_for_selector("h1")
    title = page.inner_text("h1")
    assert page.locator("#casebook-problems").count() == 0

    case.write_text(good.replace(*BREAK, 1) + HTML_KEY, encoding="utf-8")
    saved = time.monotonic()
    box = page.wait_for_selector("#casebook-problems", timeout=5000)  # livereload reloads the page after the rebuild
    shown = time.monotonic() - saved
    text = box.inner_text()
    assert f"data/{CASE}:" in text and "unknown key 'titel'" in text and "did you mean 'title'?" in text
    assert "Hint:" in text and "title: required field is missing" in text
    assert "<img src=x onerror=alert(1)>" in text  # the key, as text
    assert page.locator("#casebook-problems img").count() == 0  # ... never as markup
    assert page.inner_text("h1") == title  # the last good page stays under the problems
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-preview-problems.png"))

    # no request hangs: every page answers at once from the last good site, 404 included
    for path in OTHER_PAGES:
        assert status_of(base + path) == (404 if path.startswith("no-such") else 200), f"/{path} did not answer within 5 s"
    other = page.context.new_page()
    other.goto(base + "models/", timeout=5000)
    other.wait_for_selector("#casebook-problems", timeout=5000)  # any page opened meanwhile says so too
    other.close()

    case.write_text(good, encoding="utf-8")
    page.wait_for_selector("#casebook-problems", state="detached", timeout=5000)
    assert page.inner_text("h1") == title
    assert "✗" not in page.title()
    print(f"problems shown {shown:.1f} s after the save")
    assert "The server will appear stuck" not in log.read_text(encoding="utf-8")


def test_the_fix_of_a_page_shows_the_edit(page, served):
    """After an invalid save, a valid edit (not the old text) renders as today."""
    base, data, _ = served
    case = data / CASE
    good = case.read_text(encoding="utf-8")
    page.goto(base + CASE_URL)
    case.write_text(good.replace(*BREAK, 1), encoding="utf-8")
    page.wait_for_selector("#casebook-problems", timeout=5000)
    case.write_text(good.replace("title: ", "title: 修改后的标题", 1), encoding="utf-8")
    page.wait_for_selector("#casebook-problems", state="detached", timeout=5000)
    page.wait_for_selector("h1:has-text(\"修改后的标题\")", timeout=5000)


@pytest.mark.parametrize("served", ["broken"], indirect=True)
def test_serve_started_on_invalid_data_explains_and_recovers(page, served):
    """A fresh clone whose data is invalid: no page was ever generated, so the home page is the dev server's 404
    (which has no livereload); it shows the problems, and the fix brings the home page."""
    base, data, _ = served
    page.goto(base)
    assert "unknown key 'titel'" in page.wait_for_selector("#casebook-problems", timeout=5000).inner_text()
    case = data / CASE
    case.write_text(case.read_text(encoding="utf-8").replace(BREAK[1], BREAK[0], 1), encoding="utf-8")
    page.wait_for_selector("#casebook-problems", state="detached", timeout=10000)
    page.wait_for_selector(".md-content h1", timeout=5000)
    assert status_of(base) == 200 and status_of(base + CASE_URL) == 200


def test_status_lists_problems_escaped_and_at_most_fifty(tmp_path):
    import json

    from casebook.preview import SHOWN, STATUS_PATH, Preview, with_script
    from casebook.problems import Problem

    preview = Preview()
    preview.failed([Problem(f"data/cases/x/{i:03d}.yml", i, 1, "tags[0]", "bad <script>alert(1)</script>", "fix {{ it }}")
                    for i in range(SHOWN + 10)], "report")
    preview.write_status(tmp_path)
    status = json.loads((tmp_path / STATUS_PATH).read_text(encoding="utf-8"))
    assert status["problems"] == SHOWN + 10
    assert status["html"].count("<li ") == SHOWN and "10 more" in status["html"]
    assert "<script>" not in status["html"] and "&lt;script&gt;" in status["html"] and "{{ it }}" in status["html"]
    preview.passed({})
    preview.write_status(tmp_path)
    assert json.loads((tmp_path / STATUS_PATH).read_text(encoding="utf-8")) == {"html": "", "problems": 0}
    page = with_script("<html><body><p>x</p></body></html>", "http://127.0.0.1:8123/sub/")
    assert page.index('"/sub/casebook-preview/status.json"') < page.index("</body>")
