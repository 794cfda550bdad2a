"""Text from data is data: HTML, javascript: links, Markdown and Jinja syntax in any YAML text field come out
inert on every page, including <title> (MkDocs un-escapes the H1 it derives titles from)."""
from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, hand_written_docs, mkdocs_build, serve

FIXTURES = ROOT / "tests" / "fixtures"
EVIL_ID = "beijing-evil-case"


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("evil")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    header, body = (FIXTURES / "evil-case.yml").read_bytes().split(b"\n", 1)
    target = data / header.decode().removeprefix("# place: ").strip()
    target.write_bytes(body)
    shutil.copy(FIXTURES / "evil-source.txt", data / "sources" / f"{EVIL_ID}.txt")
    site = base / "site"
    result = mkdocs_build(data, hand_written_docs(base / "docs"), site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


class _Audit(HTMLParser):
    """Collects anything that would run or load: scripts, event handlers, javascript: URLs, frames, styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.in_script = False
        self.in_title = False
        self.title = ""

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        self.in_title = tag == "title"
        if tag in ("iframe", "svg", "img", "style", "b") and any("__xss" in (v or "") for _, v in attrs):
            self.findings.append(f"<{tag}> from data")
        if tag in ("iframe", "style"):
            self.findings.append(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "__xss" in value:
                self.findings.append(f"event handler {name}={value!r}")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.findings.append(f"{name}={value!r}")

    def handle_endtag(self, tag):
        self.in_script = False
        self.in_title = False if tag == "title" else self.in_title

    def handle_data(self, data):
        if self.in_script and "__xss" in data:
            self.findings.append(f"live script: {data[:60]!r}")
        if self.in_title:
            self.title += data


def _pages(site: Path) -> list[Path]:
    pages = [site / "models" / EVIL_ID / "index.html", site / "index.html", site / "sources" / "index.html",
             site / "measures" / "vanguard-team" / "index.html", site / "metrics" / "volunteer-teams" / "index.html",
             site / "tags" / "veteran-vanguard" / "index.html", site / "regions" / "beijing" / "index.html",
             site / "models" / "index.html"]
    return pages + sorted(p for p in site.rglob("*.html") if p not in pages)


def test_no_payload_is_live_in_any_page(evil_site):
    for path in _pages(evil_site):
        audit = _Audit()
        audit.feed(path.read_text(encoding="utf-8"))
        assert audit.findings == [], f"{path.relative_to(evil_site)}: {audit.findings}"


def test_title_element_shows_the_text_literally(evil_site):
    audit = _Audit()
    audit.feed((evil_site / "models" / EVIL_ID / "index.html").read_text(encoding="utf-8"))
    assert audit.title.startswith("A </title><script>window.__xss=1</script> 标题")


def test_jinja_syntax_in_data_is_not_evaluated(evil_site):
    html = (evil_site / "models" / EVIL_ID / "index.html").read_text(encoding="utf-8")
    audit = _Audit()
    text = []
    audit.handle_data = text.append  # collect visible text with entities decoded
    audit.feed(html)
    visible = "".join(text)
    assert "{{ 7*7 }}" in visible and "{% if true %}jinja{% endif %}" in visible
    assert "{% raw %}{{ site }}" in visible and "{{ config }}" in visible


def test_nothing_runs_in_the_browser(evil_site, page):
    server = serve(evil_site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for path in ("models/beijing-evil-case/", "", "sources/", "measures/vanguard-team/", "metrics/volunteer-teams/",
                     "regions/beijing/", "models/"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__xss") == "undefined", path
        page.goto(base + "models/beijing-evil-case/")
        assert page.locator("h1 [lang=zh]").first.inner_text() == "A </title><script>window.__xss=1</script> 标题"
        assert page.locator("article").get_by_text("[点我](javascript:window.__xss=3)").count() >= 1
        assert page.evaluate("document.title").startswith("A </title><script>")
        assert page.evaluate("getComputedStyle(document.body).display") != "none"
    finally:
        server.shutdown()
    assert dialogs == []
