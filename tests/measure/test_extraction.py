"""seedkit.measure.extraction: the code in a model's answer, and the program it completes."""

from __future__ import annotations

import pytest

from seedkit.measure.extraction import completion_for_problem, extract_code
from seedkit.problems import (
    Problem,
)


@pytest.mark.parametrize("text, expected", [
    ("Here is the solution:\n```python\ndef f(x):\n    return x + 1\n```\nIt adds one.",
     "def f(x):\n    return x + 1\n"),
    ("```py\ndef f(x):\n    return 1\n```", "def f(x):\n    return 1\n"),
    ("Sure!\n```\ndef f(x):\n    return 2\n```\n", "def f(x):\n    return 2\n"),
    ("```python\ndef f(x):\n    return 3", "def f(x):\n    return 3\n"),  # cut at max_new_tokens
    ("```bash\npip install x\n```\n```python\nprint(1)\n```\n```python\ndef f(x):\n    return 4\n```",
     "def f(x):\n    return 4\n"),  # the block that defines something, not the first
    ("    return x + 1\n\nThis function adds one to x.\n", "    return x + 1\n"),  # continues a prompt
    ("Here's the code:\n\ndef f(x):\n    return x * 2\n\nIt doubles the input.", "def f(x):\n    return x * 2\n"),
    ("```js\nfunction f() {}\n```", ""),  # no Python here
    ("", ""),
])
def test_extract_code_python(text, expected):
    assert extract_code(text) == expected


def test_extract_code_javascript():
    text = "Use this:\n```javascript\nfunction f(x) {\n  return x;\n}\n```\nDone."
    assert extract_code(text, "javascript") == "function f(x) {\n  return x;\n}\n"


def test_completion_for_problem_builds_runnable_programs():
    py = Problem("t/1", "python", "add", 'def add(a, b):\n    """Sum."""\n', "add", "", "")
    full = completion_for_problem(py, "Sure:\n```python\ndef add(a, b):\n    return a + b\n```", "chat")
    assert full == "\n\ndef add(a, b):\n    return a + b\n"
    body = completion_for_problem(py, "```python\nreturn a + b\n```", "chat")
    assert body == "    return a + b\n"  # a dedented body is re-indented under the prompt
    assert completion_for_problem(py, "    return a + b\n", "completion") == "    return a + b\n"
    # a base model's continuation ends with the function: prose after it, or a closing fence, is cut
    assert completion_for_problem(py, "    return a + b\nThis adds them.\n", "completion") == "    return a + b\n"
    assert completion_for_problem(py, "```\n\nThis function adds.", "completion") == ""
    assert completion_for_problem(py, "    x = a\n\n    return x + b\n```\nDone", "completion") == \
        "    x = a\n\n    return x + b\n"
    assert completion_for_problem(py, "def add(a, b):\n    return a + b\n", "completion") == \
        "def add(a, b):\n    return a + b\n"  # the whole function again: kept
    demo = "```python\ndef add(a, b):\n    return a + b\n\nif __name__ == '__main__':\n    print(add(input(), 1))\n```"
    assert completion_for_problem(py, demo, "chat") == "\n\ndef add(a, b):\n    return a + b\n"
    js = Problem("t/2", "javascript", "add", "function add(a, b) {\n", "add", "", "")
    out = completion_for_problem(js, "```js\nfunction add(a, b) {\n  return a + b;\n}\n```", "chat")
    assert out == "\n}\n\nfunction add(a, b) {\n  return a + b;\n}\n"
    cont = "  return a + b; \n}\n```\n\nYour implementation should use a functional approach."
    assert completion_for_problem(js, cont, "completion") == "  return a + b; \n}\n"
    assert completion_for_problem(js, "  return a;\n}\nconsole.log(add(1, 2));\n", "completion") == "  return a;\n}\n"
