"""Citations: GB/T 7714-2015 and APA from citeproc-py with the official styles, BibTeX that parses, CSL-JSON
downloads, and the site_url they all use."""
from __future__ import annotations

import html
import json
import re

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from casebook.cite import bibtex_escape, case_citation, gbt_source
from casebook.model import Label, Source
from casebook.pipeline import build
from casebook.settings import read_settings, settings_from_config
from conftest import ROOT

NAME = "老干部参与基层治理实践模式库"
SETTINGS = settings_from_config({"site_url": "https://cases.example.net/kb", "site_name": NAME})  # no trailing slash: settings add it
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@pytest.fixture(scope="module")
def built():
    return build(ROOT / "data", SETTINGS)


@pytest.fixture(scope="module")
def site(built):
    return built[0]


def url_of(case) -> str:
    return f"https://cases.example.net/kb/models/{case.id}/"


def test_gbt_7714_page_citation_is_an_online_resource_with_both_dates_and_the_url(site):
    for case in site.cases:
        cite = case_citation(case, SETTINGS)
        assert cite.gbt == f"{NAME}. {case.title}[EB/OL]. ({case.added})[{case.updated}]. {url_of(case)}."
        assert cite.accessed == case.updated >= case.added


def test_apa_page_citation_gives_the_date_and_the_english_title_in_brackets(site):
    for case in site.cases:
        year, month, day = (int(p) for p in case.added.split("-"))
        expected = f"{NAME}. ({year}, {MONTHS[month - 1]} {day}). {case.title} [{case.title_en}]. {url_of(case)}"
        assert case_citation(case, SETTINGS).apa == expected


def test_sources_are_newspapers_n_or_online_articles_eb_ol(site):
    by_id = {c.id: c for c in site.cases}
    hubei = by_id["hubei-wuhan-wuchang-huajin"]
    assert case_citation(hubei, SETTINGS).sources == ["流动老党员服务管理“华锦模式”这样炼成[N]. 湖北日报, 2019-09-24."]
    beijing = by_id["beijing-xicheng-desheng-12345"]
    assert case_citation(beijing, SETTINGS).sources == [
        "西城区委老干部局. “12345”工作法 助力打通老同志参与基层治理“最后一公里”[EB/OL]. 西城区委老干部局, 2019."]
    for case in site.cases:
        for source, text in zip(case.sources, case_citation(case, SETTINGS).sources):
            assert ("[N]" if source.kind == "newspaper" else "[EB/OL]") in text
            assert not text.startswith("[1]"), "the style's list number is not part of the reference"


def test_a_source_with_an_address_gets_its_date_access_date_and_url(site):
    case = site.cases[0]
    web = Source(id="w", title="某网页文章", publisher="人民网", date="2019-11-27", kind="web",
                 kind_label=Label("网络文章", "web article"), archive="x.txt", author="张三", url="http://example.org/a.html")
    assert gbt_source(web, case) == f"张三. 某网页文章[EB/OL]. (2019-11-27)[{case.added}]. http://example.org/a.html."
    paper = Source(id="n", title="某报道", publisher="人民日报", date="2020-01-02", kind="newspaper",
                   kind_label=Label("报纸", "newspaper"), archive="x.txt", url="http://example.org/b.html")
    assert gbt_source(paper, case) == f"某报道[N/OL]. 人民日报, 2020-01-02[{case.added}]. http://example.org/b.html."


def test_bibtex_entry_parses_with_the_page_fields(site):
    for case in site.cases:
        library = bibtexparser.parse_string(case_citation(case, SETTINGS).bibtex)
        assert not library.failed_blocks
        (entry,) = library.entries
        fields = {k: f.value for k, f in entry.fields_dict.items()}
        assert entry.entry_type == "online" and entry.key == f"casebook:{case.id}"
        assert fields["title"] == case.title
        assert fields["author"] == "{" + NAME + "}"  # braced: an organisation, not "family, given"
        assert fields["url"] == url_of(case)
        assert fields["urldate"] == case.updated and fields["year"] == case.added[:4]


def test_bibtex_escapes_every_special_character():
    text = r"50% & {x} a_b #1 $2 ~ \ 标题"
    escaped = bibtex_escape(text)
    library = bibtexparser.parse_string("@online{k,\n  title = {%s},\n}\n" % escaped)
    assert not library.failed_blocks and library.entries[0].fields_dict["title"].value == escaped
    assert LatexNodes2Text().latex_to_text(escaped) == text
    assert bibtex_escape("a^b") == r"a\textasciicircum{}b"


def test_model_pages_carry_the_cite_block_with_gbt_bibtex_and_csl_link(built_site, site):
    for case in site.cases:
        page = (built_site / "models" / case.id / "index.html").read_text(encoding="utf-8")
        block = page[page.index('<div class="cb-cite"'):]
        spans = [html.unescape(s) for s in re.findall(r'<span class="cb-copy[^"]*"[^>]*>(.*?)</span>', block)]
        gbt = re.fullmatch(rf"{NAME}\. (.+)\[EB/OL\]\. \((\S+)\)\[(\S+)\]\. (\S+)\.", spans[0])
        assert gbt, (case.id, spans[0])
        assert gbt.groups()[1:] == (case.added, case.updated, f"https://casebook.example.org/models/{case.id}/")
        assert "APA" in block and spans[1].startswith(f"{NAME}. (")
        # BibTeX and the QR code are files beside the CSL-JSON, linked and shown from the block (issue 17)
        assert f'<a class="cb-copy cb-one" lang=en href="../../data/cite/{case.id}.bib" data-cb-fetch>' in block
        bib = (built_site / "data" / "cite" / f"{case.id}.bib").read_text(encoding="utf-8")
        (entry,) = bibtexparser.parse_string(bib).entries
        assert entry.key == f"casebook:{case.id}" and bib.endswith("}\n")
        assert f'href="../../data/cite/{case.id}.json"' in block
        cite_block = block[:block.index("</div>\n")]
        assert block.count('class="qr"') == 1 and f'<img src="../../data/cite/{case.id}.png"' in cite_block and "<svg" not in cite_block


def test_csl_json_download_holds_the_page_then_its_sources(built):
    site, pages = built
    for case in site.cases:
        text = pages[f"data/cite/{case.id}.json"]
        assert text.count("\n") == 1 and text.endswith("]\n"), "one line, not indented (issue 17: 10,000 files)"
        items = json.loads(text)
        assert items[0]["type"] == "webpage" and items[0]["URL"] == url_of(case) and items[0]["title"] == case.title
        assert items[0]["accessed"] == {"date-parts": [[int(p) for p in case.updated.split("-")]]}
        assert [i["type"] for i in items[1:]] == ["article-newspaper" if s.kind == "newspaper" else "webpage" for s in case.sources]


def test_site_url_comes_from_mkdocs_yml_and_the_environment(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert read_settings()["site_url"] == "https://casebook.example.org/"
    monkeypatch.setenv("SITE_URL", "https://kb.example.cn/sub")
    settings = read_settings()
    assert (settings["site_url"], settings["site_name"]) == ("https://kb.example.cn/sub/", NAME)
    assert case_citation(build(ROOT / "data", settings)[0].cases[0], settings).url.startswith("https://kb.example.cn/sub/models/")
    with pytest.raises(ValueError):
        settings_from_config({"site_url": "/relative/", "site_name": NAME})
