"""An on-disk cache of oracle labels keyed by (content hash, prompt version, oracle, method).

Labelling is the expensive step of stage 02 (seconds per file on a CPU, money per file on a
hosted API), so a rerun, a changed threshold or a second run on the same corpus must not pay for
it again. The key holds everything that changes the label: the text the oracle saw (hashed after
truncation), the rubric's version, the oracle's identity and the reading method. SQLite: one
file, safe for several processes, readable with any SQLite tool.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Label:
    """One oracle verdict. ``score`` is None when the answer could not be read (never 0)."""

    score: float | None
    raw_answer: str
    method: str
    prompt_version: str
    oracle: str
    score_probs: list[float] = field(default_factory=list)  # likelihood: P(0..10), normalised
    valid_mass: float | None = None  # likelihood: probability the model put on any valid score

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Label:
        return cls(**json.loads(text))


class LabelCache:
    """``get_many``/``put_many`` by key; ``hits``/``misses`` count what a run saved."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0
        with closing(self._connect()) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS labels (content_sha256 TEXT, prompt_version TEXT, "
                       "oracle TEXT, method TEXT, label TEXT, "
                       "PRIMARY KEY (content_sha256, prompt_version, oracle, method))")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, hashes: Iterable[str], prompt_version: str, oracle: str, method: str) -> dict[str, Label]:
        hashes = list(dict.fromkeys(hashes))
        found: dict[str, Label] = {}
        with closing(self._connect()) as db:
            for i in range(0, len(hashes), 500):
                chunk = hashes[i:i + 500]
                rows = db.execute(
                    f"SELECT content_sha256, label FROM labels WHERE prompt_version=? AND oracle=? AND method=? "
                    f"AND content_sha256 IN ({','.join('?' * len(chunk))})",
                    (prompt_version, oracle, method, *chunk)).fetchall()
                found.update((h, Label.from_json(lab)) for h, lab in rows)
        self.hits += len(found)
        self.misses += len(hashes) - len(found)
        return found

    def put_many(self, items: dict[str, Label]) -> None:
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO labels VALUES (?, ?, ?, ?, ?)",
                           [(h, lab.prompt_version, lab.oracle, lab.method, lab.to_json()) for h, lab in items.items()])

    def __len__(self) -> int:
        with closing(self._connect()) as db:
            return int(db.execute("SELECT COUNT(*) FROM labels").fetchone()[0])
