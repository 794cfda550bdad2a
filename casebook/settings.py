"""Site settings the pages need (repository and site address), read from mkdocs.yml.

One place: the MkDocs hook passes its loaded config, scripts/build_pages.py reads the same
mkdocs.yml with MkDocs' own YAML loader (so ``!ENV`` works the same way), and both hand the
result to the renderer. Generated pages are therefore identical whichever way they are built.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def settings_from_config(config) -> dict:
    """``config``: the MkDocs config or the mapping read from mkdocs.yml."""
    extra = (config.get("extra") or {}).get("casebook") or {}
    repo_url = str(extra.get("repo_url") or "").rstrip("/")
    site_url = str(config.get("site_url") or "")
    return {
        "repo_url": repo_url if urlsplit(repo_url).scheme in ("http", "https") else "",
        "site_url": site_url if not site_url or site_url.endswith("/") else site_url + "/",
    }


def read_settings(mkdocs_yml: Path) -> dict:
    if not Path(mkdocs_yml).is_file():
        return settings_from_config({})
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    with open(mkdocs_yml, encoding="utf-8") as fh:
        return settings_from_config(yaml.load(fh, Loader=get_yaml_loader()) or {})
