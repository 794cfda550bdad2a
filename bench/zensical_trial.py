#!/usr/bin/env python3
"""The road after Material: build the generated docs/ with Zensical and compare with MkDocs (bench/RESULTS.md).

    python bench/zensical_trial.py ZENSICAL [N ...]     # `make bench-zensical N="0 1000"`

ZENSICAL is the `zensical` executable of its own venv (bench/zensical/requirements.lock; not a project
dependency). N = 0 is the real seed data; N > 0 is N synthetic cases (bench/synth.py). For each corpus:
one case gets a former id (so a redirect stub is built), `python -m casebook generate` writes docs/,
then the same docs/ is rendered by `zensical build --clean` (the project's mkdocs.yml as it is; Zensical
reads it) and by `mkdocs build` with the same configuration less the hook (rendering only, the floor),
then `python -m casebook index` indexes each site. Prints one JSON line per corpus: seconds and peak RSS
(MB, of the step's largest process) per step, and the checks of what breaks.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import hand_written_docs, timed  # noqa: E402
from synth import write_corpus  # noqa: E402

PY = sys.executable
MODEL_PAGE_BUDGET_KB = 40


def with_former_id(data: Path) -> str:
    """Give the first case (by path) a former id; returns it."""
    case = sorted((data / "cases").rglob("*.yml"))[0]
    text = case.read_text(encoding="utf-8")
    case_id = re.search(r"^id: (\S+)$", text, re.M).group(1)
    old = f"{case_id}-old"
    case.write_text(text.replace(f"id: {case_id}\n", f"id: {case_id}\nformer_ids:\n  - {old}\n", 1), encoding="utf-8")
    return old


def project_copy(work: Path, hooks: bool) -> Path:
    """mkdocs.yml and overrides/ beside a docs/ directory (the hook line dropped for the MkDocs floor)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if not hooks:
        config = re.sub(r"^hooks:\n(  - .*\n)+", "hooks: []\n", config, flags=re.M)
    else:  # Zensical's default "modern" look drops Material's palette (our custom colours) and hides the header search box
        config = config.replace("\n  name: material\n", "\n  name: material\n  variant: classic\n", 1)
    work.mkdir(parents=True, exist_ok=True)
    (work / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "overrides", work / "overrides")
    if hooks:  # the hook file is listed in the config: keep it resolvable
        shutil.copytree(ROOT / "casebook", work / "casebook", ignore=shutil.ignore_patterns("__pycache__"))
    return work / "mkdocs.yml"


def checks(site: Path, old_id: str) -> dict:
    html = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "pagefind" not in p.parts)
    models = [p for p in (site / "models").glob("*/index.html") if p.parent.name != old_id]
    model = max(models, key=lambda p: p.stat().st_size)
    text = model.read_text(encoding="utf-8")
    return {
        "html_pages": len(html),
        "model_page_max_kb": round(model.stat().st_size / 1024, 1),
        "overrides_header_search": "data-cb-search-box" in text,
        "overrides_pagefind_body": "data-pagefind-body" in text,
        "extra_js_deferred": bool(re.search(r'<script src="[./]*javascripts/casebook\.js" defer>', text)),
        "feed_link": "application/atom+xml" in text,
        "redirect_stub": (site / "models" / old_id / "index.html").is_file(),
        "sitemap": (site / "sitemap.xml").is_file(),
        "generator": (re.search(r'<meta name="generator" content="([^"]*)"', text) or [None, None])[1],
        "own_search_index": (site / "search.json").is_file() or (site / "search" / "search_index.json").is_file(),
    }


def run(zensical: str, n: int) -> dict:
    work = ROOT / "bench" / "out" / f"zensical-{n}"
    shutil.rmtree(work, ignore_errors=True)
    data = work / "data"
    if n:
        write_corpus(n, data)
    else:
        shutil.copytree(ROOT / "data", data)
    old = with_former_id(data)
    env = {k: v for k, v in os.environ.items() if k not in ("CASEBOOK_DOCS", "CASEBOOK_DATA")}
    env.update(NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SOURCE_DATE_EPOCH="1700000000")

    docs = hand_written_docs(work / "docs")
    gen_s, _, gen_rss = timed([PY, "-m", "casebook", "generate", "--data", str(data), "--docs", str(docs)], env=env, cwd=ROOT)
    row: dict = {"n": n, "cases": len(list((data / "cases").rglob("*.yml"))), "generate_s": gen_s, "generate_rss_mb": gen_rss}

    for engine in ("zensical", "mkdocs"):
        project = work / engine
        config = project_copy(project, hooks=engine == "zensical")
        shutil.copytree(docs, project / "docs")
        site = project / "site"
        if engine == "zensical":
            cmd = [zensical, "build", "--clean", "-f", str(config)]
        else:
            cmd = [PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
        # docs/ beside the config, given relatively: Zensical 0.0.73 panics on an absolute docs_dir (CASEBOOK_DOCS)
        build_s, result, build_rss = timed(cmd, env=env, cwd=project)
        if engine == "zensical":
            row["zensical_strict_ok"] = timed_ok([zensical, "build", "--strict", "-f", str(config)], env=env, cwd=project)
        index_s, index_out, index_rss = timed([PY, "-m", "casebook", "index", str(site)], env=env, cwd=ROOT)
        row[engine] = {"build_s": build_s, "build_rss_mb": build_rss, "index_s": index_s, "index_rss_mb": index_rss,
                       "index": index_out.stdout.strip(), "log_tail": (result.stdout + result.stderr).strip()[-300:],
                       **checks(site, old)}
    row["build_ratio_zensical_over_mkdocs"] = row["zensical"]["build_s"] / row["mkdocs"]["build_s"]
    row["rss_ratio_zensical_over_mkdocs"] = row["zensical"]["build_rss_mb"] / row["mkdocs"]["build_rss_mb"]
    z, m = (work / "zensical" / "site"), (work / "mkdocs" / "site")
    row["same_html_pages"] = (sorted(p.relative_to(z) for p in z.rglob("*.html") if "pagefind" not in p.parts)
                              == sorted(p.relative_to(m) for p in m.rglob("*.html") if "pagefind" not in p.parts))
    row["same_search_bundle"] = all((z / p.relative_to(m)).is_file() and (z / p.relative_to(m)).read_bytes() == p.read_bytes()
                                    for p in (m / "pagefind").rglob("*") if p.is_file())
    return row


def timed_ok(cmd: list[str], **kwargs) -> bool:
    import subprocess
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs).returncode == 0


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    zensical, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]] or [0]
    for n in sizes:
        print(json.dumps(run(zensical, n), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
