"""MkDocs hook: regenerate pages from data/ before every build, index the built site for search
after it, and watch data/ under serve. Under serve, invalid data keeps the last good pages and shows
its problems in the browser (casebook/preview.py) instead of failing the rebuild.

Each event is one call (casebook.pipeline, casebook.search), so `mkdocs build` and `mkdocs serve` alone work.
"""
from __future__ import annotations

import logging
import os
import sys
import time
import zlib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import TableOfContents

# MkDocs loads this file by path; make the package beside it importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casebook.bilingual import mark_chrome, mark_nav, page_titles  # noqa: E402
from casebook.compact import squeeze_whitespace  # noqa: E402
from casebook.links import redirect_maps  # noqa: E402
from casebook.markdown_jobs import JOBS  # noqa: E402
from casebook.pipeline import DataReport, generate, generate_apart, jobs_from_env, settings_from_env  # noqa: E402
from casebook.preview import PREVIEW, with_script  # noqa: E402
from casebook.problems import DataError  # noqa: E402
from casebook.search.reindex import REINDEXER  # noqa: E402
from casebook.search.index import build_index  # noqa: E402
from casebook.settings import settings_from_config  # noqa: E402

log = logging.getLogger("mkdocs.hooks.casebook")


def on_startup(command, dirty, **kwargs) -> None:
    REINDEXER.serving = command == "serve"
    JOBS.enabled = command != "serve" and not dirty  # serve rebuilds: one case's pages, in this process


def _data_dir(config) -> Path:
    return Path(os.environ.get("CASEBOOK_DATA") or Path(config.config_file_path).parent / "data")


def on_pre_build(config, **kwargs) -> None:
    settings = {**settings_from_env(os.environ), **settings_from_config(config)}
    start = time.perf_counter()
    try:
        if REINDEXER.serving:  # in this process: its caches make the next rebuild quick
            result = generate(_data_dir(config), Path(config.docs_dir), settings=settings, only=os.environ.get("CASEBOOK_CASE") or None)
            written, deleted, redirects = len(result.written), len(result.deleted), redirect_maps(result.site)
        else:  # one build: in a child process, whose memory is freed before MkDocs renders the pages
            summary = generate_apart(_data_dir(config), Path(config.docs_dir), settings=settings)
            written, deleted, redirects = summary.written, summary.deleted, summary.redirects
    except (DataError, DataReport) as exc:
        if not REINDEXER.serving:
            raise PluginError("casebook: invalid data\n" + exc.report()) from None
        redirects, written, deleted = _keep_last_good(config, getattr(exc, "problems", []), exc.report(),
                                                      "invalid data; the preview keeps the last good pages and shows these problems in the browser")
    except Exception as exc:  # a bug, not the data; under serve it would hang every request too
        if not REINDEXER.serving:
            raise
        report = (f"casebook could not generate the pages ({type(exc).__name__}: {exc}).\n"
                  "This is a bug in casebook, not a mistake in your file: the terminal shows the details; please report it.")
        redirects, written, deleted = _keep_last_good(config, [], report, "the pages could not be generated", exc_info=True)
    else:
        PREVIEW.passed(redirects)
    if "redirects" in config.plugins:  # old addresses of renamed cases (former_ids); the plugin reads them in on_files
        config.plugins["redirects"].config["redirect_maps"].update(redirects)
    if written or deleted:  # bench/scale.py reads the seconds from this line
        log.info("casebook: %d pages written, %d removed (%.1f s)", written, deleted, time.perf_counter() - start)


# MkDocs renders every page's Markdown first and only then puts each into the theme, so the HTML
# of the whole site would sit in memory between the two passes (1.7 GB at 10,000 cases, as much as
# the rest of the build). Between them each page keeps its HTML zlib-compressed; once the page is
# written its text is let go (release_page). The anchors MkDocs checks at the end live elsewhere.
def on_page_content(html, page, config, files, **kwargs) -> str:
    page.markdown = None  # rendered: the source is not needed again
    page.cb_packed = zlib.compress(html.encode("utf-8"), 1)
    return ""


def on_page_context(context, page, config, nav, **kwargs):
    packed = getattr(page, "cb_packed", None)
    if packed is not None:
        page.content = zlib.decompress(packed).decode("utf-8")
        page.cb_packed = None
    # the page's title in each language view, for <title> and the header (overrides/main.html, partials/header.html)
    context["cb_titles"] = _titles(page, config)
    return context


def _keep_last_good(config, problems, report: str, what: str, exc_info: bool = False) -> tuple[dict, int, int]:
    """Under serve: a failed rebuild would hold every request ("The server will appear stuck until build
    errors are resolved"), so the build goes on with the pages of the last valid data and the browser shows
    the problems (casebook/preview.py). Returns the redirects, written and deleted counts to go on with."""
    PREVIEW.failed(problems, report)
    # an error line would make a strict `mkdocs serve` abort the build, which is what hangs
    log.log(logging.INFO if config.strict else logging.ERROR, "casebook: %s\n%s", what, report, exc_info=exc_info)
    return PREVIEW.redirects, 0, 0


def on_nav(nav, config, files, **kwargs):
    mark_nav(nav.items)  # nav labels "首页 Home" as lang-marked halves (casebook/bilingual.py)
    if JOBS.enabled:
        JOBS.start(config, files, jobs_from_env(os.environ), own_event=on_page_markdown)
    return nav


def on_page_markdown(markdown, page, config, files, **kwargs):
    JOBS.take(page, files)  # converted in another process (casebook/markdown_jobs.py): the page takes the result
    return markdown


def _titles(page, config) -> dict:
    extra = (config.get("extra") or {}).get("casebook") or {}
    return page_titles(page, config["site_name"], extra.get("site_name_en") or config["site_name"])


def on_env(env, config, files, **kwargs):
    if JOBS.started:  # every page is converted by now; bench/scale.py reads the seconds from this line
        log.info("casebook: Markdown of %d pages converted, %d of them in %d other process(es) (%.1f s)", *JOBS.stop())
    env.globals["cb_titles"] = _titles(None, config)  # pages without a page context (404.html): the site's name
    return env


def on_post_page(output, page, config, **kwargs) -> str:
    release_page(page)
    output = squeeze_whitespace(mark_chrome(output))  # keeps model pages within their 40 KB budget
    return with_script(output, config.site_url) if REINDEXER.serving else output


def on_post_template(output_content, template_name, config, **kwargs):
    if REINDEXER.serving and template_name == "404.html":  # a page the last good data did not have
        return with_script(output_content, config.site_url)
    return output_content


def release_page(page) -> None:
    """Drop what MkDocs keeps of a page after writing it (its HTML and table of contents)."""
    page.content = None
    page.toc = TableOfContents([])


def on_post_build(config, **kwargs) -> None:
    if REINDEXER.serving:  # the edit shows now, the search index a few seconds later (casebook/search/reindex.py)
        PREVIEW.write_status(Path(config.site_dir))
        REINDEXER.request(Path(config.site_dir))
        return
    start = time.perf_counter()
    report = build_index(Path(config.site_dir))
    # bench/scale.py reads the seconds from this line
    log.info("casebook: search index of %d pages in %d shard(s) (%d with traditional characters folded, %d heavy words) (%.1f s)",
             report.pages, report.shards, report.folded, report.heavy, time.perf_counter() - start)


def on_build_error(error, **kwargs) -> None:
    JOBS.stop()


def on_serve(server, config, builder, **kwargs):
    server.watch(str(_data_dir(config)))
    return server
