"""The shared cache (Redis in production) helps pages; it is never a reason for one to fail.

With Redis down the site keeps serving: a reader treats the cache as empty, a counter
(rate limits) lets the call through, and a writer (progress) goes without. Each such
miss is logged as a warning, and the health check reports the broker, on the same Redis.
"""

import logging

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What Django's Redis cache raises when Redis cannot be reached or does not answer in time.
CACHE_UNREACHABLE = (RedisError, OSError)


def cache_unreachable_log(what: str, error: Exception) -> None:
    logger.warning("cache unreachable (%s): %s", error, what)
