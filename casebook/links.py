"""Addresses built from data, percent-encoded with the standard library (never by hand): the absolute URL of a
model page, the prefilled correction issue, and the redirects that keep renamed pages alive."""
from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

CORRECTION_TEMPLATE = "correction.yml"  # .github/ISSUE_TEMPLATE/correction.yml; its fields have the ids below


def page_path(case_id: str) -> str:
    """The page's address relative to the site root (MkDocs directory URLs)."""
    return f"models/{quote(case_id)}/"


def page_url(settings: dict, case) -> str:
    return settings["site_url"] + page_path(case.id)


def correction_issue_url(repo_url: str, case_id: str, title: str, site_url: str = "") -> str:
    """A new-issue link on GitHub with the correction form chosen and prefilled for this case."""
    if urlsplit(repo_url).scheme not in ("http", "https"):
        raise ValueError(f"refusing to link to {repo_url!r}")
    query = urlencode({
        "template": CORRECTION_TEMPLATE,
        "title": f"[纠错 Correction] {case_id}",
        "case": case_id,
        "page": (site_url + page_path(case_id)) if site_url else title,
    }, quote_via=quote)
    return f"{repo_url}/issues/new?{query}"


def redirect_maps(site) -> dict[str, str]:
    """{old page source: current page source} for mkdocs-redirects, one per former id, sorted."""
    pairs = ((f"models/{old}.md", f"models/{case.id}.md") for case in site.cases for old in case.former_ids)
    return dict(sorted(pairs))
