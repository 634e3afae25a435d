"""The plain data that crosses between the Python judge and its candidate process (see
:mod:`seedkit.sandbox.server.judged`): tagged JSON-able values, length-prefixed frames on a pipe.

Stdlib only: imported by the warm server and run inside the job.
"""

from __future__ import annotations

import collections
import os
import struct

MAX_MESSAGE = 64 << 20
MAX_DEPTH = 200
_HEADER = struct.Struct(">I")


class NotPlainData(Exception):
    """A value the judge cannot verify as plain data (a candidate object compared, hashed or used
    as a truth value; a malformed or too deep value)."""


class CandidateExited(Exception):
    """The candidate process ended while the judge waited for it."""


def encode(value, ref, depth: int = 0):  # noqa: ANN001, ANN201
    """``value`` as JSON-able tagged data; anything not plain becomes ``{"r": ref(value)}``."""
    kind = type(value)
    if value is None or kind is bool or kind is float or kind is str:
        return value
    if kind is int:
        return value if -(1 << 62) < value < (1 << 62) else {"i": hex(value)}
    if depth > MAX_DEPTH:
        raise NotPlainData("value nested deeper than 200 levels")
    if kind is list:
        return [encode(v, ref, depth + 1) for v in value]
    if kind is tuple:
        return {"t": [encode(v, ref, depth + 1) for v in value]}
    if kind is dict:
        return {"d": [[encode(k, ref, depth + 1), encode(v, ref, depth + 1)] for k, v in value.items()]}
    if kind is set:
        return {"s": [encode(v, ref, depth + 1) for v in value]}
    if kind is bytes:
        return {"b": value.hex()}
    base = _plain_base(value, kind)
    if base is not None:
        try:
            number = ref(value)
        except NotPlainData:  # the judge's own subclass (an OrderedDict of the tests): its contents
            return encode(base, ref, depth)
        return {"v": [number, encode(base, ref, depth + 1)]}
    return {"r": ref(value)}


def _plain_base(value, kind):  # noqa: ANN001, ANN202
    """A subclass of an immutable plain type (a namedtuple, an IntEnum member) or one of the
    standard library's dicts (Counter, OrderedDict, defaultdict) as its base type's contents,
    read with the base type's own methods: whatever the subclass overrides (``__eq__``,
    ``__iter__``, ``items``) takes no part. None for anything else (a list subclass of the
    program's with methods that change it stays a handle: a copy here would go stale)."""
    if kind in (collections.Counter, collections.OrderedDict, collections.defaultdict):
        return dict(dict.items(value))
    for plain, read in ((int, int.__index__), (float, float.__float__), (str, str.__str__),
                        (bytes, lambda v: bytes.__getitem__(v, slice(None))), (tuple, lambda v: tuple(tuple.__iter__(v)))):
        if issubclass(kind, plain):
            return read(value)
    return None


def decode(data, handle, depth: int = 0):  # noqa: ANN001, ANN201
    """Rebuild a value from :func:`encode`'s form; ``handle(n)`` makes a reference. Raises
    NotPlainData for anything malformed."""
    kind = type(data)
    if data is None or kind is bool or kind is int or kind is float or kind is str:
        return data
    if depth > MAX_DEPTH + 2:
        raise NotPlainData("value nested too deep")
    if kind is list:
        return [decode(v, handle, depth + 1) for v in data]
    if kind is dict and len(data) == 1:
        ((tag, body),) = data.items()
        try:
            if tag == "t" and type(body) is list:
                return tuple([decode(v, handle, depth + 1) for v in body])
            if tag == "s" and type(body) is list:
                return {decode(v, handle, depth + 1) for v in body}
            if tag == "d" and type(body) is list:
                out = {}
                for pair in body:
                    if type(pair) is not list or len(pair) != 2:
                        raise NotPlainData("malformed dict")
                    out[decode(pair[0], handle, depth + 1)] = decode(pair[1], handle, depth + 1)
                return out
            if tag == "b" and type(body) is str:
                return bytes.fromhex(body)
            if tag == "i" and type(body) is str and body.lstrip("-").startswith("0x"):
                return int(body, 16)
            if tag == "r" and type(body) is int:
                return handle(body)
            if tag == "v" and type(body) is list and len(body) == 2 and type(body[0]) is int:
                return handle(body[0], decode(body[1], handle, depth + 1))
        except NotPlainData:
            raise
        except (TypeError, ValueError) as exc:  # an unhashable key, bad hex
            raise NotPlainData(f"malformed value: {exc}") from None
    raise NotPlainData("malformed value")


def send_message(fd: int, message, dumps) -> None:  # noqa: ANN001
    write_frame(fd, dumps(message).encode("utf-8", "surrogatepass"))


def write_frame(fd: int, data: bytes) -> None:
    data = _HEADER.pack(len(data)) + data
    while data:
        data = data[os.write(fd, data):]


def receive_message(fd: int, loads):  # noqa: ANN001, ANN202
    def exact(n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = os.read(fd, min(n - len(buf), 1 << 20))
            if not chunk:
                raise CandidateExited("the candidate process closed its channel")
            buf += chunk
        return buf

    (size,) = _HEADER.unpack(exact(4))
    if size > MAX_MESSAGE:
        raise NotPlainData(f"a message of {size} bytes from the candidate")
    return loads(exact(size).decode("utf-8", "surrogatepass"))
