"""The language views (issue 18): 中文 / English / 双语 on every page, in Debian's Chromium at desktop and
phone widths. Screenshots of each view go to test-artifacts/language/ for a person to look at."""
from __future__ import annotations

import re

import pytest

from conftest import ARTIFACTS
from test_handout import A4_POINTS, pdf_pages

SHOTS = ARTIFACTS / "language"
WIDTHS = (1280, 390)
VIEWS = ("zh", "en")
MODEL = "hubei-wuhan-wuchang-huajin"
SEEDS = ["beijing-xicheng-desheng-12345", "guangxi-qinzhou-lingshan-sanhai", "hubei-wuhan-wuchang-huajin",
         "shandong-jinan-pingyin-siweiyiti", "yunnan-qujing-qilin-siqiang"]
COMPARE = ["hubei-wuhan-wuchang-huajin", "beijing-xicheng-desheng-12345", "yunnan-qujing-qilin-siqiang"]
PAGES = {
    "home": "",
    "model": f"models/{MODEL}/",
    "metric": "metrics/volunteers/",
    "search": "search/?q=网格",
    "compare": "compare/?ids=" + ",".join(COMPARE),
    "matrix": "matrix/",
}
BILINGUAL = ("zh-CN", "en-US")

# Text the reader's view must not show: visible text whose language (its nearest lang, or its script when it is
# Chinese in the English view) is the other one. Exempt: quotations (q, and .cb-one: quoted excerpts, source
# titles, citations, names written in one language only), the switch (each choice in its own language), code.
LEAKS = r"""() => {
  const HAN = /\p{Script=Han}/u, WORD = /[A-Za-z]{2,}/;
  const view = document.documentElement.getAttribute("data-cb-view");
  const other = view === "zh" ? "en" : "zh";
  const exempt = "q, .cb-one, .cb-lang, code, pre, kbd, script, style, noscript, title, desc";
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const text = n.data.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest(exempt)) continue;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    const lang = (el.closest("[lang]")?.getAttribute("lang") || "").split("-")[0];
    const script = HAN.test(text) ? "zh" : WORD.test(text) ? "en" : null;
    if (lang === other || (other === "zh" && script === "zh") || (other === "en" && script === "en" && lang !== "en"))
      out.push(`${el.tagName.toLowerCase()}.${el.className}: ${text.slice(0, 60)}`);
  }
  return out;
}"""

# WCAG 3.1.2: inside the main content, the nearest lang of every Chinese text node is zh and of every English
# one en, given by the page itself (an element inside the content, not <html>).
MARKING = r"""() => {
  const HAN = /\p{Script=Han}/u, WORD = /[A-Za-z]{2,}/;
  const main = document.querySelector(".md-content");
  const skip = "code, pre, script, style, noscript, [hidden], title, desc";
  const out = [];
  let checked = 0;
  const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const text = n.data.trim();
    const el = n.parentElement;
    if (!text || el.closest(skip)) continue;
    const script = HAN.test(text) ? "zh" : WORD.test(text) ? "en" : null;
    if (!script) continue;
    checked++;
    // a label still written "中文 / English" in one text
    if (/[\p{Script=Han}）]\s*\/\s*[A-Za-z]{2}/u.test(text)) out.push(`"中文 / English" in one text: ${text.slice(0, 60)}`);
    const marked = el.closest("[lang]");
    const lang = marked && main.contains(marked) ? marked.getAttribute("lang").split("-")[0] : "";
    if (lang !== script) out.push(`${script} in ${el.tagName.toLowerCase()}.${el.className} (lang=${lang || "none"}): ${text.slice(0, 60)}`);
  }
  return { checked, out };
}"""


def _open(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("compare/"):
        page.wait_for_selector("table.cb-compare")
    if path.startswith("search/"):
        page.wait_for_selector("#search-results .cb-result")


def _with_view(path: str, view: str) -> str:
    return path + ("&" if "?" in path else "?") + "lang=" + view


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def width(request):
    return request.param


def _context(browser, width, languages=BILINGUAL, **kwargs):
    return browser.new_context(viewport={"width": width, "height": 900}, languages=languages, **kwargs)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("name", list(PAGES))
def test_one_language_view_shows_only_that_language(browser, site_url, width, name, view):
    """No visible element of the other language (quotations apart), <html lang> and <title> follow, axe is clean."""
    from axe_playwright_python.sync_playwright import Axe

    context = _context(browser, width)
    page = context.new_page()
    _open(page, site_url, _with_view(PAGES[name], view))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{view}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.getAttribute('data-cb-view')") == view
    assert page.evaluate("document.documentElement.lang") == view
    title_han = bool(re.search(r"[\u4e00-\u9fff]", page.title()))
    assert title_han == (view == "zh"), page.title()
    leaks = page.evaluate(LEAKS)
    assert not leaks, leaks[:10]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways at {width}px in the {view} view"
    violations = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, bad
    context.close()


@pytest.mark.parametrize("view, query, other", [("zh", "华锦", "en"), ("en", "Huajin", "zh")])
def test_result_excerpts_show_the_view_language_where_it_matched(browser, site_url, view, query, other):
    """An excerpt of a bilingual page holds both languages; where the query matched in the view's
    language, the other language's runs are hidden (they are still in the page, marked)."""
    context = _context(browser, 1280)
    page = context.new_page()
    _open(page, site_url, _with_view(f"search/?q={query}", view))
    runs = page.locator(f'.cb-result__excerpt > span[lang="{other}"]')
    assert runs.count() > 0
    assert not [t for t in runs.evaluate_all("els => els.filter(e => e.checkVisibility()).map(e => e.textContent)") if t.strip()]
    assert page.locator(f'.cb-result__excerpt > mark[lang="{view}"]').first.is_visible()
    context.close()


def test_leak_check_can_fail(browser, site_url):
    """The check above finds English in the Chinese view when the view's CSS is missing."""
    context = _context(browser, 1280)
    page = context.new_page()
    _open(page, site_url, _with_view(PAGES["model"], "zh"))
    assert not page.evaluate(LEAKS)
    page.evaluate("document.querySelector('link[href$=\"stylesheets/casebook.css\"]').remove()")  # the view's CSS
    assert len(page.evaluate(LEAKS)) > 20
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_text_in_main_content_says_its_language(browser, site_url, name):
    """The DOM walk: every Chinese text node has a lang=zh ancestor in the content, every English one lang=en."""
    context = _context(browser, 1280)
    page = context.new_page()
    _open(page, site_url, PAGES[name])
    assert page.evaluate("document.documentElement.getAttribute('data-cb-view')") == "bi"
    result = page.evaluate(MARKING)
    assert result["checked"] > 10
    assert not result["out"], result["out"][:10]
    context.close()


@pytest.mark.parametrize("case_id", SEEDS)
def test_one_language_view_is_at_most_60_percent_of_the_bilingual_height(browser, site_url, width, case_id):
    heights = {}
    for view in ("bi", "zh", "en"):
        context = _context(browser, width)
        page = context.new_page()
        _open(page, site_url, _with_view(f"models/{case_id}/", view))
        heights[view] = page.evaluate("document.documentElement.scrollHeight")
        context.close()
    for view in VIEWS:
        assert heights[view] <= 0.6 * heights["bi"], (view, heights)


@pytest.mark.parametrize("view", VIEWS)
def test_first_frame_shows_the_chosen_view(browser, site_url, view):
    """With every other script file held back, the first paint already shows the view: javascripts/view.js, a
    blocking script in <head> (issue 17: a cached file instead of inline code on every page), holds the first
    paint as the stylesheets do. Once the other scripts run nothing moves: no layout shift, as in the bilingual view."""
    shifts = {}
    for shown in ("bi", view):
        context = _context(browser, 1280)
        page = context.new_page()
        held = []
        page.route("**/*.js", lambda route: route.continue_() if route.request.url.endswith("/javascripts/view.js") else held.append(route))
        page.add_init_script("""window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
            if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: "layout-shift", buffered: true });""")
        page.goto(site_url + _with_view(PAGES["model"], shown), wait_until="commit")
        page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
        first = page.evaluate("""() => ({ view: document.documentElement.getAttribute('data-cb-view'),
            zh: document.querySelector('h1 [lang=zh]').checkVisibility(), en: document.querySelector('h1 [lang=en]').checkVisibility(),
            scripts: typeof window.casebookView })""")
        assert first["scripts"] == "undefined", "no other script file has run yet"
        assert page.evaluate("""() => { const s = document.getElementById('cb-view');
            return s.parentNode === document.head && !s.async && !s.defer && !s.type; }"""), "view.js blocks the first paint"
        assert first["view"] == shown
        assert (first["zh"], first["en"]) == {"bi": (True, True), "zh": (True, False), "en": (False, True)}[shown]
        if shown != "bi":
            page.screenshot(path=str(SHOTS / f"first-frame-{shown}.png"))
        for route in held:
            route.continue_()
        page.unroute("**/*.js")
        page.wait_for_load_state("networkidle")
        page.wait_for_function("typeof window.casebookView === 'object'")
        page.wait_for_timeout(300)
        shifts[shown] = page.evaluate("window.__cls")
        context.close()
    # Material wraps each table in a scrolling box when its script runs; that moves what follows by a few
    # pixels in any view, off screen in the taller bilingual one (a Lighthouse CLS of 0.00x, "good" is < 0.1)
    assert shifts[view] < 0.002, shifts


@pytest.mark.parametrize("languages, expected", [
    (("en-US", "en"), "en"), (("zh-CN", "zh"), "zh"), (("zh-CN", "en-US"), "bi"), (("de-DE",), "bi"), (("en-GB", "zh-TW"), "bi"),
])
def test_first_visit_follows_the_browser_languages(browser, site_url, languages, expected):
    context = _context(browser, 1280, languages=languages)
    page = context.new_page()
    _open(page, site_url, "")
    assert page.evaluate("document.documentElement.getAttribute('data-cb-view')") == expected
    assert page.evaluate("localStorage.getItem('casebook.lang')") is None, "a default is not a choice"
    context.close()


def test_lang_links_and_the_remembered_choice(browser, site_url):
    context = _context(browser, 1280)
    page = context.new_page()
    _open(page, site_url, PAGES["model"] + "?lang=en")  # a shared link
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title().startswith("Huajin Community")
    assert not page.locator("h1 [lang=zh]").is_visible() and page.locator("h1 [lang=en]").is_visible()
    _open(page, site_url, "metrics/")  # remembered on the next page, without ?lang=
    assert page.evaluate("document.documentElement.getAttribute('data-cb-view')") == "en"
    assert page.locator(".md-nav--primary").get_by_text("Metrics", exact=True).first.is_visible()
    page.locator(".cb-lang__btn[data-view=zh]").click()  # the switch
    assert page.evaluate("document.documentElement.getAttribute('data-cb-view')") == "zh"
    assert page.locator(".cb-lang__btn[data-view=zh]").get_attribute("aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('casebook.lang')") == "zh"
    assert re.search(r"[\u4e00-\u9fff]", page.title())
    page.reload()
    assert page.evaluate("document.documentElement.getAttribute('data-cb-view')") == "zh"
    _open(page, site_url, PAGES["model"] + "?lang=en")
    page.locator(".cb-lang__btn[data-view=bi]").click()
    assert page.url.endswith("?lang=bi"), "the address says what the reader sees, so it can be shared"
    assert page.locator("h1 [lang=zh]").is_visible() and page.locator("h1 [lang=en]").is_visible()
    # another tab of the same browser follows the choice
    other = context.new_page()
    _open(other, site_url, "")
    page.locator(".cb-lang__btn[data-view=en]").click()
    other.wait_for_function("document.documentElement.getAttribute('data-cb-view') === 'en'")
    context.close()


def test_without_script_every_page_reads_bilingual(browser, site_url):
    context = _context(browser, 1280, java_script_enabled=False)
    page = context.new_page()
    for path in ("", PAGES["model"], "about/"):
        page.goto(site_url + path + "?lang=en")
        assert page.evaluate("document.documentElement.getAttribute('data-cb-view')") is None
        assert page.locator("h1 [lang=zh]").first.is_visible() and page.locator("h1 [lang=en]").first.is_visible()
        assert not page.locator(".cb-lang").is_visible(), "no switch that cannot work"
        separator = page.locator("h2 [lang=en]").first.evaluate("e => getComputedStyle(e, '::before').content")
        assert separator == '"/ "'
    context.close()


def test_search_finds_pages_by_either_language_in_every_view(browser, site_url):
    counts = {}
    for view in ("zh", "en", "bi"):
        context = _context(browser, 1280)
        page = context.new_page()
        for query in ("网格", "volunteer", "流動黨員"):
            _open(page, site_url, _with_view(f"search/?q={query}", view))
            counts[view, query] = page.locator("#search-results .cb-result").count()
            assert counts[view, query] > 0, (view, query)
        status = page.locator("#search-status")
        if view != "bi":
            visible = status.locator(f"[lang={view}]").first
            assert visible.is_visible() and not status.locator(f"[lang={'zh' if view == 'en' else 'en'}]").first.is_visible()
        context.close()
    for query in ("网格", "volunteer", "流動黨員"):
        assert counts["zh", query] == counts["en", query] == counts["bi", query]


def test_header_search_box_speaks_the_view(browser, site_url):
    for view, word in (("zh", "搜索"), ("en", "Search")):
        context = _context(browser, 1280)
        page = context.new_page()
        _open(page, site_url, "?lang=" + view)
        box = page.locator("#cb-hsearch-q")
        assert page.locator(".cb-hsearch .cb-ph").inner_text().strip() == word
        name = page.evaluate("""() => { const l = document.querySelector('label[for=cb-hsearch-q]');
            return [...l.querySelectorAll('[lang]')].filter(e => e.checkVisibility()).map(e => e.textContent).join(' '); }""")
        assert name == word
        box.fill("网格")
        page.wait_for_selector(".cb-hsearch__panel .cb-result")
        assert page.locator(".cb-hsearch .cb-ph").evaluate("e => getComputedStyle(e).opacity") == "0", "the placeholder goes when there is text"
        assert page.evaluate(LEAKS) == []
        context.close()


def test_compare_and_chart_follow_the_view(browser, site_url):
    context = _context(browser, 1280)
    page = context.new_page()
    _open(page, site_url, _with_view(PAGES["compare"], "en"))
    heads = page.locator("table.cb-compare thead th a").all_inner_texts()
    assert heads and all(not re.search(r"[\u4e00-\u9fff]", h) for h in heads), heads
    assert page.locator("#cb-add-input").get_attribute("placeholder") == "Type a name or place"
    page.locator(".cb-lang__btn[data-view=zh]").click()
    assert page.locator("#cb-add-input").get_attribute("placeholder") == "输入模式名称或地区"
    heads = page.locator("table.cb-compare thead th a").all_inner_texts()
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in heads), heads
    _open(page, site_url, _with_view(PAGES["metric"], "en"))
    title = page.locator("#cb-chart-title")
    assert title.text_content().startswith("Volunteers"), title.text_content()
    labels = page.locator("svg.cb-bars .cb-bar-label")
    shown = labels.first.evaluate("e => [...e.children].filter(c => c.checkVisibility()).map(c => c.textContent).join('')")
    assert labels.count() > 1 and shown and not re.search(r"[\u4e00-\u9fff]", shown), shown
    page.locator(".cb-lang__btn[data-view=zh]").click()
    assert title.text_content().startswith("志愿者人数")
    context.close()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("case_id", SEEDS)
def test_handout_in_one_language_is_at_most_two_a4_pages(browser, site_url, case_id, view):
    context = _context(browser, 1280)
    page = context.new_page()
    _open(page, site_url, f"models/{case_id}/?lang={view}")
    page.emulate_media(media="print")
    assert page.locator(".cb-cite .qr img").is_visible()
    assert page.locator(".cb-cite .qr img").evaluate("i => i.complete && i.naturalWidth > 0"), "the QR code file loads"
    citation = page.locator(".cb-cite .cb-gbt .cb-copy" if view == "zh" else ".cb-cite .cb-apa .cb-copy")
    assert citation.is_visible() and citation.inner_text().strip()
    assert page.evaluate(LEAKS) == []
    pdf = page.pdf(format="A4", print_background=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"handout-{case_id}-{view}.pdf").write_bytes(pdf)
    sizes = pdf_pages(pdf)
    assert 1 <= len(sizes) <= 2, f"{case_id} ({view}): {len(sizes)} pages"
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes)
    context.close()


def test_views_work_under_mkdocs_serve(browser, tmp_path):
    """`make serve` serves the same views: the English view of a model page shows no Chinese but its quotations,
    and the search page's English facet names are served."""
    import urllib.request

    from conftest import hand_written_docs, mkdocs_serve

    with mkdocs_serve(hand_written_docs(tmp_path / "docs")) as base:
        assert "湖北省" in urllib.request.urlopen(base + "search/labels.json", timeout=10).read().decode()
        context = _context(browser, 390)
        page = context.new_page()
        _open(page, base, _with_view(PAGES["model"], "en"))
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.evaluate(LEAKS) == []
        context.close()
