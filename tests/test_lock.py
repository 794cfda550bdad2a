"""The locks (`make lock`, scripts/lock.py) agree with the readable requirement files: every top-level
requirement is locked at its version, every locked package is pinned with == and a hash, the runtime lock
is the test lock's subset at the same versions, and a requirement added without relocking is caught."""
from __future__ import annotations

import importlib.util
import re
import shutil

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("lock", ROOT / "scripts" / "lock.py")
lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lock)

FILES = sorted({name for name in lock.INPUTS} | {entry[1] for entry in lock.LOCKS})


@pytest.fixture
def copy(tmp_path):
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_committed_locks_are_current():
    assert lock.problems(ROOT) == []


@pytest.mark.parametrize("name", [entry[1] for entry in lock.LOCKS])
def test_every_locked_package_is_pinned_with_a_hash(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    entries = lock.parse_lock(text)
    assert len(entries) >= 3
    for package, (version, hashes, entry) in entries.items():
        assert version and hashes, entry
        assert lock.canonical(entry.split("==")[0]) == package and entry.split("==")[1].split()[0] == version
    # no line that pip could read as an unpinned requirement or another index
    assert "--index-url" not in text and "--extra-index-url" not in text and " -e " not in text


def test_the_makefile_installs_only_from_the_locks_with_hashes_checked():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PIP_INSTALL := $(PY) -m pip install --quiet --require-hashes --no-build-isolation\n" in makefile
    installs = [line.strip() for line in makefile.splitlines() if re.search(r"pip install|\$\(PIP_INSTALL\)", line)
                and not line.startswith("PIP_INSTALL :=")]
    assert len(installs) >= 4, installs  # tools, runtime, test, the Zensical trial's venv
    for line in installs:
        assert line.startswith("$(PIP_INSTALL) -r ") or "pip install --quiet --require-hashes -r " in line, line
        assert re.search(r" -r \S+\.lock$", line), line
    locks = {re.search(r"(\S+\.lock)$", line)[1] for line in installs}
    assert locks == {entry[1] for entry in lock.LOCKS}


def test_a_requirement_added_without_relocking_is_caught(copy):
    assert lock.problems(copy) == []
    with (copy / "requirements.txt").open("a", encoding="utf-8") as fh:
        fh.write("cowsay==6.1\n")
    found = "\n".join(lock.problems(copy))
    assert "requirements.txt: cowsay==6.1 is not in requirements.lock. Hint: run `make lock`." in found
    assert "requirements.txt: cowsay==6.1 is not in requirements-test.lock" in found  # via -r requirements.txt
    assert "requirements.lock is stale" in found


def test_a_changed_pin_or_a_removed_requirement_is_caught(copy):
    text = (copy / "requirements-test.txt").read_text(encoding="utf-8")
    (copy / "requirements-test.txt").write_text(text.replace("pytest==9.2.0", "pytest==9.1.0"), encoding="utf-8")
    found = "\n".join(lock.problems(copy))
    assert "requirements-test.txt: pytest==9.1.0 but requirements-test.lock has pytest==9.2.0" in found
    (copy / "requirements-test.txt").write_text(text.replace("zxing-cpp==3.1.1\n", ""), encoding="utf-8")
    assert [p for p in lock.problems(copy) if "requirements-test.lock is stale" in p]


def test_comments_and_layout_do_not_make_a_lock_stale(copy):
    lines = (copy / "requirements.txt").read_text(encoding="utf-8").splitlines()
    reordered = ["# a new comment", ""] + [f"  {line}   # why" for line in reversed(lines)]
    (copy / "requirements.txt").write_text("\n".join(reordered) + "\n", encoding="utf-8")
    assert lock.problems(copy) == []


def test_a_lock_entry_without_hash_or_exact_pin_is_caught(copy):
    path = copy / "requirements.lock"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "markdown>=3.0\n", encoding="utf-8")
    assert [p for p in lock.problems(copy) if "'markdown>=3.0' is not pinned with == and a --hash" in p]


def test_runtime_and_test_locks_agree(copy):
    path = copy / "requirements.lock"
    text = path.read_text(encoding="utf-8")
    version = lock.parse_lock(text)["click"][0]
    path.write_text(text.replace(f"click=={version}", "click==0.0.1"), encoding="utf-8")
    assert [p for p in lock.problems(copy) if f"requirements.lock has click==0.0.1 but requirements-test.lock has click=={version}" in p]


def test_lock_settings_pin_the_resolution():
    args = lock.uv_args("requirements.txt", "requirements.lock", None)
    for flag in ("--universal", "--generate-hashes", "--upgrade", "--no-config"):
        assert flag in args
    assert args[args.index("--python-version") + 1] == lock.PYTHON
    assert args[args.index("--exclude-newer") + 1] == lock.EXCLUDE_NEWER
    assert args[args.index("--default-index") + 1] == "https://pypi.org/simple"
