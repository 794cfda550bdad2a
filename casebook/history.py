"""When each data file last changed, from git: one `git log` call for the whole data directory.

The date is the committer date of the newest commit that touched the file, so the same
checkout always gives the same dates (no wall clock). Outside a git checkout, without git,
or for a file that was never committed, a file has no date and callers fall back to the
record's own dates.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

_DATE_MARK = "\x00"


def parse_log(output: str) -> dict[str, str]:
    """``git log --format=%x00%cs --name-only`` output -> {path: newest date}. Newest commits come first."""
    dates: dict[str, str] = {}
    date = ""
    for line in output.splitlines():
        if line.startswith(_DATE_MARK):
            date = line[len(_DATE_MARK):].strip()
        elif line.strip() and date:
            dates.setdefault(line.strip(), date)
    return dates


def last_changed(data_root: Path) -> dict[str, str]:
    """{path relative to ``data_root`` (posix): YYYY-MM-DD of the last commit that changed it}."""
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--relative", "--", "."],
            cwd=data_root, capture_output=True, text=True, encoding="utf-8", timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    return parse_log(result.stdout)
