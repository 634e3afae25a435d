"""Running stage 01's per-file steps over a corpus a shard at a time, in one process or several.

A step is an object with a ``name`` and ``__call__(doc) -> (kept, reason)``. :func:`run_steps_on_shard`
runs a list of them over the docs of one shard; :func:`map_shards` feeds shards to it in this
process or in a process pool; :class:`ShardWriter` and :func:`iter_shards` move rows between Arrow
files and those shards. The same step objects run inside datatrove (``datatrove_steps.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedkit.curation.filters import Verdict

if TYPE_CHECKING:
    import datasets

Step = Callable[[dict[str, Any]], Verdict]

REASON_COL = "_reason"


def _safe_call(step: Step, doc: dict[str, Any]) -> Verdict:
    try:
        return step(doc)
    except Exception as e:  # one bad document must not stop the run: it is dropped and counted
        return False, f"step_error:{type(e).__name__}"


# --------------------------------------------------------------------------- streaming in shards
#
# Stage 01 never holds the corpus in memory: every step reads its input dataset (Arrow, memory-mapped)
# a shard of rows at a time and writes what it keeps and drops to Arrow files as it goes, so the peak
# memory is one shard per process plus per-file fingerprints, whatever the corpus size.

SHARD_ROWS = 256  # at most this many files a shard ...
SHARD_BYTES = 4_000_000  # ... and at most about this much text: memory per shard does not depend on the corpus


class ShardWriter:
    """Rows appended a shard at a time to one Arrow file; :meth:`dataset` reads it back memory-mapped.

    ``datasets.Dataset.from_generator`` would do the same but caches by a hash of the generator
    function, which does not see the data it reads: a second run over changed files could get the
    first run's rows back. Writing the file directly has no such cache. The file is pyarrow's stream
    format with the features in the schema metadata, what ``Dataset.from_file`` reads; datasets' own
    ``ArrowWriter`` costs a copy of the features and a cast per batch, measured at 15% of stage 01's
    CPU time when every step wrote through it.
    """

    def __init__(self, path: str | Path, features: Any):
        import pyarrow as pa

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.features = features
        self.schema = features.arrow_schema
        self.rows = 0
        self._sink = pa.OSFile(str(self.path), "wb")
        self._writer = pa.ipc.new_stream(self._sink, self.schema)

    def write(self, rows: Sequence[dict[str, Any]], **arrays: Any) -> None:
        """Append rows (dicts holding at least the features' columns); ``arrays`` give whole columns."""
        if not rows:
            return
        import pyarrow as pa

        batch = {k: arrays[k] if k in arrays else [r.get(k) for r in rows] for k in self.features}
        self.write_table(pa.Table.from_pydict(batch, schema=self.schema))

    def write_table(self, table: Any) -> None:
        """Append an Arrow table with the writer's columns."""
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._sink is not None:
            self._writer.close()
            self._sink.close()
            self._sink = None

    def dataset(self) -> datasets.Dataset:
        import datasets

        self.close()
        if self.rows == 0:
            return empty_dataset(self.features)
        return datasets.Dataset.from_file(str(self.path))


def empty_dataset(features: Any) -> datasets.Dataset:
    """A dataset with no rows that survives ``save_to_disk`` + ``load_from_disk``.

    datasets 5.2.0 writes no Arrow shard for a table of zero rows (it caps the shard count at the
    table's row count) and ``load_from_disk`` then fails with ``IndexError: list index out of range``
    in its table concatenation: what crashed stage 01's notebook on sources without web pages or
    commits. The shard count is capped by the rows of the table *behind* an indices mapping, so an
    empty selection of a one-row placeholder table is saved as one empty shard and loads back.
    """
    import datasets
    import pyarrow as pa
    from datasets.table import InMemoryTable

    placeholder = datasets.Dataset.from_dict(
        {k: [features[k].length * [0] if isinstance(features[k], datasets.List) and features[k].length > 0 else None]
         for k in features}, features=features)
    return datasets.Dataset(placeholder.data, indices_table=InMemoryTable(pa.table({"indices": pa.array([], pa.uint64())})))


@contextlib.contextmanager
def small_save_batches(rows: int = 100) -> Iterator[None]:
    """Within the block, ``Dataset.save_to_disk`` writes ``rows`` rows per Arrow batch.

    datasets 5.2 copies each batch it saves into one contiguous in-memory table (gathering the rows of
    a selection), and its batches are up to 1,000 rows or 100 MB (``datasets.config.DEFAULT_MAX_BATCH_SIZE``
    and its row-group target): the largest memory stage 01 needed after its own 4 MB shards (+34 MB
    saving the repositories of a 64 MB corpus, +16 MB saving the files a dedup step kept of a 33 MB
    one). The setting is restored on exit.
    """
    import datasets.config as cfg

    old = cfg.DEFAULT_MAX_BATCH_SIZE
    cfg.DEFAULT_MAX_BATCH_SIZE = rows
    try:
        yield
    finally:
        cfg.DEFAULT_MAX_BATCH_SIZE = old


def iter_shards(ds: datasets.Dataset, columns: Sequence[str] | None = None, rows: int = SHARD_ROWS,
                max_bytes: int = SHARD_BYTES) -> Iterator[list[dict[str, Any]]]:
    """The rows of a dataset as lists of dicts (only ``columns`` when given): ``rows`` at a time, or
    fewer when their ``content`` passes ``max_bytes``, so a shard of large files stays small."""
    src = ds.select_columns(list(columns)) if columns else ds
    shard: list[dict[str, Any]] = []
    size = 0
    for batch in src.iter(batch_size=min(rows, 32)):
        keys = list(batch)
        n = len(batch[keys[0]]) if keys else 0
        for i in range(n):
            row = {k: batch[k][i] for k in keys}
            shard.append(row)
            size += len(row.get("content") or "")
            if len(shard) >= rows or size >= max_bytes:
                yield shard
                shard, size = [], 0
    if shard:
        yield shard


_STATE: Any = None
_FN: Callable[[Any, Any], Any] | None = None


def _init_worker(fn: Callable[[Any, Any], Any], state: Any) -> None:
    global _FN, _STATE
    _FN, _STATE = fn, state


def _call_worker(shard: Any) -> Any:
    assert _FN is not None
    return _FN(_STATE, shard)


def map_shards(fn: Callable[[Any, Any], Any], shards: Iterable[Any], state: Any, num_proc: int = 1) -> Iterator[Any]:
    """``fn(state, shard)`` for every shard, results in input order.

    ``num_proc`` > 1 runs them in a process pool that receives ``state`` once per worker and holds at
    most two shards per worker in flight, so a fast reader cannot pile the corpus up in the queue
    (``Pool.imap`` reads its whole input ahead).
    """
    if num_proc <= 1:
        for shard in shards:
            yield fn(state, shard)
        return
    import multiprocessing as mp
    from collections import deque

    with mp.get_context().Pool(num_proc, initializer=_init_worker, initargs=(fn, state)) as pool:
        pending: deque[Any] = deque()
        for shard in shards:
            pending.append(pool.apply_async(_call_worker, (shard,)))
            if len(pending) >= 2 * num_proc:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def run_steps_on_shard(steps: Sequence[Step], shard: list[dict[str, Any]]
                       ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every step on every doc of a shard, in order: (kept, dropped); a dropped doc carries ``_reason``
    and ``step`` (the name of the step that dropped it). Depth-first per doc, which gives the same
    result as running each step over the whole corpus because the steps look at one doc each."""
    kept, dropped = [], []
    for doc in shard:
        for step in steps:
            ok, reason = _safe_call(step, doc)
            if not ok:
                doc[REASON_COL] = reason or "dropped"
                doc["step"] = getattr(step, "name", type(step).__name__)
                dropped.append(doc)
                break
        else:
            kept.append(doc)
    return kept, dropped
