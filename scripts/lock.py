#!/usr/bin/env python3
"""Lock every Python dependency, with hashes, from the readable requirement files (`make lock`).

    python scripts/lock.py            # write the *.lock files (all of them, or none on a failure)
    python scripts/lock.py --check    # say what is stale or missing; exit 1 if anything is

The lock is a pure function of the top-level requirement files and the settings below: uv resolves
from PyPI only, for Python >= PYTHON on every platform (--universal), ignoring the old lock
(--upgrade) and every file uploaded after EXCLUDE_NEWER. The same inputs give the same bytes on any
day, from any state of the old lock (stale, conflicted or deleted). To take newer releases, move
EXCLUDE_NEWER forward and run `make lock`.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PYTHON = "3.11.5"  # the oldest Python the locked packages support (pymdown-extensions 13.1 needs 3.11.5)
EXCLUDE_NEWER = "2026-12-01T09:00:00Z"  # PyPI as it was then: later uploads do not change the lock
INDEX = "https://pypi.org/simple"

# (readable input, lock, constraint lock): the test lock first; the runtime lock is constrained by it,
# so `make serve` and `make test` install the same version of every package they share.
LOCKS = (
    ("requirements-tools.txt", "requirements-tools.lock", None),
    ("requirements-test.txt", "requirements-test.lock", None),
    ("requirements.txt", "requirements.lock", "requirements-test.lock"),
    ("bench/zensical/requirements.txt", "bench/zensical/requirements.lock", None),
)
# The files a lock is made from: a change to any requirement in them makes every lock stale.
INPUTS = ("requirements-tools.txt", "requirements.txt", "requirements-test.txt", "bench/zensical/requirements.txt")
DIGEST_LINE = "# inputs-sha256: {}  (scripts/lock.py --check compares it with the requirement files)"


def uv_args(source: str, output: str, constraint: str | None) -> list[str]:
    args = ["pip", "compile", source, "-o", output, "--no-config", "--universal", "--python-version", PYTHON,
            "--generate-hashes", "--upgrade", "--exclude-newer", EXCLUDE_NEWER, "--default-index", INDEX,
            "--custom-compile-command", "make lock", "--quiet"]
    return args + (["-c", constraint] if constraint else [])


def requirement_lines(text: str) -> list[str]:
    """The requirement lines of a file, without comments, blank lines or layout (so comments never make a lock stale)."""
    lines = (re.sub(r"(^|\s)#.*", "", line).strip() for line in text.splitlines())
    return sorted(" ".join(line.split()) for line in lines if line)


def inputs_digest(root: Path) -> str:
    h = hashlib.sha256(f"python {PYTHON}; exclude-newer {EXCLUDE_NEWER}; index {INDEX}\n".encode())
    for name in INPUTS:
        path = root / name
        lines = requirement_lines(path.read_text(encoding="utf-8")) if path.is_file() else ["(missing)"]
        h.update(f"{name}\n".encode() + "\n".join(lines).encode() + b"\n")
    return h.hexdigest()


def parse_lock(text: str) -> dict[str, tuple[str, list[str], str]]:
    """{canonical name: (version, hashes, raw entry)} of a uv/pip-compile lock."""
    entries: dict[str, tuple[str, list[str], str]] = {}
    for entry in re.sub(r"\\\n", " ", text).splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;]+)", entry)
        version = m.group(3) if m else ""
        name = canonical(m.group(1)) if m else entry.split()[0]
        entries[name] = (version, re.findall(r"--hash=(sha256:[0-9a-f]{64})", entry), entry)
    return entries


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def top_level(root: Path, name: str) -> list[tuple[str, str]]:
    """(requirement line, file) of a readable file, following -r includes."""
    out = []
    for line in requirement_lines((root / name).read_text(encoding="utf-8")):
        if line.startswith(("-r ", "--requirement ")):
            out.extend(top_level(root, line.split(None, 1)[1]))
        elif not line.startswith("-"):
            out.append((line, name))
    return out


def problems(root: Path = ROOT) -> list[str]:
    """Everything that makes the locks disagree with the requirement files; [] when they are current."""
    from packaging.requirements import Requirement  # pip's own parser of requirement lines

    found = []
    digest = inputs_digest(root)
    locks = {}
    for source, lock, _ in LOCKS:
        path = root / lock
        if not path.is_file():
            found.append(f"{lock} is missing. Hint: run `make lock`.")
            continue
        text = path.read_text(encoding="utf-8")
        locks[lock] = parse_lock(text)
        if DIGEST_LINE.format(digest) not in text.splitlines():
            found.append(f"{lock} is stale: the requirement files or the lock settings changed after it was made. "
                         "Hint: run `make lock` and commit the *.lock files.")
        for line, origin in top_level(root, source):
            req = Requirement(line)
            pinned = locks[lock].get(canonical(req.name))
            if pinned is None:
                found.append(f"{origin}: {line} is not in {lock}. Hint: run `make lock`.")
            elif not req.specifier.contains(pinned[0], prereleases=True):
                found.append(f"{origin}: {line} but {lock} has {req.name}=={pinned[0]}. Hint: run `make lock`.")
        for name, (version, hashes, entry) in locks[lock].items():
            if not version or not hashes:
                found.append(f"{lock}: {entry[:80]!r} is not pinned with == and a --hash. Hint: run `make lock`.")
    runtime, test = locks.get("requirements.lock"), locks.get("requirements-test.lock")
    if runtime is not None and test is not None:
        for name, (version, _, _) in runtime.items():
            if test.get(name, ("",))[0] != version:
                found.append(f"requirements.lock has {name}=={version} but requirements-test.lock "
                             f"{'has ' + name + '==' + test[name][0] if name in test else 'does not have it'}. "
                             "Hint: run `make lock`.")
    return found


def write_locks(root: Path, uv: str) -> None:
    """Resolve every lock into a scratch directory; replace the committed locks only when all succeeded."""
    digest = inputs_digest(root)
    with tempfile.TemporaryDirectory(prefix="casebook-lock-") as scratch:
        made = {}
        for source, lock, constraint in LOCKS:
            out = Path(scratch) / lock
            out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([uv, *uv_args(source, str(out), str(Path(scratch) / constraint) if constraint else None)],
                           cwd=root, check=True)
            text = out.read_text(encoding="utf-8").replace(scratch + "/", "")  # annotations name the lock, not the scratch copy
            head, found, body = text.partition("\n#    make lock\n")
            if not found:  # the digest goes right under uv's header, which names the command
                raise RuntimeError(f"{lock}: uv's header has changed; update write_locks in scripts/lock.py")
            made[lock] = f"{head}\n#    make lock\n{DIGEST_LINE.format(digest)}\n{body}"
        for lock, text in made.items():
            (root / lock).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale or missing pins; write nothing")
    parser.add_argument("--uv", default=shutil.which("uv", path=str(Path(sys.executable).parent)) or "uv",
                        help="the uv executable (default: the one beside this Python, from requirements-tools.lock)")
    args = parser.parse_args(argv)
    if args.check:
        found = problems(ROOT)
        print("\n".join(found) if found else "ok: every lock is current")
        return 1 if found else 0
    try:
        write_locks(ROOT, args.uv)
    except (subprocess.CalledProcessError, FileNotFoundError, RuntimeError) as exc:
        print(f"lock failed ({exc}); the *.lock files were left as they were.", file=sys.stderr)
        return 1
    print("ok: " + ", ".join(lock for _, lock, _ in LOCKS) + " written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
