"""Site-wide settings the pages need from mkdocs.yml: the absolute address and the name.

mkdocs.yml is their one source (``site_url: !ENV [SITE_URL, ...]``). The MkDocs hook passes
the loaded config; the command line and tests read mkdocs.yml with MkDocs' own YAML loader,
so ``SITE_URL`` in the environment works the same everywhere.
"""
from __future__ import annotations

from pathlib import Path

MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"


def site_settings(site_url: str | None, site_name: str) -> dict:
    """{"site_url": absolute base ending in "/", "site_name": ...}."""
    url = (site_url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"site_url must be an absolute http(s) address, not {url!r}: set SITE_URL or site_url in mkdocs.yml")
    return {"site_url": url if url.endswith("/") else url + "/", "site_name": site_name}


def from_mkdocs(config) -> dict:
    return site_settings(config["site_url"], config["site_name"])


def default_settings(mkdocs_yml: Path = MKDOCS_YML) -> dict:
    """Settings from mkdocs.yml, for the command line and tests (the hook uses the loaded config)."""
    from mkdocs.utils.yaml import yaml_load

    with Path(mkdocs_yml).open("rb") as fh:
        return from_mkdocs(yaml_load(fh))
