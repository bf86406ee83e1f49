import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from coproduction.cache import count, counted

from .callers import api_caller

COUNTED_PER_PROCESS = "API calls counted per process"


class AgencyRateThrottle(SimpleRateThrottle):
    """Calls per partner agency (its client), per signed-in person, or per address for
    calls without valid credentials, counted on the shared cache.

    A fixed window per caller, counted with the cache's atomic increment: one round trip
    per call, and concurrent calls from one agency on several workers cannot overrun the
    limit (DRF's own throttle reads, changes and writes back a list of timestamps).
    The rates are read from settings at each call (API_THROTTLE_RATES), so that an
    operator's change, or a test's, applies without a restart of the class.
    """

    cache_format = "api-throttle:%(scope)s:%(ident)s:%(window)d"

    def __init__(self) -> None:
        # The rate depends on the caller, so it is parsed in allow_request.
        self.window_ends = 0.0

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        key = self._window_key(request)
        if key is None:
            return True
        calls = count(key, timeout=self.duration + 1, what=COUNTED_PER_PROCESS)
        return calls <= self.num_requests

    def is_spent(self, request) -> bool:
        """Whether the caller has used up this window's calls, without counting one (for
        calls counted only when they fail: a token request with a wrong secret)."""
        key = self._window_key(request)
        return key is not None and counted(key, what=COUNTED_PER_PROCESS) >= self.num_requests

    def _window_key(self, request) -> str | None:
        caller = api_caller(request)
        if caller.is_client:
            self.scope, ident = "agency", str(caller.client.agency_id)
        elif caller.is_authenticated:
            self.scope, ident = "session", str(caller.user.pk)
        else:
            self.scope, ident = "anonymous", self.get_ident(request)
        self.rate = self.get_rate()
        if self.rate is None:
            return None
        self.num_requests, self.duration = self.parse_rate(self.rate)
        window = int(self.timer() // self.duration)
        self.window_ends = (window + 1) * self.duration
        return self.cache_format % {"scope": self.scope, "ident": ident, "window": window}

    def wait(self) -> float:
        return max(1, math.ceil(self.window_ends - self.timer()))
