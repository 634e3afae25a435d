"""Repository rows: files in dependency order."""

from __future__ import annotations

from seedkit.curation.repos import build_repo_rows, dependency_order


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
