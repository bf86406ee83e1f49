"""The shared cache (Redis in production) helps pages; it is never a reason for one to fail.

With Redis down the site keeps serving: a reader treats the cache as empty, a counter
(rate limits) counts in this process instead (`count_in`), and a writer (progress) goes
without. Each kind of miss is logged as a warning, once a minute at most, and the health
check reports the broker, on the same Redis.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import caches
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What Django's Redis cache raises when Redis cannot be reached or does not answer in time.
CACHE_UNREACHABLE = (RedisError, OSError)
LOG_EVERY_SECONDS = 60
_last_logged: dict[str, float] = {}


def _unreachable_log(what: str, error: Exception) -> None:
    now = time.monotonic()
    if now - _last_logged.get(what, -LOG_EVERY_SECONDS) >= LOG_EVERY_SECONDS:
        _last_logged[what] = now
        logger.warning("cache unreachable (%s): %s", error, what)


@contextmanager
def cache_optional(what: str) -> Iterator[None]:
    """Around a cache call the caller can do without: if Redis cannot be reached, the
    miss is logged (`what` says what follows from it) and the caller carries on."""
    try:
        yield
    except CACHE_UNREACHABLE as error:
        _unreachable_log(what, error)


def count_in(store, key: str, timeout: float) -> int:
    """Add one to a counter that lasts `timeout` seconds from its first call: one atomic
    increment, or an add for the first call (a concurrent first call: count on)."""
    try:
        return store.incr(key)
    except ValueError:
        return 1 if store.add(key, 1, timeout=timeout) else store.incr(key)


def count(key: str, timeout: float, what: str) -> int:
    """Count on the shared cache; while it cannot be reached, in this process."""
    try:
        return count_in(caches["default"], key, timeout)
    except CACHE_UNREACHABLE as error:
        _unreachable_log(what, error)
        return count_in(caches["local"], key, timeout)


def counted(key: str, what: str) -> int:
    """A counter's value (`count`'s), without adding one: 0 before its first call."""
    try:
        return caches["default"].get(key) or 0
    except CACHE_UNREACHABLE as error:
        _unreachable_log(what, error)
        return caches["local"].get(key) or 0
