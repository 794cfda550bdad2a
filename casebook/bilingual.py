"""The two languages of a page: labels split into their Chinese and English halves, each marked with its
``lang`` (WCAG 3.1.2), for the parts MkDocs and Material render from plain strings (nav titles, page
titles, the header and footer).

A bilingual pair is an element with lang="zh" directly followed by one with lang="en" (whitespace
between them is fine, text is not). docs/stylesheets/casebook.css shows one half or both according to
the reader's view (``<html data-cb-view>``, set in <head> by overrides/main.html before the first paint),
so a text in one language only is shown in every view. The page's markup, and so the search index, is
the same in every view.
"""
from __future__ import annotations

import html
import re

_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Nav labels in mkdocs.yml are written "首页 Home": a Chinese word, a space, the English.
_NAV_STYLE = re.compile(r"(\S*[\u2e80-\u9fff\uf900-\ufaff]\S*)\s+([^\u2e80-\u9fff\uf900-\ufaff]*[A-Za-z][^\u2e80-\u9fff\uf900-\ufaff]*)")


def split_label(text: str) -> tuple[str, str] | None:
    """("模式对比", "Compare models") from "模式对比 / Compare models" or from the nav style "首页 Home";
    None when ``text`` is not one Chinese and one English half."""
    text = " ".join(str(text or "").split())
    if " / " in text:
        zh, en = text.split(" / ", 1)
        if _HAN.search(zh) and _LATIN.search(en) and not _HAN.search(en):
            return zh.strip(), en.strip()
    match = _NAV_STYLE.fullmatch(text)
    if match:
        return match.group(1), match.group(2)
    return None


def pair_html(zh: str, en: str) -> str:
    """The two halves of a label as inline elements; the separator is drawn by CSS in the bilingual view."""
    return f'<span lang="zh">{html.escape(zh)}</span> <span lang="en">{html.escape(en)}</span>'


def label_html(text: str) -> str:
    """``text`` as marked-up halves when it is a pair, else as it is (escaped), marked with its language."""
    halves = split_label(text)
    if halves:
        return pair_html(*halves)
    lang = "zh" if _HAN.search(str(text)) else "en"
    return f'<span lang="{lang}">{html.escape(str(text))}</span>'


def page_titles(page, site_name: str, site_name_en: str) -> dict:
    """The page's title in each view: {"zh": <title>, "en": <title>, "site_html", "page_html": the site's name and
    the page's title as lang-marked markup for the header}.
    Sources, first found: front matter title_en beside a Chinese title; a title written "中文 / English";
    a nav label "中文 English". A title in one language only is used in both views."""
    meta = getattr(page, "meta", None) or {}
    title = html.unescape(str(meta.get("title") or getattr(page, "title", "") or ""))
    zh = en = title
    if meta.get("title_en"):
        en = html.unescape(str(meta["title_en"]))
    else:
        halves = split_label(title)
        if halves:
            zh, en = halves
    site_html = pair_html(site_name, site_name_en) if site_name_en != site_name else label_html(site_name)
    if page is None or getattr(page, "is_homepage", False):
        return {"zh": site_name, "en": site_name_en, "site_html": site_html, "page_html": site_html}
    page_html = pair_html(zh, en) if zh != en else label_html(zh)
    return {"zh": f"{zh} - {site_name}", "en": f"{en} - {site_name_en}", "site_html": site_html, "page_html": page_html}


def mark_nav(items) -> None:
    """Give every nav entry whose title is a pair ("首页 Home") marked-up halves. Material's nav partial
    prints ``typeset.title`` (its typeset plugin's field) instead of the plain title when it is set."""
    for item in items:
        halves = split_label(getattr(item, "title", "") or "")
        if halves and not getattr(item, "typeset", None):
            item.typeset = {"title": pair_html(*halves)}
        if getattr(item, "children", None):
            mark_nav(item.children)


# Material's skip link ("跳转至", base.html, no block of its own to override): its English beside it.
_SKIP = re.compile(r'(<a href="[^"]*" class="md-skip">)\s*跳转至\s*(</a>)')


def mark_chrome(output: str) -> str:
    return _SKIP.sub(r'\1<span lang="zh">跳转至内容</span> <span lang="en">Skip to content</span>\2', output, count=1)
