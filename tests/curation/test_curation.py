"""Stage 01 (curation): each filter, both dedup levels, commits, web, decontamination, bad input."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from seedkit.config import SettingsError
from seedkit.curation import sources
from seedkit.curation.chain import empty_dataset, iter_shards, map_shards, run_steps_on_shard
from seedkit.curation.commits import CommitOptions, commit_samples
from seedkit.curation.corpus import Fingerprinter, FingerprintOptions, fingerprint_shard, repo_dedup_decisions
from seedkit.curation.decontam import Decontaminator
from seedkit.curation.dedup import exact_duplicates, jaccard, near_duplicates, tokens_of
from seedkit.curation.filters import BasicFilters, LanguageStep, SecretRedactor, SyntaxFilter, redact_secrets
from seedkit.curation.planted import PLANTED_FILES, PLANTED_PAGES
from seedkit.curation.repos import build_repo_rows, dependency_order
from seedkit.curation.settings import CurationSettings
from seedkit.curation.sources import ReadStep, list_repo_dir, new_record
from seedkit.curation.stage import CurationSteps, filter_files, list_sources, planted_check, run_curation
from seedkit.curation.web import CodePageClassifier, extract_page, process_pages, read_pages, score_pages

GOOD_PY = '''"""A small module."""


def add(a, b):
    """Sum of two numbers."""
    return a + b


def scale(values, factor):
    return [v * factor for v in values]
'''


def doc(content: str, path: str = "m.py", repo: str = "r", language: str = "") -> dict:
    d = new_record(repo, path, content=content, source="dataset", language=language)
    return d


# --------------------------------------------------------------------------- step 1: read


def read(tmp_path: Path, name: str, data: bytes, max_bytes: int = 1000) -> tuple[bool, str | None, dict]:
    p = tmp_path / name
    p.write_bytes(data)
    d = new_record("r", name, str(p))
    ok, why = ReadStep(max_bytes)(d)
    return ok, why, d


def test_read_rejects_binary_empty_oversize_and_decodes_legacy_encodings(tmp_path):
    assert read(tmp_path, "a.py", b"x = 1\x00\x01\x02")[:2] == (False, "binary")
    assert read(tmp_path, "b.py", b"")[:2] == (False, "empty")
    assert read(tmp_path, "c.py", b"  \n\n\t\n")[:2] == (False, "empty")
    assert read(tmp_path, "d.py", b"x = 1\n" * 400)[:2] == (False, "oversize")
    ok, why, d = read(tmp_path, "e.py", "# café et crème brûlée, voilà\nname = 'Müller'\n".encode("latin-1"))
    assert ok and why is None and "Müller" in d["content"] and d["num_lines"] == 2
    ok, _, d = read(tmp_path, "f.py", b"print('hi')\n")
    assert ok and d["content"] == "print('hi')\n"


def test_read_counts_symlink_loops_dangling_links_and_permission_errors(tmp_path, monkeypatch):
    loop = tmp_path / "loop.py"
    os.symlink(loop, loop)
    d = new_record("r", "loop.py", str(loop))
    assert ReadStep()(d) == (False, "symlink_loop")
    dangling = tmp_path / "dangling.py"
    os.symlink(tmp_path / "nowhere.py", dangling)
    assert ReadStep()(new_record("r", "dangling.py", str(dangling))) == (False, "missing_or_dangling_link")
    secret = tmp_path / "secret.py"
    secret.write_text("x = 1\n")
    real_open = open

    def fake_open(path, *a, **k):  # root ignores chmod, so the permission error is simulated
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(sources, "open", fake_open, raising=False)
    assert ReadStep()(new_record("r", "secret.py", str(secret))) == (False, "permission_denied")


def test_listing_turns_symlinked_dirs_into_records_and_skips_vcs_dirs(tmp_path):
    (tmp_path / "repo" / "pkg").mkdir(parents=True)
    (tmp_path / "repo" / "pkg" / "a.py").write_text(GOOD_PY)
    (tmp_path / "repo" / ".git").mkdir()
    (tmp_path / "repo" / ".git" / "config").write_text("[core]\n")
    os.symlink(tmp_path / "repo", tmp_path / "repo" / "pkg" / "again")  # a directory loop
    (tmp_path / "top.py").write_text(GOOD_PY)
    recs = list_repo_dir(tmp_path)
    got = {(r["repo"], r["path"], r["listing_error"]) for r in recs}
    assert ("repo", "pkg/a.py", "") in got
    assert ("loose-files", "top.py", "") in got
    assert any(r["listing_error"] == "symlink_dir" for r in recs)
    assert not any(".git" in r["path"] for r in recs)


# --------------------------------------------------------------------------- step 2-3


def test_language_step_maps_extensions_and_names_data_formats():
    step = LanguageStep()
    for path, lang in [("a.py", "python"), ("b.ts", "typescript"), ("c.RS", "rust"), ("Makefile", "makefile"),
                       ("d.cc", "cpp"), ("e.kt", "kotlin"), ("f.sh", "shell")]:
        d = doc("", path)
        assert step(d) == (True, None) and d["language"] == lang
    assert step(doc("", "x.json")) == (False, "data_format")
    assert step(doc("", "x.weird")) == (False, "unknown_language")
    d = doc("", "x.weird")
    assert LanguageStep(keep_unknown=True)(d) == (True, None) and d["language"] == "unknown"


@pytest.mark.parametrize("content,reason", [
    ("# Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n\nvar A = 1\n", "auto_generated"),
    ("var a=" + ";var b=".join(str(i) for i in range(2000)) + ";\n", "minified"),
    ("DATA = [\n" + "\n".join(f"    {i * 7919 % 100000}.{i:04d}, {i * 31337 % 99991}.{i:04d}," for i in range(200)) + "\n]\n",
     "data_dump"),
    ("x = 1\n", "too_few_lines"),
    ("x = 1\n" * 20001, "too_many_lines"),
    ("a = 1\nb = 2\nc = 3\nd = 4\nlong = '" + "y" * 1500 + "'\ne = 5\nf = 6\ng = 7\nh = 8\ni = 9\n", "line_too_long"),
    ("\n".join("v = '" + "ab cd " * 20 + "'" for _ in range(10)) + "\n", "mean_line_too_long"),
    ("#" * 50 + "\n" + "# -- += -- *= --\n" * 10 + "#" * 50 + "\n", "low_alphanumeric"),
])
def test_basic_filters_name_the_failing_rule(content, reason):
    assert BasicFilters(max_lines=20000)(doc(content)) == (False, reason)


def test_basic_filters_keep_ordinary_code():
    assert BasicFilters()(doc(GOOD_PY)) == (True, None)


# --------------------------------------------------------------------------- step 4-5


def test_syntax_filter_tree_sitter_and_ast_crosscheck():
    f = SyntaxFilter()
    assert f(doc(GOOD_PY, language="python")) == (True, None)
    assert f(doc("def f(:\n  pass\n", language="python")) == (False, "syntax_error")
    assert f(doc("function f() { return [1, 2; }\n", "a.js", language="javascript")) == (False, "syntax_error")
    assert f(doc("function f() { return [1, 2]; }\n", "a.js", language="javascript")) == (True, None)
    assert f(doc("fn main() { let x = 1; }\n", "a.rs", language="rust")) == (True, None)
    assert f(doc("this is not sql but never checked\n", "a.sql", language="sql")) == (True, None)
    # Python 2: tree-sitter-python accepts it, CPython's parser (the reference) does not
    py2 = doc("print 'hello'\ntry:\n    pass\nexcept Exception, e:\n    pass\n", language="python")
    assert f(py2) == (False, "syntax_error") and py2["syntax_note"] == "tree_sitter_only"
    assert SyntaxFilter("tree-sitter")(doc(py2["content"], language="python")) == (True, None)
    assert SyntaxFilter("cpython")(doc(py2["content"], language="python")) == (False, "syntax_error")


def test_secrets_are_redacted_not_dropped():
    text = ('KEY = "AKIAIOSFODNN7EXAMPLE"\npassword = "s3cr3t-passw0rd"\n# mail me: bob.smith@example.com\n'
            'tok = "ghp_' + "a" * 36 + '"\n@property\ndef x(self):\n    return self.a @ self.b\n')
    out, counts = redact_secrets(text)
    for leaked in ("AKIAIOSFODNN7EXAMPLE", "s3cr3t-passw0rd", "bob.smith@example.com", "ghp_"):
        assert leaked not in out
    assert counts == {"aws_access_key": 1, "assigned_secret": 1, "email": 1, "github_token": 1}
    assert "@property" in out and "self.a @ self.b" in out
    d = doc(text)
    assert SecretRedactor()(d) == (True, None) and "<REDACTED_EMAIL>" in d["content"]
    assert redact_secrets(out)[1] == {}  # idempotent


# --------------------------------------------------------------------------- step 6: dedup

BASE = "\n".join(f"def function_{i}(alpha, beta):\n    return alpha * {i} + beta - {i * 3}\n" for i in range(40))


def test_exact_dedup_ignores_trailing_space_and_newline_style():
    texts = [BASE, BASE.replace("\n", "   \r\n"), BASE + "\n\n", "other"]
    assert exact_duplicates(texts) == [None, 0, 0, None]


def test_near_dedup_catches_edited_copies_and_keeps_distinct_files():
    near = BASE.replace("function_3(", "renamed_3(").replace("return alpha * 7", "return alpha * 77")
    other = "\n".join(f"class Thing{i}:\n    value = '{i * 13}'\n    name = 'thing {i}'\n" for i in range(40))
    assert jaccard(BASE, near) > 0.8
    assert near_duplicates([BASE, other, near, ""]) == [None, None, 0, None]


def fingerprinted(docs: list[dict], s: CurationSettings) -> tuple[list[dict], object]:
    return fingerprint_shard(Fingerprinter(FingerprintOptions.from_settings(s, None)), docs)


def test_repo_level_dedup_drops_whole_copied_repositories():
    s = CurationSettings.from_params("tiny")
    docs = [doc(BASE, "a.py", "orig"), doc(GOOD_PY, "b.py", "orig"),
            doc(BASE, "a.py", "copy"), doc(GOOD_PY, "b.py", "copy"),
            doc(BASE + "\n# one more comment line here\n", "a.py", "fork"), doc(GOOD_PY, "b.py", "fork"),
            doc("print('unrelated')\n" * 3, "c.py", "other")]
    docs, sig = fingerprinted(docs, s)
    valid = np.array([d["minhash_valid"] for d in docs])
    kw = dict(bands=s.lsh_bands, rows=s.lsh_rows, min_jaccard=s.near_dup_min_jaccard)
    got = repo_dedup_decisions([d["repo"] for d in docs], [d["sha256"] for d in docs], sig, valid, exact=True, near=True, **kw)
    assert [g and g[0] for g in got] == [None, None, "exact_duplicate_repo", "exact_duplicate_repo",
                                        "near_duplicate_repo", "near_duplicate_repo", None]
    assert got[2][1] == "same content as repo orig" and got[4][1] == "near duplicate of repo orig"
    # exact only: the edited fork survives; nothing at all: every repository survives
    exact_only = repo_dedup_decisions([d["repo"] for d in docs], [d["sha256"] for d in docs], sig, valid, exact=True,
                                      near=False, **kw)
    assert [g and g[0] for g in exact_only][4:6] == [None, None]


# --------------------------------------------------------------------------- multilingual text in dedup

# Pseudo-words from each script's letters (and vowel signs, where the script writes them as combining
# marks): distinct texts in Burmese, Ukrainian, Malayalam, Yiddish, Cantonese, Armenian, Japanese and
# Bodo (Devanagari), all inside the same Python skeleton, as locale modules of installed packages are.
SCRIPTS = {
    "my": ([chr(c) for c in range(0x1000, 0x1021)], [chr(c) for c in range(0x102B, 0x1033)]),
    "uk": (list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"), []),
    "ml": ([chr(c) for c in range(0x0D15, 0x0D3A)], [chr(c) for c in range(0x0D3E, 0x0D4D)]),
    "yi": ([chr(c) for c in range(0x05D0, 0x05EB)], []),
    "yue": ([chr(c) for c in range(0x4E00, 0x4E00 + 3000, 7)], []),
    "hy": ([chr(c) for c in range(0x0561, 0x0587)], []),
    "ja": ([chr(c) for c in range(0x3041, 0x3094)] + [chr(c) for c in range(0x30A1, 0x30F5)], []),
    "brx": ([chr(c) for c in range(0x0915, 0x093A)], [chr(c) for c in range(0x093E, 0x094D)]),
}


def locale_module(script: str, seed: int) -> str:
    import random

    letters, signs = SCRIPTS[script]
    rng = random.Random(f"{script}-{seed}")

    def word() -> str:
        out = ""
        for _ in range(rng.randint(2, 4)):
            out += rng.choice(letters) + (rng.choice(signs) if signs and rng.random() < 0.6 else "")
        return out

    names = ",\n".join(f'        "{word()} {word()}"' for _ in range(60))
    return (f'"""Names and phrases for one locale."""\n\nfrom .. import Provider as BaseProvider\n\n\n'
            f"class Provider(BaseProvider):\n    formats = (\n        \"{{first_name}} {{last_name}}\",\n    )\n"
            f"    first_names = (\n{names},\n    )\n")


def edited(text: str, n: int = 3) -> str:
    """A near copy: n lines of the name list changed."""
    lines = text.split("\n")
    for k in range(n):
        i = 10 + 7 * k
        lines[i] = lines[i][:-3] + "X" + lines[i][-2:]
    return "\n".join(lines)


def test_near_dedup_keeps_distinct_texts_in_other_scripts_and_catches_their_copies():
    texts = [locale_module(sc, 0) for sc in SCRIPTS]
    assert not any(t.isascii() for t in texts)
    assert len({tuple(tokens_of(t)) for t in texts}) == len(texts)  # the non-Latin words are tokens
    assert near_duplicates(texts) == [None] * len(texts)  # every locale kept
    copies = [edited(texts[i]) for i in range(len(texts))]
    res = near_duplicates(texts + copies)
    assert res[: len(texts)] == [None] * len(texts)
    assert res[len(texts):] == list(range(len(texts)))  # each edited copy caught, as a copy of its own script
    # no-space scripts give one token per character; marked scripts keep vowel signs inside words
    assert tokens_of("日本語のテキスト")[:3] == ["日".encode(), "本".encode(), "語".encode()]
    assert tokens_of("മലയാളം ഭാഷ") == ["മലയാളം".encode(), "ഭാഷ".encode()]
    assert tokens_of("Snake_Case x1 café") == [b"snake", b"case", b"x1", "café".encode()]
    from seedkit.curation.dedup import UNICODE_TOKEN_RE

    for text in texts + ["MÜLLER—Straße abc日本 x_y İstanbul ᏣᎳᎩ 123٣ ﬁle", "ASCII only, Mixed_Case 42"]:
        assert tokens_of(text) == [t.encode() for t in UNICODE_TOKEN_RE.findall(text.lower())], text


# --------------------------------------------------------------------------- step 7: decontamination


def test_decontamination_names_the_problem_and_spares_number_runs():
    dec = Decontaminator.default()
    he0 = (Path(__file__).resolve().parents[2] / "data_samples/repos/textstats/textstats/contaminated.py").read_text()
    assert dec.check(he0) == (True, "10-gram overlap with HumanEval/0")
    assert dec.check(GOOD_PY) == (False, None)
    assert dec.check("TABLE = " + str(list(range(100)))) == (False, None)
    custom = Decontaminator([("kit/1", "def frobnicate_widgets(widgets): return sorted(w.size for w in widgets if w.ok)")])
    assert custom.check("x = 1\ndef frobnicate_widgets(widgets): return sorted(w.size for w in widgets if w.ok)\n")[0]
    assert custom({"content": GOOD_PY}) == (True, None)


# --------------------------------------------------------------------------- running steps


def test_a_step_that_raises_drops_its_document_not_the_run():
    def boom(d):
        if d["path"] == "x.py":
            raise RuntimeError("bad")
        return True, None

    kept, dropped = run_steps_on_shard([boom], [doc("a", "x.py"), doc("b", "y.py")])
    assert [d["path"] for d in kept] == ["y.py"] and dropped[0]["_reason"] == "step_error:RuntimeError"


# --------------------------------------------------------------------------- repos, commits, web


def test_dependency_order_puts_imports_first():
    files = [
        {"path": "pkg/cli.py", "language": "python", "content": "from pkg.core import run\nimport pkg.util\n"},
        {"path": "pkg/core.py", "language": "python", "content": "from .util import helper\n"},
        {"path": "pkg/util.py", "language": "python", "content": "def helper(): pass\n"},
        {"path": "web/app.js", "language": "javascript", "content": "const u = require('./lib/u');\n"},
        {"path": "web/lib/u.js", "language": "javascript", "content": "module.exports = 1;\n"},
    ]
    order = [f["path"] for f in dependency_order(files)]
    assert order.index("pkg/util.py") < order.index("pkg/core.py") < order.index("pkg/cli.py")
    assert order.index("web/lib/u.js") < order.index("web/app.js")
    rows = build_repo_rows([{**f, "repo": "r"} for f in files])
    assert rows[0]["num_files"] == 5 and rows[0]["content"].startswith("# ==== pkg/util.py ====")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                   capture_output=True)


def test_commit_samples_from_a_repository(tmp_path):
    repo = tmp_path / "proj"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("# proj\nParses configuration files.\n")
    (repo / "parser.py").write_text("def parse_config(text):\n    return dict(l.split('=') for l in text.splitlines())\n")
    (repo / "other.py").write_text("def unrelated():\n    return 42\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial")
    (repo / "parser.py").write_text("def parse_config(text):\n    return dict(l.split('=', 1) for l in text.splitlines() if l)\n")
    git(repo, "commit", "-q", "-am", "parse_config: skip blank lines and split on the first '='")
    res = commit_samples(repo, CommitOptions(max_commits=5, context_files=1))
    assert len(res.rows) == 2
    newest = res.rows[0]
    assert newest["message"].startswith("parse_config")
    assert newest["retrieved"] == ["parser.py"]  # BM25 on the message finds the file it changes
    assert "## README" in newest["context"] and "split('=')" in newest["context"]  # pre-commit snapshot
    assert "M\tparser.py" in newest["target"] and "+    return dict(l.split('=', 1)" in newest["target"]
    assert "(empty repository before this commit)" in res.rows[1]["context"]
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    assert commit_samples(empty).skipped == {"no_commits": 1}
    assert commit_samples(tmp_path / "nothing").skipped == {"not_a_git_repo": 1}


def test_web_extraction_and_classifier(tmp_path):
    page = extract_page("<html><head><title>T</title><script>var x;</script></head><body><p>Intro"
                        "<pre>for i in range(3):\n    print(i)</pre><div>unclosed")
    assert page.title == "T" and page.code_blocks == ["for i in range(3):\n    print(i)"] and "var x" not in page.text
    with pytest.raises(ValueError):
        extract_page(b"")
    seeds = [{"text": f"the function returns a list and the compiler checks types {i}", "label": "code"} for i in range(10)]
    seeds += [{"text": f"bake the bread in the oven and serve with butter {i}", "label": "other"} for i in range(10)]
    clf = CodePageClassifier.train(seeds)
    assert clf.score("a function that returns a list, checked by the compiler") > 0.5
    assert clf.score("serve the bread warm from the oven with butter") < 0.5
    (tmp_path / "a.html").write_text("<p>bake the bread in the oven and serve it with butter</p>")
    (tmp_path / "b.html").write_bytes(b"\x00\x01\x02")
    res = process_pages(sorted(tmp_path.glob("*.html")), clf)
    assert sorted((Path(r["path"]).name, r["reason"]) for r in res.dropped) == [
        ("a.html", "not_code_related"), ("b.html", "unparseable_html")] and res.rows == []


def test_the_classifier_decides_on_every_page_and_code_tags_only_seed_it():
    """A page with <pre> blocks but no code (a knitting chart) is dropped; tutorials with code blocks are
    kept by the classifier. Cross-fitted rule seeds: scored in-sample, the chart would be kept."""
    from seedkit.config import DATA_SAMPLES
    from seedkit.curation.web import classifier_text, decide_pages, load_seeds, rule_seeds

    pages, dropped = read_pages(sorted((DATA_SAMPLES / "web" / "pages").glob("*.html")))
    seeds = load_seeds(DATA_SAMPLES / "web" / "seeds.jsonl")
    scores, how = score_pages(pages, seeds, use_rule_seeds=True)
    assert "cross-fitted" in how and len(scores) == len(pages)
    res = decide_pages(pages, dropped, None, 0.5, scores)
    kept = {Path(r["path"]).name: r["kept_by"] for r in res.rows}
    assert set(kept.values()) == {"classifier"}
    assert {"python-list-comprehensions.html", "unclosed-tags-go-tutorial.html", "how-hash-tables-work.html"} <= set(kept)
    chart = next(i for i, p in enumerate(pages) if p["path"].endswith("knitting-pattern-chart.html"))
    assert pages[chart]["has_code_tags"] and scores[chart] < 0.5 and "knitting-pattern-chart.html" not in kept
    in_sample = CodePageClassifier.train(seeds + rule_seeds(pages))
    assert in_sample.score(classifier_text(pages[chart])) > 0.5  # why the rule's pages are cross-fitted
    # no seeds to train on: the stage says so and the code-tags rule decides
    none, why = score_pages(pages, [], use_rule_seeds=True)
    assert none is None and "needs both" in why


# --------------------------------------------------------------------------- whole stage


def quiet(_msg: str) -> None:
    pass


def test_bad_input_is_counted_never_lost(tmp_path):
    src = tmp_path / "src" / "repo"
    src.mkdir(parents=True)
    (src / "good.py").write_text(GOOD_PY)
    (src / "zero.py").write_bytes(b"")
    (src / "huge.py").write_bytes(b"x = 1\n" * 700_000)  # 4.2 MB
    (src / "blob.bin.py").write_bytes(bytes(range(256)) * 10)
    os.symlink(src / "self.py", src / "self.py")
    os.symlink(src, src / "loopdir")
    (src / "weird.xyz").write_text("hello\n")
    s = CurationSettings.from_params("tiny", repo_dirs=[str(tmp_path / "src")], stdlib_sample_files=0,
                                     commit_repos=[], web_dirs=[])
    recs = list_sources(s, tmp_path / "work", quiet)
    assert len(recs) == 7
    out = filter_files(s, recs, tmp_path / "work")
    kept, dropped = out["kept"], out["dropped"]
    assert len(kept) + len(dropped) == 7
    assert kept["path"] == ["good.py"]
    got = {d["path"]: (d["step"], d["reason"]) for d in dropped}
    assert got == {"zero.py": ("read", "empty"), "huge.py": ("read", "oversize"), "blob.bin.py": ("read", "binary"),
                   "self.py": ("read", "symlink_loop"), "loopdir": ("read", "symlink_dir"),
                   "weird.xyz": ("language", "unknown_language")}
    assert kept[0]["content"] == GOOD_PY and kept[0]["language"] == "python"


def test_a_missing_source_folder_is_a_one_line_error(tmp_path):
    for field in ("repo_dirs", "dataset_paths", "web_dirs", "commit_repos"):
        s = CurationSettings.from_params("tiny", **{field: [str(tmp_path / "no-such-folder")]})
        with pytest.raises(SettingsError, match=f"^{field}: .*no-such-folder does not exist") as e:
            CurationSteps(s, say=quiet)
        assert "\n" not in str(e.value)


def run_tiny(tmp_path: Path, monkeypatch, name: str, **over) -> tuple:
    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path / "runs"))
    s = CurationSettings.from_params("tiny", run_name=name, **over)
    return s, run_curation(s, say=quiet)


def test_stage_removes_every_planted_file_under_its_reason(tmp_path, monkeypatch):
    not_git = tmp_path / "not-a-repo"
    not_git.mkdir()
    s, res = run_tiny(tmp_path, monkeypatch, "planted", stdlib_sample_files=0, commit_repos=[str(not_git)])
    table = planted_check(res, s)
    assert table is not None and len(table) == len(PLANTED_FILES) + 1 + len(PLANTED_PAGES)
    assert [r for r in table if not r["ok"]] == []
    st = res.stats
    assert st["files"]["docs_in"] == st["files"]["docs_out"] + st["files"]["docs_dropped"]
    assert [f["step"] for f in st["funnel"]] == ["read", "language", "basic_filters", "syntax", "secrets",
                                                 "repo_dedup", "exact_dedup", "near_dedup", "decontamination"]
    for a, b in zip(st["funnel"], st["funnel"][1:], strict=False):
        assert a["docs_out"] == b["docs_in"] and a["bytes_out"] == b["bytes_in"]
    assert st["funnel"][-1]["docs_out"] == len(res.files)
    assert st["commits"]["skipped"] == {"not_a_git_repo": 1}
    files = res.files
    assert len(set(files["id"])) == len(files)
    assert set(res.repos["repo"]) == set(files["repo"])
    assert res.why("textstats", "textstats/broken.py") == "syntax/syntax_error"
    assert res.why("textstats-fork", "counts.py").startswith("exact_dedup/exact_duplicate (of textstats/")
    assert res.why("mathlib", "primes.py") == "kept"
    m = json.loads((res.path / "manifest.json").read_text())
    assert m["metrics"]["files_out"] == len(files) and m["metrics"]["dropped_by_reason"]["syntax_error"] == 2
    again = run_curation(s, say=quiet)  # finished run with the same settings: loaded, not redone
    assert again.stats == st


# every source: (setting, value that turns it off); a run with each one off in turn, and with only one on
SOURCES = {"repo_dirs": [], "single_files": [], "stdlib_sample_files": 0, "dataset_paths": [], "commit_repos": [],
           "web_dirs": []}


@pytest.fixture(scope="module")
def own_sources(tmp_path_factory) -> dict:
    """Small sources of every kind, none of them the kit's samples."""
    root = tmp_path_factory.mktemp("own")
    repo = root / "projects" / "calc"
    repo.mkdir(parents=True)
    (repo / "ops.py").write_text(GOOD_PY)
    (repo / "main.js").write_text("function main(argv) {\n  const n = argv.length;\n  return n * 2;\n}\n")
    single = root / "tool.py"
    single.write_text("def tool(x):\n    y = x + 1\n    return y * 2\n")
    dump = root / "dump.jsonl"
    dump.write_text(json.dumps({"content": "def from_dump(a):\n    b = a * 3\n    return b - 1\n", "path": "d.py"}) + "\n")
    git_repo = root / "history"
    git_repo.mkdir()
    git(git_repo, "init", "-q")
    (git_repo / "app.py").write_text("def app():\n    return 1\n")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-q", "-m", "app: first version")
    web = root / "web"
    web.mkdir()
    (web / "loops.html").write_text(
        "<html><title>Loops in Python</title><body><p>A for loop calls the function once for each item of a list; "
        "the compiler turns the loop into bytecode and the interpreter runs it. Use a variable to keep the "
        "running total and return it from the function.</p>"
        "<pre>def total(values):\n    result = 0\n    for v in values:\n        result += v\n    return result</pre>"
        "</body></html>")
    return {"repo_dirs": [str(root / "projects")], "single_files": [str(single)], "stdlib_sample_files": 3,
            "dataset_paths": [str(dump)], "commit_repos": [str(git_repo)], "web_dirs": [str(web)]}


EXPECTED_FILES = {"repo_dirs": 2, "single_files": 1, "stdlib_sample_files": 3, "dataset_paths": 1}


@pytest.mark.parametrize("mode", ["without", "only"])
@pytest.mark.parametrize("source", list(SOURCES))
def test_every_source_is_optional(tmp_path, monkeypatch, own_sources, source, mode):
    """Stage 01 on one's own sources with one source off (and with only one on) finishes, and each
    output holds exactly what the sources that are on gave it."""
    on = {k: own_sources[k] for k in SOURCES}
    if mode == "without":
        on[source] = SOURCES[source]
    else:
        on = {k: (own_sources[k] if k == source else off) for k, off in SOURCES.items()}
    s, res = run_tiny(tmp_path, monkeypatch, f"{mode}-{source}", **on)
    active = {k for k in SOURCES if on[k] != SOURCES[k]}
    n_files = sum(n for k, n in EXPECTED_FILES.items() if k in active)
    assert res.stats["files"]["docs_in"] == n_files
    assert len(res.files) + len(res.dropped.filter(lambda r: r["step"] != "web")) == n_files
    assert len(res.commits) == (1 if "commit_repos" in active else 0)
    assert len(res.web) == (1 if "web_dirs" in active else 0)
    assert (res.path / "manifest.json").exists()
    assert planted_check(res, s) is None  # the planted-file check applies to the kit's samples only
    st = res.stats  # every output loads back, empty ones included, with the rows the stats count
    expected = {"files": st["files"]["docs_out"], "repos": st["repos"]["repos_out"], "commits": st["commits"]["samples"],
                "web": st["web"]["pages_out"],
                "dropped": st["files"]["docs_dropped"] + st["web"]["pages_in"] - st["web"]["pages_out"]}
    assert {name: len(res.dataset(name)) for name in expected} == expected


def test_steps_are_saved_and_reused_one_by_one(tmp_path, monkeypatch):
    """A restarted kernel (a new CurationSteps, stage not finished) reuses each finished step instead of
    recomputing it; force=True recomputes; a changed setting recomputes."""
    import seedkit.curation.stage as stage

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path / "runs"))
    s = CurationSettings.from_params("tiny", run_name="resume", stdlib_sample_files=0, commit_repos=[], web_dirs=[])
    first = CurationSteps(s, say=quiet)
    filtered = first.filters(first.sources())
    n_kept = len(filtered["kept"])
    calls = []
    real = stage.filter_files
    monkeypatch.setattr(stage, "filter_files", lambda *a: calls.append(1) or real(*a))
    again = CurationSteps(s, say=quiet)  # the kernel restarted before the stage finished
    assert not again.done
    assert len(again.filters(again.sources())["kept"]) == n_kept and calls == []
    forced = CurationSteps(s.replace(force=True), say=quiet)
    forced.filters(forced.sources())
    assert calls == [1]
    changed = CurationSteps(s.replace(min_lines=1), say=quiet)
    changed.filters(changed.sources())
    assert calls == [1, 1]
    with pytest.raises(RuntimeError, match="finish: run the step"):
        changed.finish()


def test_shards_on_two_processes_give_the_same_result_as_one(tmp_path):
    s = CurationSettings.from_params("tiny", stdlib_sample_files=0, commit_repos=[], web_dirs=[])
    recs = list_sources(s, tmp_path, quiet)
    from seedkit.curation.stage import _run_file_steps, filter_steps

    state = (filter_steps(s), 100)
    one = list(map_shards(_run_file_steps, iter_shards(recs, rows=7), state, num_proc=1))
    two = list(map_shards(_run_file_steps, iter_shards(recs, rows=7), state, num_proc=2))
    assert len(one) == -(-len(recs) // 7) and one == two
    kept = [d["path"] for k, _ in one for d in k]
    dropped = [d["path"] for _, dr in one for d in dr]
    assert len(kept) + len(dropped) == len(recs) and len(dropped) >= 10


def test_empty_datasets_survive_a_save_and_load(tmp_path):
    import datasets

    feats = datasets.Features({"a": datasets.Value("string"), "m": datasets.List(datasets.Value("uint32"), length=4)})
    plain = datasets.Dataset.from_dict({"a": [], "m": []}, features=feats)
    plain.save_to_disk(str(tmp_path / "plain"))
    with pytest.raises(IndexError):  # datasets 5.2.0: the bug empty_dataset works around
        datasets.load_from_disk(str(tmp_path / "plain"))
    e = empty_dataset(feats)
    datasets.DatasetDict({"kept": e, "dropped": e}).save_to_disk(str(tmp_path / "dd"))
    back = datasets.load_from_disk(str(tmp_path / "dd"))
    assert len(back["kept"]) == 0 and back["dropped"].features == feats and back["kept"].to_list() == []


@pytest.mark.slow  # forkserver workers import the kit: ~10 s idle, more on a busy machine
def test_datatrove_pipeline_on_two_workers_matches_in_process(tmp_path, monkeypatch):
    from seedkit.curation.datatrove_steps import run_datatrove_curation, to_datasets

    s, res = run_tiny(tmp_path, monkeypatch, "dt", stdlib_sample_files=6, commit_repos=[], web_dirs=[])
    run_datatrove_curation(s, tmp_path / "dt", tasks=2, workers=2)
    files, dropped = to_datasets(tmp_path / "dt")
    assert files.to_list() == res.files.to_list()
    key = lambda r: (r["repo"], r["path"])  # noqa: E731
    assert sorted(dropped.to_list(), key=key) == sorted(res.dropped.to_list(), key=key)
    assert {r["reason"] for r in dropped} >= {"binary", "syntax_error", "near_duplicate_repo", "exact_duplicate"}


def test_dataset_sources_jsonl_rows_and_bad_lines(tmp_path):
    p = tmp_path / "dump.jsonl"
    p.write_text('{"content": "def f():\\n    return 1\\n\\n\\nx = f()\\n", "path": "a/f.py", "repo": "a"}\n'
                 "not json\n"
                 '{"text": "no content column"}\n'
                 '{"content": "", "path": "e.py"}\n')
    recs = sources.list_dataset(p)
    assert [r["listing_error"] for r in recs] == ["", "bad_jsonl_line", "missing_content", ""]
    verdicts = [ReadStep()(r) for r in recs]
    assert verdicts == [(True, None), (False, "bad_jsonl_line"), (False, "missing_content"), (False, "empty")]
    assert recs[0]["repo"] == "a" and recs[0]["source"] == "dataset" and recs[0]["num_lines"] == 5


@pytest.mark.slow  # runs the notebook in a kernel: ~30 s
def test_notebook_on_ones_own_repositories_without_web_pages_or_commits(tmp_path, own_sources):
    """The newcomer's case: `-p repo_dirs=[...] -p web_dirs=[] -p commit_repos=[]` crashed in the cell
    that checks the kit's planted files; every cell must run and that one must say it skipped."""
    from seedkit.pipeline import run_notebooks

    over = {"repo_dirs": own_sources["repo_dirs"], "web_dirs": [], "commit_repos": [], "stdlib_sample_files": 0}
    outcomes = run_notebooks("tiny", "own", ["01_curation"], over, runs_dir=tmp_path, cell_timeout_s=300)
    assert [o.ok for o in outcomes] == [True], outcomes
    text = json.dumps(json.loads(outcomes[0].output.read_text()))
    assert "skipped: this run does not read data_samples/repos" in text
    assert json.loads((tmp_path / "own" / "01_curation" / "manifest.json").read_text())["metrics"]["files_out"] == 2


def test_report_comparison_says_where_stage_01_follows_the_report():
    rows = CurationSettings.from_params("gpu").report_comparison()
    assert rows and all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    by = {r["setting"]: r for r in rows}
    assert (by["commit context"]["report"], by["commit context"]["kit"], by["commit context"]["why"]) == (
        "README, directory tree, top 5 BM25 files", "README, tree, top 5 BM25 files", "same")
    assert "fastText on every page" in by["web recall"]["kit"]
    changed = CurationSettings.from_params("gpu", commit_context_files=3).report_comparison()
    assert {r["setting"]: r for r in changed}["commit context"]["why"] == "changed by the settings"
