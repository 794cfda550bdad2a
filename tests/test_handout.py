"""A4 handouts: every seed model page prints (Chromium print-to-PDF, print media) on at most 3 A4 pages, without
the site's chrome, with the figures table and sources, and with a QR code that decodes to the page's own URL
and the GB/T 7714 citation under it. Also the copy buttons of the cite block."""
from __future__ import annotations

import re
import struct
import zlib

import pytest
import segno
import zxingcpp

from casebook.pipeline import build
from conftest import ARTIFACTS, ROOT

CASES = [c.id for c in build(ROOT / "data")[0].cases]
A4_POINTS = (595, 842)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Sizes of the PDF's pages, from their MediaBox entries (Chromium writes one per page)."""
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)]


def png_pixels(png: bytes) -> tuple[int, list[bytearray]]:
    """Width and rows of a 1-bit greyscale PNG (what segno writes), one byte a pixel (0 dark, 255 light).
    Reads every filter type, so the test does not depend on which ones the writer chose."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        chunks.setdefault(kind, b"")
        chunks[kind] += png[at + 8:at + 8 + length]
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (1, 0), "1-bit greyscale"
    raw, stride = zlib.decompress(chunks[b"IDAT"]), (width + 7) // 8
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left, up, corner = (line[i - 1] if i else 0), previous[i], (previous[i - 1] if i else 0)
            p = left + up - corner
            paeth = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
            line[i] = (line[i] + (0, left, up, (left + up) // 2, paeth)[kind]) & 255
        rows.append(bytearray(255 if line[x // 8] >> (7 - x % 8) & 1 else 0 for x in range(width)))
        previous = line
    return width, rows


def qr_text(png: bytes, scale: int = 4) -> str:
    """Decode the QR code PNG as a scanner would see it scaled up (as the page shows it: without smoothing)."""
    width, rows = png_pixels(png)
    pixels = b"".join(bytes(v for v in row for _ in range(scale)) * scale for row in rows)
    image = memoryview(pixels).cast("B", shape=[len(rows) * scale, width * scale])
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
    # the QR code's PNG has one pixel a module: printed and shown scaled up without smoothing, its modules sharp
    assert page.locator(".cb-cite .qr img").evaluate("i => getComputedStyle(i).imageRendering") == "pixelated"
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
    assert srcs == [f"../../data/cite/{case_id}.png"]
    png = (built_site / "models" / case_id / srcs[0]).resolve().read_bytes()
    # one pixel a module (issue 17: 10,000 of them; the SVG was 1.9 KB): the page scales it up without smoothing
    assert len(png) < 400, len(png)
    width, rows = png_pixels(png)
    code = segno.make(canonical, error="l", micro=False)
    assert (width, len(rows)) == code.symbol_size(scale=1, border=2)
    assert [[0 if dark else 255 for dark in row] for row in code.matrix_iter(scale=1, border=2)] == [list(r) for r in rows]
    assert qr_text(png) == canonical == f"https://casebook.example.org/models/{case_id}/"


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
