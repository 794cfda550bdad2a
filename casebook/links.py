"""Addresses built from data, percent-encoded with the standard library (never by hand)."""
from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

CORRECTION_TEMPLATE = "correction.yml"  # .github/ISSUE_TEMPLATE/correction.yml; its fields have the ids below


def page_url(site_url: str, case_id: str) -> str:
    return f"{site_url}models/{quote(case_id)}/" if site_url else ""


def correction_issue_url(repo_url: str, case_id: str, title: str, site_url: str = "") -> str:
    """A new-issue link on GitHub with the correction form chosen and prefilled for this case."""
    if urlsplit(repo_url).scheme not in ("http", "https"):
        raise ValueError(f"refusing to link to {repo_url!r}")
    query = urlencode({
        "template": CORRECTION_TEMPLATE,
        "title": f"[纠错 Correction] {case_id}",
        "case": case_id,
        "page": page_url(site_url, case_id) or title,
    }, quote_via=quote)
    return f"{repo_url}/issues/new?{query}"
