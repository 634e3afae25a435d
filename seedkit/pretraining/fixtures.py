"""Synthetic stage 01/02 outputs for tests and benchmarks of stage 03 (never used by the stage itself).

The stage reads only real stage 01/02 outputs and fails with a one-line MissingInputError when
they are absent; these fixtures follow docs/contracts.md's schemas so that tests and
``bench/bench_pretrain.py`` can run stage 03 alone. The code is generated from templates: tidy,
documented functions get high quality scores, terse ones low scores, so ``filtered`` and
``rules_only`` differ the way the real filter makes them differ.

``rules_junk_fraction`` builds a run in which the filtered corpus is better *by construction*: that
share of ``rules_only`` is replaced by files of random characters that exist nowhere else (not in
stage 01, so not in any held-out set). A model trained on ``rules_only`` then spends that share of
its tokens on text that teaches nothing about the held-out code, so the ablation's difference
``rules_only - filtered`` must come out positive; tests use it to check the sign and the arithmetic.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

_NOUNS = ["value", "item", "record", "price", "count", "name", "path", "score", "node", "user", "order", "token"]
_VERBS = ["compute", "parse", "load", "merge", "filter", "format", "total", "validate", "normalize", "collect"]


def _good_python(rng: random.Random) -> str:
    v, n, m = rng.choice(_VERBS), rng.choice(_NOUNS), rng.choice(_NOUNS)
    k = rng.randint(2, 9)
    return (
        f'def {v}_{n}s({n}s: list[int], limit: int = {k}) -> list[int]:\n'
        f'    """{v.capitalize()} the {n}s, keeping at most `limit` of them."""\n'
        f'    result = []\n'
        f'    for {n} in {n}s:\n'
        f'        if {n} % {k} == 0:\n'
        f'            result.append({n} * {k})\n'
        f'        if len(result) >= limit:\n'
        f'            break\n'
        f'    return result\n\n\n'
        f'def {m}_total({m}s: list[int]) -> int:\n'
        f'    """Return the sum of the {m}s."""\n'
        f'    total = 0\n'
        f'    for {m} in {m}s:\n'
        f'        total += {m}\n'
        f'    return total\n'
    )


def _bad_python(rng: random.Random) -> str:
    a, b = rng.randint(0, 99), rng.randint(0, 99)
    return (f"x{a}=[{a},{b},{a + b}]\ny{b}=0\nfor q in x{a}:y{b}=y{b}+q*{b}\nprint(y{b})\n"
            f"D={{'k{a}':{b},'k{b}':{a}}}\n")


def _good_js(rng: random.Random) -> str:
    v, n = rng.choice(_VERBS), rng.choice(_NOUNS)
    k = rng.randint(2, 9)
    return (
        f"/** {v.capitalize()} the {n}s: multiples of {k} only. */\n"
        f"function {v}{n.capitalize()}s({n}s) {{\n"
        f"  const result = [];\n"
        f"  for (const {n} of {n}s) {{\n"
        f"    if ({n} % {k} === 0) {{\n"
        f"      result.push({n} * {k});\n"
        f"    }}\n"
        f"  }}\n"
        f"  return result;\n"
        f"}}\n\nmodule.exports = {{ {v}{n.capitalize()}s }};\n"
    )


def synthetic_files(n: int = 120, seed: int = 0) -> list[dict[str, Any]]:
    """Rows of stage 01's ``files`` plus a ``quality_score`` (stage 02's ``scored``)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        kind = i % 4
        if kind == 3:
            content, lang, score, ext = _bad_python(rng), "python", rng.uniform(0.5, 3.5), "py"
        elif kind == 2:
            content, lang, score, ext = _good_js(rng), "javascript", rng.uniform(5.5, 9.0), "js"
        else:
            content, lang, score, ext = _good_python(rng), "python", rng.uniform(5.0, 9.5), "py"
        repo = f"org/repo{i % 6}"
        rows.append({
            "id": hashlib.sha256(f"{i}:{content}".encode()).hexdigest(), "repo": repo, "path": f"src/mod{i}.{ext}",
            "language": lang, "content": content, "size_bytes": len(content.encode()),
            "num_lines": content.count("\n"), "source": "repos", "quality_score": round(score, 2),
        })
    return rows


def junk_file(rng: random.Random, chars: int = 600) -> str:
    """Random printable characters in random-length lines: text that predicts nothing."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789{}[]()<>;:,.!?@#$%^&*_+-=~|/ "
    lines, n = [], 0
    while n < chars:
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 70)))
        lines.append(line)
        n += len(line) + 1
    return "\n".join(lines) + "\n"


def write_fixture_run(runs_dir: str | Path, run_name: str = "fixture", n_files: int = 120, seed: int = 0,
                      with_stage02: bool = True, drop_bottom_fraction: float = 0.25,
                      rules_junk_fraction: float = 0.0) -> Path:
    """Write 01_curation and (optionally) 02_llm_filter of a run with manifests; return the run dir."""
    import datasets

    datasets.disable_progress_bars()
    from seedkit.pretraining.settings import PretrainingSettings
    from seedkit.runs import StageRun

    settings = PretrainingSettings.from_params("tiny", run_name=run_name, runs_dir=str(runs_dir))
    rows = synthetic_files(n_files, seed)
    file_cols = ["id", "repo", "path", "language", "content", "size_bytes", "num_lines", "source"]
    files = [{k: r[k] for k in file_cols} for r in rows]
    by_repo: dict[str, list[dict[str, Any]]] = {}
    for r in files:
        by_repo.setdefault(r["repo"], []).append(r)
    repos = [{"repo": name, "content": "".join(f"# file: {f['path']}\n{f['content']}\n" for f in fs),
              "languages": sorted({f["language"] for f in fs}), "num_files": len(fs)} for name, fs in by_repo.items()]
    commits = [{"id": f"c{i}", "repo": "org/repo0", "commit": f"{i:040x}", "message": f"Fix off-by-one in loop {i}",
                "context": f"for i in range({i}):\n    pass\n", "target": f"src/mod{i}.py\n-range({i})\n+range({i + 1})\n",
                "text": f"Fix off-by-one in loop {i}\nfor i in range({i}):\n    pass\nsrc/mod{i}.py\n-range({i})\n+range({i + 1})\n"}
               for i in range(12)]
    web = [{"id": f"w{i}", "path": f"https://example.org/{i}", "title": f"Loops in Python {i}",
            "text": f"How to sum a list in Python.\n\ntotal = sum([{i}, {i + 1}])\nprint(total)\n",
            "code_blocks": [f"total = sum([{i}, {i + 1}])"], "code_score": 0.9, "kept_by": "fixture"} for i in range(10)]
    r1 = StageRun(settings, stage="01_curation")
    r1.start()
    for name, data in (("files", files), ("repos", repos), ("commits", commits), ("web", web)):
        r1.save_dataset(name, datasets.Dataset.from_list(data))
    r1.finish(metrics={"fixture": True})
    if with_stage02:
        scored = sorted(rows, key=lambda r: r["quality_score"])
        cut = int(len(scored) * drop_bottom_fraction)
        filtered = scored[cut:]
        rng = random.Random(seed + 1)
        rules = rng.sample(files, len(filtered))
        n_junk = round(len(rules) * rules_junk_fraction)
        for i in range(n_junk):
            content = junk_file(rng)
            rules[i] = {"id": hashlib.sha256(f"junk{i}:{content}".encode()).hexdigest(), "repo": "org/junk",
                        "path": f"junk/j{i}.py", "language": "python", "content": content,
                        "size_bytes": len(content), "num_lines": content.count("\n"), "source": "repos"}
        r2 = StageRun(settings, stage="02_llm_filter")
        r2.start()
        r2.save_dataset("scored", datasets.Dataset.from_list(rows))
        r2.save_dataset("filtered", datasets.Dataset.from_list(filtered))
        r2.save_dataset("rules_only", datasets.Dataset.from_list(rules))
        r2.finish(metrics={"fixture": True})
    return Path(runs_dir) / run_name
