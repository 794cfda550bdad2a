"""Read the article a contributor has: a text file, a saved web page, a Word file, or text pasted on standard input.

    read_article(path, stdin) -> Article: the article's text (title, header lines, paragraphs; its own script)
                                          and the metadata its markup carries (title, date, author, publisher, url)
    page_metadata(article, text_meta) -> the values the page states, to put before the text's guesses
    check_article(paragraphs, where)   -> InputError where no article is left once page chrome is removed

Text files are UTF-8, UTF-16 (with a BOM), GBK or Big5; web pages are read by casebook/contrib/webpage.py
(trafilatura); Word files by python-docx. Every failure is an InputError naming the file, with a hint;
nothing is written here.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

MIN_CHINESE = 50  # an article of the genre has 300-700 characters; less is a list page, an error page or a caption
STDIN = "-"
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PROSE = re.compile("[，。；！？,;!?]")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"}  # pages saved under their address's name
_SIGNATURES = {  # binary files a contributor may pick by mistake, and what to do instead
    b"%PDF": "a PDF file: copy its text into a .txt file (select all, copy, paste into a text editor, save as UTF-8)",
    b"\xd0\xcf\x11\xe0": "an old Word (.doc) or WPS file: open it and save it as .docx (Word 2007 or later), then import that",
    b"\x89PNG": "a picture: the importer needs the article's text; copy it from the page into a .txt file",
    b"\xff\xd8\xff": "a picture: the importer needs the article's text; copy it from the page into a .txt file",
    b"GIF8": "a picture: the importer needs the article's text; copy it from the page into a .txt file",
    b"{\\rtf": "a rich-text (.rtf) file: open it in Word or WPS and save it as .docx, then import that",
    b"Rar!": "an archive: unpack it and import the article inside",
    b"\x1f\x8b": "a compressed file: unpack it and import the article inside",
}
_TEXT_ADVICE = "save the article as UTF-8 text (in Notepad: Save as, Encoding UTF-8), or import the saved web page or Word file"


class InputError(Exception):
    """The article cannot be read: where (the file), what is wrong, and what to do."""

    def __init__(self, where: str, message: str, hint: str):
        self.where, self.message, self.hint = where, message, hint
        super().__init__(self.format())

    def format(self) -> str:
        return f"error: {self.where}: {self.message}\n    Hint: {self.hint}"


@dataclass
class Article:
    text: str  # title, header lines and paragraphs, one per line, as importer.clean_text expects
    kind: str  # "text file", "web page", "Word file", "pasted text"
    encoding: str = ""  # how the bytes were read (text and web pages)
    title: str = ""  # from the markup; "" where it gives none (then the text decides)
    date: str = ""  # YYYY-MM-DD
    author: str = ""
    publisher: str = ""  # who published the article (its 来源), from the markup or the byline
    site: str = ""  # the site's name: the publisher where the page names no source
    url: str = ""  # the page's own address (canonical link, og:url, or the browser's "saved from" note)
    searched_date: str = ""  # a date htmldate found searching the whole page: after the byline's, not before


def read_article(path: str | Path, stdin=None) -> Article:
    """The article at ``path`` (``-``: standard input). Raises InputError."""
    if str(path) == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return read_bytes(stream.read(), "standard input", kind="pasted text")
    path = Path(path)
    where = str(path)
    if path.is_dir():
        raise InputError(where, "is a folder, not an article", "name the article's file inside it (a .txt, .html or .docx file)")
    if not path.is_file():
        raise InputError(where, "no such file", "check the path; a name with spaces needs quotes, e.g. \"~/Downloads/新闻 稿.html\"")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(where, f"cannot be read ({exc.strerror})", "check the file's permissions, or copy it somewhere you own") from None
    return read_bytes(raw, where, suffix=path.suffix.lower())


def read_bytes(raw: bytes, where: str, suffix: str = "", kind: str = "") -> Article:
    """Dispatch on what the bytes are: the suffix says what the contributor meant, the content what it is."""
    if not raw.strip():
        raise InputError(where, "is empty", "save the article's text into the file (or paste it after `-`), then import it again")
    from . import webpage

    if suffix == ".doc" and not webpage.looks_like_html(raw):  # sites often serve a web page as a .doc download
        _refuse_binary(raw, where)
        raise InputError(where, "is an old Word (.doc) file", _SIGNATURES[b"\xd0\xcf\x11\xe0"].split(": ", 1)[1])
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04"):
        return read_word(raw, where)

    if suffix in (".mhtml", ".mht") or (not suffix and b"multipart/related" in raw[:512].lower()):
        return webpage.read_web_page(webpage.html_of_web_archive(raw, where), where)
    if suffix in _HTML_SUFFIXES or webpage.looks_like_html(raw):
        return webpage.read_web_page(raw, where)
    text, encoding = decode_text(raw, where)
    return Article(text=text, kind=kind or "text file", encoding=encoding)


# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------


def _refuse_binary(raw: bytes, where: str) -> None:
    for signature, advice in _SIGNATURES.items():
        if raw.startswith(signature):
            what, hint = advice.split(": ", 1)
            raise InputError(where, f"is {what}, not an article's text", hint)
    head = raw[:4096]
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\x0c")
    if b"\x00" in head or controls > len(head) // 50:
        raise InputError(where, "is a binary file, not text", _TEXT_ADVICE)


def decode_text(raw: bytes, where: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16 with a BOM (Notepad's "Unicode"), GBK/GB18030 or Big5.

    GBK and Big5 share their byte ranges, so most Big5 text also decodes as GBK (into nonsense): where both
    decode, charset_normalizer (installed with trafilatura) judges which reads as Chinese."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    _refuse_binary(raw, where)
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    decodable = [encoding for encoding in ("gb18030", "big5hkscs") if _decodes(raw, encoding)]
    if not decodable:
        raise InputError(where, "cannot be read as UTF-8, GBK or Big5 text", _TEXT_ADVICE)
    encoding = decodable[0] if len(decodable) == 1 else _gbk_or_big5(raw)
    return raw.decode(encoding), ENCODING_NAMES[encoding]


ENCODING_NAMES = {"gb18030": "gbk", "big5hkscs": "big5", "cp950": "big5", "utf-8": "utf-8"}  # as the report names them


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _gbk_or_big5(raw: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["gb18030", "big5"]).best()
    return "big5hkscs" if best is not None and best.encoding == "big5" else "gb18030"


# --------------------------------------------------------------------------------------------
# Word files
# --------------------------------------------------------------------------------------------

_DEFAULT_TITLES = re.compile(r"^(?:microsoft word\s*-|新建|文档|document|untitled)", re.I)


def read_word(raw: bytes, where: str) -> Article:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError):
        if not raw.startswith(b"PK"):
            _refuse_binary(raw, where)  # a picture or PDF renamed .docx says what it is
        raise InputError(where, "is not a Word (.docx) file (it is not the zip package Word saves)",
                         "open it in Word or WPS and save it as .docx; a file renamed to .docx is not converted by the new name") from None
    except Exception:  # a damaged package: python-docx raises what the broken part makes it raise
        raise InputError(where, "is a damaged Word file", "open it in Word or WPS, save it again as .docx, and import that") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    lines.append("  ".join(cells))
        else:
            lines.extend(part.strip() for part in block.text.split("\n") if part.strip())
    if article_chars(lines) < MIN_CHINESE:
        raise InputError(where, "has no article text", "paste the article's text into the Word file (or a .txt file) and save it")
    title = (document.core_properties.title or "").strip()
    if _DEFAULT_TITLES.match(title) or not _CJK.search(title):
        title = ""  # Word's own defaults and file names are not the article's title
    return Article(text="\n".join(lines) + "\n", kind="Word file", title=title)


# --------------------------------------------------------------------------------------------
# Metadata: the markup's over the text's
# --------------------------------------------------------------------------------------------


def page_metadata(article: Article, text_meta) -> dict[str, str]:
    """The values of title, date, author, publisher that the page or file states, to be put before what the
    importer reads from the text (``text_meta``: its title, date, publisher, author). The article's own source
    (ContentSource, the byline's 来源) names its publisher before the site that carries it, so the site's name
    stands in only where the text names no source either; likewise htmldate's search of the whole page comes
    after the text's own date line. Only values found are returned."""
    from ..textnorm import to_simplified

    stated = {
        "title": article.title,
        "date": article.date or (article.searched_date if not getattr(text_meta, "date", "") else ""),
        "publisher": to_simplified(article.publisher or (article.site if not getattr(text_meta, "publisher", "") else "")),
        "author": to_simplified(article.author),
    }
    return {name: value for name, value in stated.items() if value}


def article_chars(lines: list[str]) -> int:
    """Chinese characters in lines that read as prose (a sentence's punctuation, 10 characters or more):
    a list page's titles, a menu or a caption have none."""
    return sum(n for n in (len(_CJK.findall(line)) for line in lines if _PROSE.search(line)) if n >= 10)


def check_article(paragraphs: list[str], where: str) -> None:
    """Refuse a text with no article in it once page chrome is removed (a menu, a list of links, a caption)."""
    if article_chars(paragraphs) < MIN_CHINESE:
        raise InputError(where, f"has no article text (fewer than {MIN_CHINESE} Chinese characters once menus and notices are removed)",
                         "the importer reads Chinese news and government articles: check you saved the article itself, not a list page")
