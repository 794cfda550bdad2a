"""The Atom feed: well-formed, lists every case newest first, escapes data, and every page links to it."""
from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

from casebook.pipeline import build
from conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(xml_text: str):
    root = ET.fromstring(xml_text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_feed_is_well_formed_and_lists_every_case_newest_first(built_site):
    site, _ = build(ROOT / "data")
    root, items = entries((built_site / "feed.xml").read_text(encoding="utf-8"))
    assert root.find(f"{ATOM}id").text == "https://casebook.example.org/"
    assert root.find(f"{ATOM}author/{ATOM}name").text
    expected = sorted(site.cases, key=lambda c: (c.added, c.id), reverse=True)
    assert [e.find(f"{ATOM}id").text for e in items] == [f"https://casebook.example.org/models/{c.id}/" for c in expected]
    for entry, case in zip(items, expected):
        assert entry.find(f"{ATOM}title").text == case.title
        assert entry.find(f"{ATOM}published").text == f"{case.added}T00:00:00Z"
        assert entry.find(f"{ATOM}updated").text == f"{case.updated}T00:00:00Z"
        assert entry.find(f"{ATOM}link").get("href") == f"https://casebook.example.org/models/{case.id}/"
        assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [t.key for t in case.tags]
        assert case.summary_en in entry.find(f"{ATOM}summary").text


def test_every_page_links_to_the_feed_in_its_head(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # redirect stubs of renamed pages
        head = text[: text.index("</head>")]
        assert 'rel="alternate feed" type="application/atom+xml"' in head, page
        href = head.split('type="application/atom+xml"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
        if href.startswith("/"):  # 404.html is served at any depth, so its links are absolute paths
            assert href == "/feed.xml", page
        else:
            assert (page.parent / href).resolve() == (built_site / "feed.xml").resolve(), page


def test_feed_escapes_data(tmp_path):
    """A title full of markup stays text: the feed parses and gives the title back unchanged."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    header, body = (ROOT / "tests" / "golden" / "beijing-evil-case.yml").read_bytes().split(b"\n", 1)
    target = data / header.decode().removeprefix("# place: ").strip()
    target.write_bytes(body)
    shutil.copy(ROOT / "tests" / "fixtures" / "evil-source.txt", data / "sources" / "beijing-evil-case.txt")
    site, pages = build(data)
    evil = next(c for c in site.cases if c.id == "beijing-evil-case")
    _, items = entries(pages["feed.xml"])
    titles = {e.find(f"{ATOM}id").text.rsplit("/", 2)[1]: e.find(f"{ATOM}title").text for e in items}
    assert len(items) == len(site.cases)
    assert titles["beijing-evil-case"] == evil.title and "<script>" in evil.title


def test_pages_do_not_download_the_sitemap(page, site_url):
    """Material fetches sitemap.xml for each link[rel=alternate] (language versions); the feed link must
    not trigger it, or every page load would download a sitemap that grows with the site."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "models/hubei-wuhan-wuchang-huajin/")
    page.wait_for_load_state("networkidle")
    assert requested and not [url for url in requested if url.endswith("sitemap.xml")]


def test_main_feed_carries_the_latest_cases_only_and_stays_small(tmp_path):
    """Feed readers download the whole feed on every poll: at 120 real-sized cases it holds the latest
    FEED_ENTRIES (50), newest first, and stays far under 200 KB (issue 17: 25.5 MB at 10,000 cases)."""
    import sys

    from casebook.opendata import FEED_ENTRIES

    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_corpus

    write_corpus(120, tmp_path / "data")
    site, pages = build(tmp_path / "data")
    _, items = entries(pages["feed.xml"])
    latest = sorted(site.cases, key=lambda c: (c.added, c.id), reverse=True)[:FEED_ENTRIES]
    assert FEED_ENTRIES == 50
    assert [e.find(f"{ATOM}id").text for e in items] == [f"https://casebook.example.org/models/{c.id}/" for c in latest]
    assert len(pages["feed.xml"].encode("utf-8")) < 200_000
    for region in site.regions_with_cases:
        root, items = entries(pages[f"feeds/regions/{region.key}.xml"])
        newest = sorted(region.cases, key=lambda c: (c.added, c.id), reverse=True)[:FEED_ENTRIES]
        assert [e.find(f"{ATOM}id").text for e in items] == [f"https://casebook.example.org/models/{c.id}/" for c in newest]
        assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"https://casebook.example.org/feeds/regions/{region.key}.xml"
    for tag in site.tags:
        _, items = entries(pages[f"feeds/tags/{tag.key}.xml"])
        assert len(items) == min(FEED_ENTRIES, len(tag.cases))
        assert all(tag.key in [c.get("term") for c in e.findall(f"{ATOM}category")] for e in items)


def test_region_and_tag_pages_link_their_own_feed_and_the_data_page_lists_them(built_site):
    site, _ = build(ROOT / "data")
    data_page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    pages = [("regions", r.key, r.cases) for r in site.regions_with_cases] + [("tags", t.key, t.cases) for t in site.tags]
    assert len(pages) > 10
    for kind, key, cases in pages:
        html = (built_site / kind / key / "index.html").read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        feeds = [link.split('href="', 1)[1].split('"', 1)[0] for link in head.split("<link ")[1:] if 'type="application/atom+xml"' in link]
        assert len(feeds) == 2, (kind, key, feeds)  # the site's feed and its own
        own = (built_site / kind / key / feeds[1]).resolve()
        assert own == (built_site / "feeds" / kind / f"{key}.xml").resolve()
        _, items = entries(own.read_text(encoding="utf-8"))
        assert {e.find(f"{ATOM}id").text.rsplit("/", 2)[1] for e in items} == {c.id for c in cases}
        assert f'href="../feeds/{kind}/{key}.xml"' in data_page, (kind, key)
    model = (built_site / "models" / site.cases[0].id / "index.html").read_text(encoding="utf-8")
    assert model[: model.index("</head>")].count('type="application/atom+xml"') == 1  # other pages: the site's feed only
