"""On the real built site: a prefilled "report a correction" link on every model page, model pages
within budget, and no broken internal link (the offline checker CI runs on pull requests)."""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from casebook.load import load_data

ROOT = Path(__file__).resolve().parent.parent
# Issue 18's lang-marked halves of every pair took the longest seed page to 50.0 KB (budget 52 KB); issue 17 brought it
# back to 45.8 KB (view script, QR code and BibTeX as files, Material's config trimmed, shorter meta description).
# Then 38.7 KB (issue 17's later session: search fields in search/cases/<id>.txt, no table of contents, labels
# drawn by CSS, one source said once; bench/RESULTS.md): issue 17's target, 40 KB, is the budget.
MODEL_PAGE_BUDGET = 40 * 1024
LINK = re.compile(r'<p class="cb-correction"[^>]*><a href="([^"]+)"[^>]*><span lang=zh>报告错误</span> <span lang=en>Report a correction</span></a></p>')


def case_ids() -> list[str]:
    return sorted(d.data["id"] for d in load_data(ROOT / "data").cases)


def test_every_model_page_has_a_prefilled_correction_link(built_site):
    ids = case_ids()
    assert len(ids) >= 5
    for case_id in ids:
        page = (built_site / "models" / case_id / "index.html").read_text(encoding="utf-8")
        links = LINK.findall(page)
        assert len(links) == 1, case_id
        url = urlsplit(html.unescape(links[0]))
        assert (url.scheme, url.netloc, url.path) == ("https", "github.com", "/casebook/casebook/issues/new")
        query = parse_qs(url.query, strict_parsing=True)
        assert query["template"] == ["correction.yml"]
        assert query["case"] == [case_id]
        assert query["title"] == [f"[纠错 Correction] {case_id}"]
        assert query["page"] == [f"https://casebook.example.org/models/{case_id}/"]
        assert " " not in links[0] and "纠" not in links[0]  # percent-encoded


def test_repository_address_comes_from_the_environment(tmp_path):
    from conftest import hand_written_docs, mkdocs_build
    docs = hand_written_docs(tmp_path / "docs")
    result = mkdocs_build(ROOT / "data", docs, tmp_path / "site",
                          {"CASEBOOK_REPO_URL": "https://github.com/example-org/fork", "SITE_URL": "https://fork.example/cb/"})
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "models" / case_ids()[0] / "index.html").read_text(encoding="utf-8")
    url = urlsplit(html.unescape(LINK.search(page).group(1)))
    assert url.path == "/example-org/fork/issues/new"
    assert parse_qs(url.query)["page"] == [f"https://fork.example/cb/models/{case_ids()[0]}/"]


def test_model_pages_stay_within_budget(built_site):
    sizes = {p.parent.name: p.stat().st_size for p in (built_site / "models").glob("*/index.html")}
    assert len(sizes) >= 5
    assert max(sizes.values()) <= MODEL_PAGE_BUDGET, sizes


def test_no_broken_internal_links(built_site):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_links.py"), str(built_site)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\d+ pages: 0 broken internal links", result.stdout)


def test_link_checker_finds_broken_links(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/">ok</a><a href="b/">gone</a><a href="a/#here">ok</a>'
                                     '<a href="a/#nowhere">bad</a><img src="../../etc/passwd"><a href="https://x.example/">ext</a>',
                                     encoding="utf-8")
    (site / "a" / "index.html").write_text('<h2 id="here">h</h2>', encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_links.py"), str(site)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "index.html: b/ (no such file)" in result.stderr
    assert "index.html: a/#nowhere (no id 'nowhere' on the page)" in result.stderr
    assert "(outside the site)" in result.stderr and "a/#here" not in result.stderr
    assert "1 https" in result.stdout


def test_correction_link_is_visible_on_a_model_page(page, site_url):
    case_id = case_ids()[0]
    page.goto(f"{site_url}models/{case_id}/")
    link = page.get_by_role("link", name=re.compile("报告错误.*Report a correction"))
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    href = link.get_attribute("href")
    assert parse_qs(urlsplit(href).query)["case"] == [case_id]
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "correction-link.png"))
