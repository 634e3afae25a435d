"""Retry a flaky call with exponential backoff."""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


def retry(call: Callable[[], T], attempts: int = 3, base_delay_s: float = 0.5,
          retry_on: tuple[type[Exception], ...] = (ConnectionError, TimeoutError)) -> T:
    """Call ``call`` until it succeeds, waiting base_delay_s * 2**k between tries.

    Only the exceptions in ``retry_on`` are retried; anything else is a bug and propagates at once.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(attempts):
        try:
            return call()
        except retry_on as error:
            if attempt == attempts - 1:
                raise
            delay = base_delay_s * 2 ** attempt
            log.warning("attempt %d failed (%s); retrying in %.1f s", attempt + 1, error, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")
