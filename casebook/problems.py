"""Problems found in the data, reported all at once as ``path:line:col: field: message``."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""
    example: str = ""

    def format(self) -> str:
        head = f"{self.file}:{self.line}:{self.col}: {self.field or '(file)'}: {self.message}"
        lines = [head]
        if self.hint:
            lines.append(f"    Hint: {self.hint}")
        if self.example:
            lines.append("    Example:")
            lines.extend(f"        {row}" for row in self.example.splitlines())
        return "\n".join(lines)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.col, self.field, self.message)


class DataError(Exception):
    """Raised with every problem found; the build writes nothing when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        body = "\n".join(p.format() for p in self.problems)
        n = len(self.problems)
        return f"{body}\n\n{n} problem{'s' if n != 1 else ''} found; nothing was written."


def format_path(path: tuple) -> str:
    """('measures', 2, 'evidence') -> 'measures[2].evidence'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
