"""A4 handouts: every seed model page prints (Chromium print-to-PDF, print media) on at most 3 A4 pages, without
the site's chrome, with the figures table and sources, and with a QR code that decodes to the page's own URL
and the GB/T 7714 citation under it. Also the copy buttons of the cite block."""
from __future__ import annotations

import re

import pytest
import zxingcpp

from casebook.pipeline import build
from conftest import ARTIFACTS, ROOT

CASES = [c.id for c in build(ROOT / "data")[0].cases]
A4_POINTS = (595, 842)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Sizes of the PDF's pages, from their MediaBox entries (Chromium writes one per page)."""
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)]


def qr_text(svg: str) -> str:
    """Rasterise the inline QR SVG (segno: one horizontal stroke per run of dark modules) and decode it."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    scale = 4
    pixels = bytearray([255]) * (size * scale) ** 2
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", re.search(r' d="([^"]+)"', svg).group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y)  # the stroke is centred on the row: y = row + 0.5
            for col in range(int(x), int(x + float(a))):
                for dy in range(scale):
                    start = ((row * scale + dy) * size + col) * scale
                    pixels[start:start + scale] = bytes(scale)
            x += float(a)
    image = memoryview(pixels).cast("B", shape=[size * scale, size * scale])
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


@pytest.mark.parametrize("case_id", CASES)
def test_model_page_prints_on_at_most_three_a4_pages(case_id, page, site_url):
    page.goto(f"{site_url}models/{case_id}/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"handout-{case_id}.pdf").write_bytes(pdf)
    sizes = pdf_pages(pdf)
    assert 1 <= len(sizes) <= 3, f"{case_id}: {len(sizes)} pages"
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes)


def test_print_keeps_the_content_and_drops_the_chrome(page, site_url):
    page.goto(f"{site_url}models/{CASES[0]}/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search",
                   ".cb-cite .cb-alt", ".cb-copy-btn"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1", "#measures", "#figures", "#sources", "table", ".cb-cite .qr img"):
        assert page.locator(shown).first.is_visible(), shown
    gbt = page.locator(".cb-cite .cb-copy").first
    assert gbt.is_visible() and "[EB/OL]" in gbt.inner_text()
    qr_box, gbt_box = page.locator(".cb-cite .qr").bounding_box(), gbt.bounding_box()
    assert gbt_box["y"] >= qr_box["y"] + qr_box["height"] - 1, "the citation is printed under the QR code"
    rules = page.evaluate("""() => [...document.querySelectorAll('.md-typeset tr')].map(
        r => getComputedStyle(r).breakInside)""")
    assert rules and set(rules) == {"avoid"}


@pytest.mark.parametrize("case_id", CASES)
def test_qr_code_decodes_to_the_page_url(case_id, built_site):
    html = (built_site / "models" / case_id / "index.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    # the code is a file beside the case's CSL-JSON (issue 17: model pages within 40 KB), shown as an <img>
    srcs = re.findall(r'<div class="qr"[^>]*><img src="([^"]+)" alt="[^"]*" width="120" height="120"></div>', html)
    assert srcs == [f"../../data/cite/{case_id}.svg"]
    svg = (built_site / "models" / case_id / srcs[0]).resolve().read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox=')
    assert len(svg) < 2300, "compact: one path"
    assert qr_text(svg) == canonical == f"https://casebook.example.org/models/{case_id}/"


def test_copy_button_copies_the_citation(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(f"{site_url}models/{CASES[0]}/#cite")
        buttons = page.locator(".cb-cite .cb-copy-btn")
        assert buttons.count() == 4  # GB/T, APA, BibTeX, sources
        buttons.nth(0).click()
        page.wait_for_function("() => document.querySelector('.cb-copy-btn').textContent.includes('Copied')")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == page.locator(".cb-cite .cb-copy").first.inner_text().strip()
        assert copied.startswith("老干部参与基层治理实践模式库. ") and "[EB/OL]" in copied
        buttons.nth(2).click()  # BibTeX: the text of data/cite/<id>.bib, which the page links
        page.wait_for_function("() => document.querySelectorAll('.cb-copy-btn')[2].textContent.includes('Copied')")
        bibtex = page.evaluate("() => navigator.clipboard.readText()")
        assert bibtex.startswith(f"@online{{casebook:{CASES[0]},\n  author = ")
    finally:
        context.close()
