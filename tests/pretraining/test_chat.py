"""Stage 03's chat ability (seedkit.pretraining.chat) and the ablation's equal-token slices
(seedkit.pretraining.ablation.token_slice)."""

from __future__ import annotations

import os
import random

import pytest

from fixtures.pretraining_run import small_tokenizer
from seedkit.config import SettingsError
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.problems import Problem, write_problems

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def tokenizer():
    return small_tokenizer()


def _problem(i: int, name: str, instruction: str) -> Problem:
    body = f"def {name}(x: int) -> int:\n    return x + {i}\n"
    return Problem(f"t/{i}", "python", instruction, f"def {name}(x: int) -> int:\n", name, body,
                   f"def check(candidate):\n    assert candidate(0) == {i}\n")


def test_chat_documents_are_chat_turns_and_leave_out_the_probe_problems(tmp_path, tokenizer):
    from seedkit.pretraining.chat import chat_documents

    data = tmp_path / "items.jsonl"
    write_problems(data, [_problem(1, "add_one", "Add one to x."), _problem(2, "add_two", "Add two to x."),
                          _problem(3, "add_three", "Add three to x.")])
    probe = [_problem(9, "add_two", "Something else entirely.")]  # same function name as item 2
    docs = chat_documents(str(data), tokenizer, probe, random.Random(0))
    assert len(docs) == 2
    texts = [tokenizer.decode(d) for d in docs]
    assert "add_two" not in "".join(texts)
    start = tokenizer.convert_tokens_to_ids("<|im_start|>")
    for d, t in zip(docs, texts, strict=True):
        assert d.count(start) == 2  # a user turn and an assistant turn, each opened by its control token
        assert "Complete the following Python function" in t and "```python\ndef add_" in t
    assert len(chat_documents(str(data), tokenizer, [], random.Random(0), max_items=1)) == 1
    with pytest.raises(SettingsError, match="chat_data"):
        chat_documents(str(tmp_path / "missing.jsonl"), tokenizer, [], random.Random(0))


def test_chat_share_takes_its_tokens_and_the_rest_keep_their_proportions():
    from seedkit.pretraining.data import add_chat, mix_by_tokens

    sources = {"code": [[1] * 9] * 50, "web": [[2] * 9] * 50}
    weights = {"code": 0.8, "web": 0.2}
    add_chat(sources, weights, [[3] * 9] * 50, 0.25)
    assert weights == pytest.approx({"code": 0.6, "web": 0.15, "chat": 0.25})
    mix = mix_by_tokens(sources, weights, 4000, random.Random(0), lambda *a: None)
    chat = sum(len(d) + 1 for d in mix.docs if d[0] == 3)
    assert abs(chat - 1000) <= 10  # within one document
    unchanged = {"code": 1.0}
    add_chat({"code": [[1]]}, unchanged, None, 0.25)  # no chat data: nothing changes
    assert unchanged == {"code": 1.0}


def test_chat_change_reads_the_paired_interval():
    from seedkit.pretraining.chat import chat_change

    before = {f"t{i}": 1.0 + 0.01 * i for i in range(20)}
    worse = chat_change({k: v + 0.2 for k, v in before.items()}, before, "03", say=None)
    assert worse["verdict"] == "eroded" and worse["difference"]["lo"] > 0 and worse["n_problems"] == 20
    same = chat_change({k: v + (0.05 if i % 2 else -0.05) for i, (k, v) in enumerate(before.items())}, before, "03",
                       say=None)
    assert same["verdict"].startswith("kept")
    assert chat_change({}, before, "03", say=None) == {}


def test_settings_check_the_chat_share():
    with pytest.raises(SettingsError, match="chat_weight"):
        PretrainingSettings.from_params("tiny", chat_weight=1.0)
    with pytest.raises(SettingsError, match="chat_probe_limit"):
        PretrainingSettings.from_params("tiny", chat_probe_limit=-1)


def _files(n: int):
    from seedkit.pretraining.data import CodeFile

    return [CodeFile(f"f{i}", "installed/pkg" if i % 2 else "repo", f"m{i}.py", "python",
                     "".join(f"x{i}_{j} = [{j}, {i}]\n" for j in range(5 + i % 7)), float(i)) for i in range(n)]


def test_token_slices_hold_exactly_the_budget_and_the_ranked_one_takes_the_best(tokenizer):
    from seedkit.pretraining.ablation import token_slice

    s = PretrainingSettings.from_params("tiny")
    files = _files(40)
    for budget in (64, 333, 1000):
        top, info_top = token_slice(files, True, tokenizer, budget, None, s, random.Random(1), 64)
        rnd, info_rnd = token_slice(files, False, tokenizer, budget, None, s, random.Random(1), 64)
        assert sum(len(d) + 1 for d in top) == budget == sum(len(d) + 1 for d in rnd)
        assert info_top["tokens"] == info_rnd["tokens"] == budget
    # the ranked slice is the highest-scored files; the random one is not
    assert info_top["min_score"] == 40 - info_top["files"] and info_top["mean_score"] > info_rnd["mean_score"]
    assert 0 < info_top["installed_files"] <= info_top["files"]
    # a budget larger than the corpus repeats it rather than stopping short
    small, info = token_slice(files[:3], True, tokenizer, 2000, None, s, random.Random(0), 64)
    assert sum(len(d) + 1 for d in small) == 2000 and info["files"] == 3


def test_methods_table_reads_each_option_from_its_metrics():
    from seedkit.pretraining.methods import OPTIONS, option_settings, row, table

    iv = {"mean": 0.1, "interval": [0.05, 0.15]}
    metrics = {"chat_ability": {"difference": {"mean": -0.02, "lo": -0.03, "hi": -0.01}, "n_problems": 51,
                                "after": {"mean": 0.9}, "before": {"mean": 0.92}},
               "effect": {"after": {"pass@1": 0.5, "n_problems": 51}, "before": {"pass@1": 0.45},
                          "difference": {"mean": 0.05, "lo": -0.02, "hi": 0.12}},
               "stages": {"stage1": {}, "stage2": {}},
               "heldout_changes": {"top_scored": {"stage2 - parent": iv}, "random": {"stage1 - parent": iv}}}
    r = row("full 3e-5", metrics, 12.0)
    assert r["chat_problems"] == 51 and r["code_loss_change"]["random"] is None  # stage2 - parent only
    line = table([r]).splitlines()[-1]
    assert line.startswith("| full 3e-5 | -0.020 [-0.030, -0.010] | 0.500 (0.450) | +0.05 [-0.02, +0.12] | +0.100")
    s = option_settings("lora 2e-4 + chat 0.25", {"profile": "tiny"})
    assert s.adapter == "lora" and s.chat_weight == 0.25 and not s.run_ablation and s.run_name.startswith("m03-")
    assert set(OPTIONS) >= {"full 3e-5", "full 1e-5", "lora 2e-4"}
