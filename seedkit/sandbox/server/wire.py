"""Framing shared by the kit and the server: a 4-byte big-endian length, then UTF-8 JSON."""

from __future__ import annotations

import json
import os
import select
import struct
import time

MAX_MESSAGE = 64 << 20  # a reply holds capped output; anything larger is a broken peer


def encode(message: dict) -> bytes:
    data = json.dumps(message).encode()
    return struct.pack(">I", len(data)) + data


def write_message(fd: int, message: dict) -> None:
    data = encode(message)
    while data:
        data = data[os.write(fd, data):]


def read_exact(fd: int, n: int, deadline: float | None = None) -> bytes:
    """Read ``n`` bytes; EOFError if the peer closed, TimeoutError past ``deadline``."""
    buf = bytearray()
    while len(buf) < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("sandbox server did not answer in time")
            try:
                ready, _, _ = select.select([fd], [], [], left)
            except InterruptedError:
                continue
            if not ready:
                continue
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise EOFError("sandbox server exited" if deadline is not None else "peer closed")
        buf += chunk
    return bytes(buf)


def read_message(fd: int, deadline: float | None = None) -> dict:
    (size,) = struct.unpack(">I", read_exact(fd, 4, deadline))
    if size > MAX_MESSAGE:
        raise ValueError(f"sandbox message of {size} bytes")
    message = json.loads(read_exact(fd, size, deadline))
    if not isinstance(message, dict):
        raise ValueError("sandbox message is not an object")
    return message
