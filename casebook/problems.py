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


# GitHub workflow commands (`::error file=…,line=…::message`): the runner turns each line of a step's output
# that has this form into an annotation on that line of the pull request's diff. Data and properties are
# escaped as the runner unescapes them (actions/toolkit, command.ts); a newline left in would end the
# command, so escaping also keeps text from a contributor's file from starting a workflow command of its own.
def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """One problem as a GitHub `::error` annotation at its file, line and column, titled by its field;
    the hint and the example follow the message on lines of their own."""
    props = {"file": problem.file, "line": str(problem.line), "col": str(problem.col),
             "title": f"casebook: {problem.field}" if problem.field else "casebook"}
    lines = [problem.message]
    if problem.hint:
        lines.append(f"Hint: {problem.hint}")
    if problem.example:
        lines.append("Example:")
        lines.extend(f"    {row}" for row in problem.example.splitlines())
    return "::error " + ",".join(f"{k}={escape_property(v)}" for k, v in props.items()) + "::" + escape_data("\n".join(lines))
