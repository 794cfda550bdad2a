"""Saved web pages: the article's main text and the metadata the page states.

    read_web_page(raw, where) -> inputs.Article

trafilatura finds the main text apart from navigation, sidebars and footers, and the title, the date (through
htmldate) and the site's name. Chinese pages say more than it reads, so from the same parsed page this module
also reads the metadata tags of government sites (ArticleTitle, PubDate, ContentSource, Author: the national
site specification) and the byline under the headline (来源：… 发布时间：… 作者：…), which it keeps in the
archive's header, one field a line set apart, as a contributor copying the page would.
"""
from __future__ import annotations

import copy
import datetime as dt
import re

from .inputs import ENCODING_NAMES, MIN_CHINESE, Article, InputError, article_chars, decode_text

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b", re.I | re.S)
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.I)  # the HTML prescan, on the raw head
_CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
             "big5-hkscs": "big5hkscs", "cp950": "cp950", "utf-8": "utf-8", "utf8": "utf-8"}
_BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
           "footer", "aside", "nav", "ul", "ol", "table", "dd", "dt", "blockquote", "pre", "center", "form"}
_LABELS = {"publisher": "(?:信息|文章|稿件|新闻|新聞|资料|資料|内容|內容)?(?:来源|來源)|稿源|出处|出處",
           "author": "作者|记者|記者|撰稿",
           "date": "发布时间|發布時間|发布日期|發佈日期|發布日期|发文日期|时间|時間|日期"}
_LABELLED = re.compile("(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + r")\s*[:：]\s*(?P<value>.*)$")
# consumed (not a lookahead), so that 发布日期 is one label, not 发布 and 日期
_ANY_LABEL = re.compile("(" + "|".join(_LABELS.values()) + r"|浏览(?:次数|量)?|点击(?:数|量|率)?|點擊數|阅读(?:数|量)?|访问量|字号)(?=\s*[:：])")
_ISO_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_BYLINE = re.compile("(?:" + "|".join(_LABELS.values()) + r"|发布者|發布者)\s*[:：]|" + _ISO_DATE.pattern)
_NAME = re.compile(r"^[^\W\d_][^\d:：;；/|]{0,24}$")  # a name: not a staff number (104612), an address or a whole byline
_SOURCE_PREFIX = re.compile(r"^\s*(?:来源|來源|稿源|文章来源|文章來源)\s*[:：]\s*")
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")  # the note browsers write at the top of a saved page
# WeChat (公众号) articles, a large share of the genre: the page's site name is the platform's, the account is
# #js_name; the QR-code box and the reading counts sit outside the article but inside what the extractor keeps.
WECHAT = "微信公众平台"
_WECHAT_CHROME = ["//*[contains(@class, 'qr_code_pc')]", "//*[@id='js_pc_qr_code']", "//*[contains(@class, 'rich_media_tool')]",
                  "//*[@id='js_tags']"]
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|--|——|\s[-|｜–—]\s|｜|\|)\s*")


def html_of_web_archive(raw: bytes, where: str) -> bytes:
    """The page inside a single-file web archive (.mhtml: Chrome's "Webpage, single file"), as UTF-8 bytes."""
    import email
    import email.policy

    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset:
                try:
                    return payload.decode(_CHARSETS.get(charset.lower(), charset)).encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass
            return payload
    raise InputError(where, "is not a web archive with a page in it", "save the page again as “Webpage, complete” (.html) and import that")


def looks_like_html(raw: bytes) -> bool:
    return bool(_HTML_START.match(raw[:2048].lstrip(b"\xef\xbb\xbf")))


def _decode_page(raw: bytes, where: str) -> tuple[str, str]:
    """The page as text: UTF-8 if it is, else the charset it declares, else as a text file would be read."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(raw[:4096])
    encoding = _CHARSETS.get(declared.group(1).decode("ascii").lower()) if declared else None
    if encoding:
        try:
            return raw.decode(encoding), ENCODING_NAMES[encoding]
        except UnicodeDecodeError:
            pass
    return decode_text(raw, where)


def _meta(tree, *names: str) -> str:
    """The content of the first <meta name=…> or <meta property=…> among ``names`` (case-insensitive)."""
    wanted = [n.lower() for n in names]
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("name") or element.get("property") or element.get("itemprop") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if key in wanted and value and key not in found:
            found[key] = value
    return next((found[n] for n in wanted if n in found), "")


def _page_lines(tree) -> list[str]:
    """The visible text of the page, one line per block (headline, byline, paragraph, table cell)."""
    from lxml import etree

    tree = copy.deepcopy(tree)  # the line breaks added below are not the extractor's business
    etree.strip_elements(tree, "script", "style", "noscript", "template", "head", etree.Comment, with_tail=False)
    for element in tree.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        elif tag == "span":  # 发布时间：…</span><span>来源：… : parts of one byline, kept apart
            element.tail = "  " + (element.tail or "")
    text = "".join(tree.itertext())
    return [_spaces(line) for line in text.split("\n") if line.strip()]


def _spaces(line: str) -> str:
    """Runs of spaces (also full-width and no-break) as one space, or two where there were two or more."""
    return re.sub(r"\s+", lambda m: "  " if len(m.group()) > 1 else " ", line.strip())


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _first_paragraph_at(lines: list[str], first_paragraph: str) -> int | None:
    first = _compact(first_paragraph)[:20]
    return next((i for i, line in enumerate(lines) if first and _compact(line).startswith(first)), None)


def _headline(title: str, site: str, lines: list[str], first_paragraph: str) -> str:
    """The article's headline: the page title without the site's name (标题_栏目_网站), the part that is
    also a line of the page; where the title names only the site, the line above the byline."""
    title = " ".join(title.split())
    compact_lines = {_compact(line) for line in lines}
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    for candidate in [title] + parts:
        if len(candidate) >= 6 and _compact(candidate) in compact_lines and _compact(candidate) != _compact(site):
            return candidate
    end = _first_paragraph_at(lines, first_paragraph)
    for line in reversed(lines[max(0, (end or 0) - 6):end or 0]):
        if _BYLINE.search(line) or len(_compact(line)) < 6 or "【" in line:
            continue  # the byline, and the font-size or print links around it
        if len(line) <= 80 and not re.search(r"[。！？]$|>|当前位置|您的位置|位置：", line):
            return line
        break
    return parts[0] if parts and _compact(parts[0]) != _compact(site) else ""


def _byline(lines: list[str], headline: str, first_paragraph: str) -> list[str]:
    """The lines between the headline and the first paragraph that carry a date, source or author."""
    head = _compact(headline)
    start = next((i + 1 for i, line in enumerate(lines) if head and _compact(line) == head), None)
    end = _first_paragraph_at(lines, first_paragraph)
    if end is None:
        return []
    if start is None or start > end:
        start = max(0, end - 6)
    return [line for line in lines[start:end][:8] if _BYLINE.search(line) and len(line) <= 160]


def _is_name(text: str) -> bool:
    return bool(_NAME.match(text.strip()))


def _iso_date(text: str) -> str:
    match = _ISO_DATE.search(text)
    if not match:
        return ""
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return ""


def _byline_parts(line: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n|\s*[|｜]\s*|\s{2,}", _ANY_LABEL.sub(r"\n\1", line)) if part.strip()]


def _byline_only(line: str) -> str:
    """The byline's fields, set apart by two spaces; counters, font-size links and share buttons left out."""
    return "  ".join(part for part in _byline_parts(line) if _LABELLED.match(part) or (_iso_date(part) and len(part) <= 30))


def _is_byline(line: str) -> bool:
    return len(line) <= 120 and bool(_LABELLED.match(line) or _ISO_DATE.match(line))


def byline_fields(lines: list[str]) -> dict[str, str]:
    """publisher, author and date from byline lines such as ``2021年07月01日08:16 | 来源：人民网－人民日报``
    or ``发布日期：2020-10-15  信息来源：庐阳区委老干部局  作者：王芳``."""
    found: dict[str, str] = {}
    for line in lines:
        for segment in _byline_parts(line):
            match = _LABELLED.match(segment)
            if match:
                kind = next(k for k in _LABELS if match.group(k))
                value = match.group("value").strip()
                value = _iso_date(value) if kind == "date" else value
                if value and len(value) <= 40 and (kind != "author" or _is_name(value)):
                    found.setdefault(kind, value)
            elif _iso_date(segment) and len(segment) <= 30:
                found.setdefault("date", _iso_date(segment))
    return found


def _head_only(tree) -> str:
    """The page's <head> alone (meta tags, JSON-LD): htmldate's quick search of a whole page also reads its
    text, and takes the date a site prints in its top bar (今天是：2024年1月5日) for the article's."""
    import lxml.html

    head = tree.find("head")
    return "<html>" + (lxml.html.tostring(head, encoding="unicode") if head is not None else "") + "<body></body></html>"


def _date_in(html: str, url: str | None = None) -> str:
    import htmldate

    try:
        return htmldate.find_date(html, url=url, extensive_search=False, original_date=True) or ""
    except Exception:  # a date the library cannot parse is no date
        return ""


def read_web_page(raw: bytes, where: str) -> Article:
    import lxml.html
    import trafilatura

    html, encoding = _decode_page(raw, where)
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses text that declares its own encoding
    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises several kinds (ParserError, ValueError) on what is not a page
        raise InputError(where, "cannot be read as a web page", "save the page again from the browser (Save page as…, Web page, complete)") from None
    wechat = _meta(tree, "og:site_name") == WECHAT
    extracted = None
    # precise first (it keeps bylines and share bars out); then less strict; then with tables, which drown the text
    # of pages laid out in tables but hold the article on some old sites
    for tables, precise in ((False, True), (False, False), (True, False)):
        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=tables,
                                                deduplicate=False, favor_precision=precise,
                                                prune_xpath=_WECHAT_CHROME if wechat else None)
        if extracted is not None and article_chars((extracted.text or "").split("\n")) >= MIN_CHINESE:
            break
    body = [line.strip() for line in (extracted.text or "").split("\n") if line.strip()] if extracted is not None else []
    if article_chars(body) < MIN_CHINESE:
        raise InputError(where, "has no article text (a list page, a login or error page, or a page its scripts fill in)",
                         "open the article itself in the browser, wait until its text shows, then save it again "
                         "(Save page as…, Web page, complete); or copy the text into a .txt file")
    lines = _page_lines(tree)
    title = _meta(tree, "ArticleTitle") or (extracted.title or "")
    site = _meta(tree, "SiteName", "og:site_name") or (extracted.sitename or "")
    if wechat:
        site = next((" ".join(e.text_content().split()) for e in tree.iter() if e.get("id") == "js_name"), "") or site
    headline = _headline(title, site, lines, body[0] if body else "")
    if body and headline and _compact(body[0]) == _compact(headline):
        body = body[1:]
    byline = [line for line in _byline(lines, headline, body[0] if body else "") if _compact(line) not in map(_compact, body[:3])]
    # some pages keep the byline inside the article's box; its parts are set apart so each reads as one field
    body = [_byline_only(line) if i < 3 and _is_byline(line) else line for i, line in enumerate(body)]
    body = [line for line in body if line]
    byline = [only for only in map(_byline_only, byline) if only]
    stated_by_line = byline_fields(byline + [line for line in body[:3] if _is_byline(line)])
    source = _SOURCE_PREFIX.sub("", _meta(tree, "ContentSource", "source", "article:source", "og:article:source"))
    author = next((a for a in (_meta(tree, "author", "article:author"), extracted.author or "") if _is_name(a)), "")
    saved_from = _SAVED_FROM.search(html[:2048])
    stated = _date_in(_head_only(tree))  # the date the markup states; the byline's next; a search of the text last
    url = next((u for u in (extracted.url, _meta(tree, "Url", "og:url"), saved_from and saved_from.group(1))
                if u and u.startswith(("http://", "https://"))), "")
    article = Article(
        text="\n".join([headline] + byline + body) + "\n",
        kind="web page",
        encoding=encoding,
        title=headline,
        date=stated or stated_by_line.get("date", ""),
        author=author or stated_by_line.get("author", ""),
        publisher=source or stated_by_line.get("publisher", ""),
        site=site,
        url=url,
        searched_date=(_date_in("<html></html>", url) if url else "") or extracted.date or "",  # /2021/0512/ in the address
    )
    return article
