"""Stable addresses: the absolute URL of a model page, and the redirects that keep renamed ones alive."""
from __future__ import annotations

from urllib.parse import quote

from .model import Case, Site


def page_path(case_id: str) -> str:
    """The page's address relative to the site root (MkDocs directory URLs)."""
    return f"models/{quote(case_id)}/"


def page_url(settings: dict, case: Case) -> str:
    return settings["site_url"] + page_path(case.id)


def redirect_maps(site: Site) -> dict[str, str]:
    """{old page source: current page source} for mkdocs-redirects, one per former id, sorted."""
    pairs = ((f"models/{old}.md", f"models/{case.id}.md") for case in site.cases for old in case.former_ids)
    return dict(sorted(pairs))
