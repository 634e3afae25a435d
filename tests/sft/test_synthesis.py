"""Stage 04 synthesis: parsing what the generator wrote, styles, one call per batch."""

from __future__ import annotations

from fixtures.sft_fakes import (
    ScriptedGenerator,
)
from seedkit.sft import seeds, synthesis


def test_parse_generation_reads_the_asked_format_and_stray_asserts():
    text = ("Task: Write a function that doubles a number.\nSolution:\n```python\ndef double(x):\n"
            "    return 2 * x\n```\nTests:\n```python\nassert double(2) == 4\nassert double(0) == 0\n```")
    p = synthesis.parse_generation(text, expect_task=True)
    assert p == {"task": "Write a function that doubles a number.", "solution": "def double(x):\n    return 2 * x",
                 "tests": "assert double(2) == 4\nassert double(0) == 0", "entry_point": "double"}
    p2 = synthesis.parse_generation("```python\ndef f(a):\n    return a\nassert f(1) == 1\n```", expect_task=False)
    assert p2["solution"] == "def f(a):\n    return a" and p2["tests"] == "assert f(1) == 1"
    assert synthesis.parse_generation("no code here", expect_task=True)["solution"] == ""


def test_generate_items_uses_styles_and_keeps_seed_tests():
    st = [synthesis.Style("plain", "g", "{task}"), synthesis.Style("polite", "g", "Please: {task}")]
    code_seed = seeds.Seed(id="c1", kind="code", text="def f(x):\n    return x\n")
    instr_seed = seeds.Seed(id="i1", kind="instruction", text="Write is_even(n).", entry_point="is_even",
                            tests="assert is_even(2)")
    gen = ScriptedGenerator([
        "Task: Return the input unchanged, please.\n```python\ndef ident(v):\n    return v\n```\n```python\nassert ident(3) == 3\n```",
        "```python\ndef is_even(n):\n    return n % 2 == 0\n```",
    ])
    items = synthesis.generate_items(gen, [code_seed, instr_seed], st, temperature=0.7, max_new_tokens=64, seed=0)
    assert [i.source for i in items] == ["generated", "seed"]
    assert items[0].entry_point == "ident" and items[0].tests == "assert ident(3) == 3"
    assert items[1].tests == "assert is_even(2)" and "is_even" in items[1].instruction
    assert {i.style for i in items} <= {"plain", "polite"}
    assert "def f(x)" in gen.calls[0][0][1]["content"]  # the code seed is in the prompt


def test_generate_items_asks_once_with_each_answer_its_own_stop_when_the_generator_can():
    class OneCall(ScriptedGenerator):
        supports_prompt_stops = True

        def chat(self, conversations, **kw):
            self.kw = kw
            return super().chat(conversations, **kw)

    st = [synthesis.Style("plain", "g", "{task}")]
    code_seed = seeds.Seed(id="c1", kind="code", text="def f(x):\n    return x\n")
    instr_seed = seeds.Seed(id="i1", kind="instruction", text="Write is_even(n).", entry_point="is_even",
                            tests="assert is_even(2)")
    gen = OneCall(["Task: Return it.\n```python\ndef ident(v):\n    return v\n```",
                   "```python\ndef is_even(n):\n    return n % 2 == 0\n```"])
    items = synthesis.generate_items(gen, [code_seed, instr_seed], st, temperature=0.7, max_new_tokens=64, seed=0)
    assert len(gen.calls) == 1 and len(gen.calls[0]) == 2
    # the code seed's answer holds several blocks (no stop); the instruction's is one block
    assert gen.kw["prompt_stops"] == [[], list(synthesis.ONE_BLOCK_STOP)]
    assert [i.source for i in items] == ["generated", "seed"] and items[1].solution.startswith("def is_even")


def test_style_file_loads():
    styles = synthesis.load_styles()
    assert len(styles) >= 3 and all("{task}" in s.template for s in styles)
