from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .callers import api_caller


class AgencyRateThrottle(SimpleRateThrottle):
    """Calls per partner agency (its client), per signed-in person, or per address for
    calls without valid credentials, counted on the shared cache.

    The rates are read from settings at each call (API_THROTTLE_RATES), so that an
    operator's change, or a test's, applies without a restart of the class.
    """

    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self) -> None:
        # The rate depends on the caller, so it is parsed in allow_request.
        pass

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        caller = api_caller(request)
        if caller.is_client:
            self.scope, ident = "agency", str(caller.client.agency_id)
        elif caller.is_authenticated:
            self.scope, ident = "session", str(caller.user.pk)
        else:
            self.scope, ident = "anonymous", self.get_ident(request)
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.cache_format % {"scope": self.scope, "ident": ident}
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view) -> str:  # pragma: no cover - allow_request sets it
        return self.key
