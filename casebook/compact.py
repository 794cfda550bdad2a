"""Shorter HTML without changing what it shows: Material's templates indent deeply and leave many
blank lines (about 3 KB of a model page). Every run of spaces, tabs and newlines that contains a
newline becomes one newline, which HTML renders the same; <pre>, <textarea>, <code>, <script> and
<style> are left exactly as they are, and non-ASCII spaces (U+00A0, U+3000) are never touched."""
from __future__ import annotations

import re

_VERBATIM = re.compile(r"(<(pre|textarea|code|script|style)\b.*?</\2\s*>)", re.S | re.I)
_RUN = re.compile(r"[ \t\r\n]*\n[ \t\r\n]*")


def squeeze_whitespace(html: str) -> str:
    parts = _VERBATIM.split(html)  # [text, verbatim, tag name, text, verbatim, tag name, ..., text]
    out = []
    for i in range(0, len(parts), 3):
        out.append(_RUN.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
