"""Site settings the pages need from mkdocs.yml: the absolute site address, its name, and the repository.

mkdocs.yml is their one source (``site_url: !ENV [SITE_URL, ...]``, ``extra.casebook.repo_url: !ENV
[CASEBOOK_REPO_URL, ...]``). The MkDocs hook passes its loaded config; scripts/build_pages.py, ``python -m
casebook`` and the tests read the same mkdocs.yml with the ``!ENV`` tag of pyyaml-env-tag (the one MkDocs
and ProperDocs use), without importing an engine, so generated pages are identical whichever way they are built.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml
from yaml_env_tag import construct_env_tag

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
    with Path(mkdocs_yml).open("rb") as fh:
        return settings_from_config(yaml.load(fh, _ConfigLoader) or {})


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as the engines read it, for the settings above: ``!ENV`` as they resolve it; other
    engine-specific tags (``!relative``, ``!!python/name:``) are not settings of ours and load as None."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


default_settings = read_settings
