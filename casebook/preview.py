"""The preview under ``mkdocs serve``: an invalid edit keeps the last good site and shows its problems in the browser.

MkDocs' dev server holds every request while a rebuild is pending and stops answering when a
rebuild fails ("The server will appear stuck until build errors are resolved"). So under serve the
hook does not fail the build on invalid data: it keeps the pages generated from the last valid data
(generation writes nothing on any problem), lets MkDocs finish, and writes the problems to
:data:`STATUS_PATH` in the served site. Every page built under serve carries a small script
(templates/_partials/preview_script.html.j2) that reads that file when the page loads and, if it is
not empty, shows the problems over the page. MkDocs' livereload reloads every open page after each
rebuild, so the problems show after the invalid save and go after the fix. ``mkdocs build`` is
untouched: there invalid data fails the build, as it must.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from .problems import Problem
from .render import render_html
from .write import replace_file

# Under the site, served like any asset. JSON, not HTML: the dev server adds its livereload script to every .html file.
STATUS_PATH = "casebook-preview/status.json"
SHOWN = 50  # problems listed over the page; a file of tabs can have hundreds, all in the terminal


class Preview:
    """What the last rebuild under serve found wrong with the data (nothing: it was valid)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.report = ""  # the text report, where no problem list crossed (a child process)
        self.redirects: dict[str, str] = {}  # of the last valid data: a failed rebuild keeps them too

    def failed(self, problems: list[Problem], report: str) -> None:
        self.problems, self.report = list(problems), report

    def passed(self, redirects: dict[str, str]) -> None:
        self.problems, self.report, self.redirects = [], "", dict(redirects)

    def status_html(self) -> str:
        """The problems as an HTML fragment (every field escaped); "" when the data is valid."""
        if not self.problems and not self.report:
            return ""
        return render_html("_partials/preview_problems.html.j2", problems=self.problems[:SHOWN], total=len(self.problems),
                           report="" if self.problems else self.report)

    def write_status(self, site_dir: Path) -> None:
        target = Path(site_dir) / STATUS_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        status = {"problems": len(self.problems) or (1 if self.report else 0), "html": self.status_html()}
        replace_file(target, json.dumps(status, ensure_ascii=False, sort_keys=True) + "\n")


def with_script(html: str, site_url: str) -> str:
    """``html`` with the preview script before ``</body>`` (or at the end)."""
    script = render_html("_partials/preview_script.html.j2", status_url=urlsplit(site_url or "/").path.rstrip("/") + "/" + STATUS_PATH)
    at = html.rfind("</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


PREVIEW = Preview()
