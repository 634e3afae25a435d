"""Files written so that no reader sees half of one: atomic text, JSON and directory writes, JSONL
reading with one-line errors, and content hashes of files and trees (what manifests record).

Everything written here is readable by whoever may read the folder it is in (the process's umask
decides, as for any file it creates): ``tempfile.mkstemp``/``mkdtemp`` make 0600 files and 0700
folders, and safetensors writes its weights 0600, so a run handed to another user held unreadable
manifests and models. :func:`make_readable` gives a file or a tree the umask's permissions; the atomic
writers apply it before renaming into place and a finished stage applies it to its outputs."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def umask() -> int:
    """The process's umask (read without changing it where /proc tells it)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_readable(path: str | os.PathLike[str]) -> None:
    """Give a file, or a folder and everything under it, the permissions the umask allows (0644 files and
    0755 folders under the usual 022): adds read (and, on folders, search) bits, never removes any, and
    leaves alone what this user does not own (a stage shared from another user's run)."""
    allowed_file, allowed_dir = 0o666 & ~umask(), 0o777 & ~umask()
    p = Path(path)
    todo = [p]
    if p.is_dir() and not p.is_symlink():
        todo += list(p.rglob("*"))
    for f in todo:
        try:
            st = f.lstat()
        except OSError:
            continue
        if f.is_symlink() or st.st_uid != os.getuid():
            continue
        want = st.st_mode | (allowed_dir & 0o555 if f.is_dir() else allowed_file & 0o444)
        if want & 0o7777 != st.st_mode & 0o7777:
            with contextlib.suppress(OSError):
                os.chmod(f, want & 0o7777)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), 0o666 & ~umask())  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class JsonlError(ValueError):
    """A JSONL file line that is not a JSON object; the message names the file and the line."""


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-empty line of a JSONL file (``.gz`` too); one-line errors
    name ``file:line``."""
    import gzip

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p} does not exist")
    opener = gzip.open if p.name.endswith(".gz") else open
    with opener(p, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise JsonlError(f"{p}:{i}: not JSON ({e.msg})") from None
            if not isinstance(row, dict):
                raise JsonlError(f"{p}:{i}: expected a JSON object, got {type(row).__name__}")
            yield i, row


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every non-empty line of a JSONL file as a dict (see :func:`iter_jsonl`)."""
    return [row for _, row in iter_jsonl(path)]


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=json_default) + "\n")


def json_default(o: Any) -> Any:
    if dataclasses.is_dataclass(o) and not isinstance(o, type):  # a product's field holding dataclasses
        return dataclasses.asdict(o)
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "item"):  # numpy / torch scalars
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    if isinstance(o, set | frozenset):
        return sorted(o)
    return str(o)


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary directory that replaces ``path`` when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        make_readable(tmp)  # mkdtemp makes it 0700; safetensors writes 0600
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _tree_files(path: Path) -> tuple[Path, list[Path]]:
    if path.is_file():
        return path.parent, [path]
    return path, sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))


def hash_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hash_tree(path: str | os.PathLike[str]) -> tuple[str, dict[str, dict[str, Any]]]:
    """(:func:`hash_path` digest, {path relative to ``path``'s parent: {size, sha256, mtime_ns}}) in one read."""
    path = Path(path)
    root, files = _tree_files(path)
    h = hashlib.sha256()
    per_file: dict[str, dict[str, Any]] = {}
    for f in files:
        st = f.stat()
        h.update(str(f.relative_to(root)).encode())
        h.update(b"\0")
        fh_hash = hashlib.sha256()
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                fh_hash.update(chunk)
        per_file[f.relative_to(path.parent).as_posix()] = {"size": st.st_size, "sha256": fh_hash.hexdigest(),
                                                           "mtime_ns": st.st_mtime_ns}
    return h.hexdigest(), per_file


def hash_path(path: str | os.PathLike[str]) -> str:
    """SHA-256 over a file, or over a directory's relative paths and file contents (sorted)."""
    return hash_tree(path)[0]


# --------------------------------------------------------------------------- step products

PRODUCT_FILE = "product.json"


def save_product(value: Any, target: str | os.PathLike[str]) -> None:
    """Write a step's product, a dataclass instance, as a folder: its plain fields in ``product.json``,
    each field that holds an HF dataset as a dataset folder of that field's name. Atomic, like every
    artifact: a reader sees the old product or the new one, never half of one."""
    import datasets

    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"a step product must be a dataclass instance, got {type(value).__name__}")
    with atomic_dir(target) as tmp:
        plain: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if isinstance(v, datasets.Dataset | datasets.DatasetDict):
                v.save_to_disk(str(tmp / f.name))
                plain[f.name] = {"__dataset__": f.name}
            else:
                plain[f.name] = v
        (tmp / PRODUCT_FILE).write_text(json.dumps(plain, default=json_default), encoding="utf-8")


def load_product(cls: type, target: str | os.PathLike[str]) -> Any:
    """Read back what :func:`save_product` wrote, as ``cls``. Plain fields come back as JSON types; a
    product class whose fields hold other dataclasses rebuilds them in a ``from_saved(fields)``
    classmethod."""
    import datasets

    root = Path(target)
    plain = json.loads((root / PRODUCT_FILE).read_text(encoding="utf-8"))
    for name, v in plain.items():
        if isinstance(v, dict) and set(v) == {"__dataset__"}:
            plain[name] = datasets.load_from_disk(str(root / v["__dataset__"]))
    known = {f.name for f in dataclasses.fields(cls)}
    if set(plain) != known:
        raise ValueError(f"{root}: saved fields {sorted(plain)} are not {cls.__name__}'s {sorted(known)}")
    from_saved = getattr(cls, "from_saved", None)
    return from_saved(plain) if callable(from_saved) else cls(**plain)
