"""Site settings the pages need from mkdocs.yml: the absolute site address, its name, and the repository.

mkdocs.yml is their one source (``site_url: !ENV [SITE_URL, ...]``, ``extra.casebook.repo_url: !ENV
[CASEBOOK_REPO_URL, ...]``). The MkDocs hook passes its loaded config; scripts/build_pages.py and the tests
read the same mkdocs.yml with MkDocs' own YAML loader, so ``!ENV`` works the same way and generated pages are
identical whichever way they are built.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"


def settings_from_config(config) -> dict:
    """``config``: the MkDocs config or the mapping read from mkdocs.yml."""
    extra = (config.get("extra") or {}).get("casebook") or {}
    repo_url = str(extra.get("repo_url") or "").rstrip("/")
    site_url = str(config.get("site_url") or "").strip()
    if not site_url.startswith(("http://", "https://")):
        raise ValueError(f"site_url must be an absolute http(s) address, not {site_url!r}: set SITE_URL or site_url in mkdocs.yml")
    return {
        "repo_url": repo_url if urlsplit(repo_url).scheme in ("http", "https") else "",
        "site_url": site_url if site_url.endswith("/") else site_url + "/",
        "site_name": str(config.get("site_name") or ""),
    }


def read_settings(mkdocs_yml: Path = MKDOCS_YML) -> dict:
    """Settings from mkdocs.yml, for the command line and tests (the hook uses the loaded config)."""
    from mkdocs.utils.yaml import yaml_load

    with Path(mkdocs_yml).open("rb") as fh:
        return settings_from_config(yaml_load(fh) or {})


default_settings = read_settings
