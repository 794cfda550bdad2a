"""Strict, position-keeping YAML loading for contributor files.

Why not ``yaml.safe_load``: it silently keeps the last of two duplicate keys, expands
aliases (the "billion laughs" bomb), turns ``2019-11-27`` into a date and ``no`` into
False, and forgets where each value came from. Here every value keeps its line and
column, so every later error can point at it.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem, format_path

MAX_BYTES = 256 * 1024  # a case record is a few KB; anything bigger is a mistake or an attack
MAX_DIGITS = 30  # longer numbers are mistakes (and Python refuses int() of more than 4,300 digits)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema scalars only: no timestamps, no yes/no/on/off booleans, no octal or sexagesimal."""

    yaml_implicit_resolvers: dict = {}


_Resolver.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789.")
)
_Resolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _YamlRefused(Exception):
    def __init__(self, mark, message: str, hint: str):
        self.mark, self.message, self.hint = mark, message, hint


try:  # libyaml's parser is ~10x faster; the pure-Python one gives the same events
    from yaml._yaml import CParser as _FastParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FastParser = None


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_ALLOWED_TAGS = (None, "!", _STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP)
_RESOLVER = _Resolver()


@dataclass
class Document:
    """A loaded YAML file: its data and where each value (and each key) sits."""

    path: str
    data: object
    positions: dict = field(default_factory=dict)  # path tuple -> (line, col) of the value
    key_positions: dict = field(default_factory=dict)  # path tuple -> (line, col) of the key
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # results computed from this exact text
    digest: str = ""  # of the file's bytes: identifies this exact text

    def where(self, path: tuple, key: bool = False) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that exists."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _byte_line(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def _tag(event) -> str:
    return event.tag if event.tag not in (None, "!") else _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)


def _number_problem(event) -> str:
    """A number a record cannot mean: hundreds of digits, or too large for a float (1.0e999)."""
    tag = _tag(event)
    if tag not in (_INT, _FLOAT):
        return ""  # text: its digits are not counted (every scalar of 10,000 files passes here)
    digits = sum(ch.isdigit() for ch in event.value)
    if digits > MAX_DIGITS:
        return f"number with {digits} digits"
    if tag == _FLOAT and not math.isfinite(float(event.value)):
        return "number too large to store"
    return ""


def _scalar(event) -> object:
    tag = _tag(event)
    text = event.value
    if tag == _INT:
        return int(text)
    if tag == _FLOAT:
        return float(text)
    if tag == _BOOL:
        return text.lower() == "true"
    if tag == _NULL:
        return None
    return text


class _Builder:
    """Builds plain data from parser events, recording positions and refusing aliases, anchors and tags."""

    def __init__(self, parser, doc: "Document", problems: list[Problem]):
        self.parser, self.doc, self.problems = parser, doc, problems

    def value(self, path: tuple):
        event = self.parser.get_event()
        if isinstance(event, yaml.AliasEvent):
            raise _YamlRefused(event.start_mark, "aliases (*name) are not allowed",
                               "write the value out in full; anchors and aliases are refused so that a file cannot expand into a huge document")
        if event.anchor:
            raise _YamlRefused(event.start_mark, f"anchors (&{event.anchor}) are not allowed",
                               "remove the &anchor and write each value out in full")
        if event.tag not in _ALLOWED_TAGS:
            raise _YamlRefused(event.start_mark, f"the YAML tag {event.tag} is not allowed",
                               "remove the !tag; plain strings, numbers, lists and mappings are all a record needs")
        if len(path) > 20:
            raise _YamlRefused(event.start_mark, "nesting is deeper than 20 levels", "a case record is at most a few levels deep")
        self.doc.positions[path] = _pos(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            trouble = _number_problem(event)
            if trouble:
                line, col = _pos(event.start_mark)
                self.problems.append(Problem(self.doc.path, line, col, _dotted(path), trouble,
                                             "write the number as the article gives it, e.g. 295 or 20.51"))
                return event.value
            return _scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list = []
            while not self.parser.check_event(yaml.SequenceEndEvent):
                items.append(self.value(path + (len(items),)))
            self.parser.get_event()
            return items
        return self.mapping(path)

    def mapping(self, path: tuple) -> dict:
        result: dict = {}
        while not self.parser.check_event(yaml.MappingEndEvent):
            key_event = self.parser.peek_event()
            if not isinstance(key_event, yaml.ScalarEvent) or key_event.anchor or key_event.tag not in _ALLOWED_TAGS:
                raise _YamlRefused(key_event.start_mark, "a key must be a plain word",
                                   "write keys as plain words such as title: or metrics:")
            self.parser.get_event()
            key = key_event.value  # as written: `1:`, `true:` and `~:` are the keys "1", "true" and "~"
            kpath = path + (key,)
            if key in result:
                line, col = _pos(key_event.start_mark)
                first = self.doc.key_positions[kpath][0]
                self.problems.append(Problem(self.doc.path, line, col, _dotted(kpath), f"duplicate key '{key}' (first given on line {first})",
                                            "each key may appear once per mapping; merge the two entries or delete one"))
                self.value(path + (f"{key}#duplicate",))  # consume it; it is reported, not used
                continue
            self.doc.key_positions[kpath] = _pos(key_event.start_mark)
            result[key] = self.value(kpath)
        self.parser.get_event()
        return result


def _dotted(path: tuple) -> str:
    return format_path(path)


def parse_yaml(raw: bytes, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse bytes of one YAML file. Returns the document (None if unusable) and the problems found."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(path, 1, 1, "", f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                              "a case record is a few kilobytes; keep long text in the archived source under data/sources/")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_line(raw, exc.start)
        return None, [Problem(path, line, col, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                              "save the file as UTF-8; GBK/GB2312 or Big5 files must be converted, e.g. iconv -f GBK -t UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    problems: list[Problem] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.append(Problem(path, lineno, len(line) - len(stripped) + 1, "", "tab character used for indentation",
                                    "YAML indents with spaces only; replace each tab with two spaces"))
    if problems:
        return None, problems
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Problem(path, 1, 1, "", "file is empty",
                              "a case record needs at least id, title and the other required fields; run python scripts/new_case.py for a commented template")]
    parser = _FastParser(text) if _FastParser else _PyParser(text)
    doc = Document(path=path, data=None)
    try:
        parser.get_event()  # stream start
        parser.get_event()  # document start
        doc.data = _Builder(parser, doc, problems).value(())
        parser.get_event()  # document end
        if not parser.check_event(yaml.StreamEndEvent):
            extra = parser.peek_event()
            raise _YamlRefused(extra.start_mark, "a second YAML document ('---') in the same file",
                               "one case per file; remove the '---' line and what follows, or move it to its own file")
    except _YamlRefused as exc:
        line, col = _pos(exc.mark)
        return None, [Problem(path, line, col, "", exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context}"
        hint = _unclosed_quote(text, mark.line + 1) if mark else ""
        opened = exc.context_mark and exc.context and exc.context.startswith(("while scanning a quoted", "while parsing a flow"))
        if opened and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            # an unclosed quote or bracket: the line where it opens is where the mistake is
            message = (f"YAML syntax error: the {'quote' if 'quoted' in exc.context else 'bracket'} opened here is never closed "
                       f"({exc.problem} on line {exc.problem_mark.line + 1})")
            mark = exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        return None, [Problem(path, line, col, "", message, hint or _syntax_hint(exc))]
    except yaml.YAMLError as exc:
        bad = _CONTROL.search(text)
        if bad:  # control characters: libyaml reports them with a byte offset, or none at all
            return None, [_control_character(path, text, bad.start(), ord(bad.group()))]
        return None, [Problem(path, 1, 1, "", f"YAML error: {exc}", "check the file is a YAML mapping of key: value lines")]
    return doc, problems


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _control_character(path: str, text: str, position: int, character) -> Problem:
    before = text[:position]
    line, col = before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
    shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return Problem(path, line, col, "", f"control character {shown} in the file",
                   "delete the invisible character (it often comes with text copied from a web page or a PDF)")


def _unclosed_quote(text: str, error_line: int) -> str:
    """A quote left open runs on over later lines, so the parser complains far below it; point at it."""
    for lineno, line in enumerate(text.splitlines()[: error_line - 1], 1):
        body = line.split(" #", 1)[0]
        if ": " in body:
            value = body.split(": ", 1)[1].strip()
            if value[:1] in "\"'" and (len(value) < 2 or value[-1] != value[0]):
                return f"the quote opened on line {lineno} is never closed; close it at the end of that value"
    return ""


def _syntax_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "") + " " + (exc.context or "")
    if "mapping values are not allowed" in problem:
        return "a value that contains ': ' must be quoted, e.g. title: \"A: B\""
    if "could not find expected ':'" in problem or "simple key" in problem:
        return "each line of a mapping needs 'key: value'; check the indentation and any unclosed quote on or above this line"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value; some characters (such as @, ` or %) cannot start a plain YAML value"
    if "expected <block end>" in problem:
        return "the indentation of this line does not match the lines above it; indent with two spaces per level"
    if "found unexpected end of stream" in problem or "unclosed" in problem:
        return "a quote or bracket is opened and never closed"
    return "check the indentation and quoting on this line and the line above it"


class _Dumper(yaml.SafeDumper):
    """Writes YAML the way this loader reads it: dates stay plain (2019-11-27), no anchors."""

    def ignore_aliases(self, data) -> bool:
        return True


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def dump_yaml(data, flow: bool = False) -> str:
    """YAML text for ``data`` (examples in messages, scalars in generated skeletons); Chinese stays readable."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                     default_flow_style=True if flow else False)


# Parsed files by display path, kept for the life of the process: under `mkdocs serve` each rebuild
# re-reads every file but parses (and schema-checks, see Document.memo) only those whose bytes changed.
_PARSED: dict[str, tuple[bytes, Document | None, list[Problem]]] = {}


class _KeepNothing(dict):
    def __setitem__(self, key, value) -> None:
        pass


def cache_parsed(enabled: bool) -> None:
    """Keep parsed files for later loads (the default), or not: a one-off build has no later load,
    and at 10,000 cases the parsed files would hold hundreds of megabytes to the end."""
    global _PARSED
    _PARSED = {} if enabled else _KeepNothing()


def load_yaml_file(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, 1, "", f"cannot read file: {exc.strerror}", "check the file exists and is readable")]
    cached = _PARSED.get(display)
    if cached and cached[0] == raw:
        return cached[1], list(cached[2])
    doc, problems = parse_yaml(raw, display)
    if doc is not None:
        doc.digest = hashlib.sha1(raw).hexdigest()
    _PARSED[display] = (raw, doc, list(problems))
    return doc, problems
