"""``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` (and ``RateLimit-Policy``)
on every API response, so a client learns its rate before it is refused; ``Retry-After`` comes
with a refusal (429) from DRF.

A small hook beside the throttle (``registry.api.throttling``), not part of it: the view keeps
the throttle instances DRF made for the request, and after the response is made reads the
outcome of the one that counted it (``num_requests``, ``duration`` and its estimate of the
requests in the sliding window). A request refused before the throttle ran (401, 403) has not
been counted; its headers come from the stored counts, read without counting.
"""

import math

from registry.models import ThrottleWindow


def _peek(throttle, request, view) -> bool:
    """Load ``throttle``'s counts for ``request`` without counting it; False if it does not
    apply to the request."""
    if getattr(throttle, "rate", None) is None:
        return False
    key = throttle.get_cache_key(request, view)
    if key is None:
        return False
    now = throttle.timer()
    window = int(now // throttle.duration)
    row = ThrottleWindow.objects.filter(key=key).values_list("window_index", "previous", "current")
    previous = current = 0
    for index, row_previous, row_current in row:
        if index in (window, window + 1):  # this window (or a clock a little ahead)
            previous, current, window = row_previous, row_current, index
        elif index == window - 1:
            previous = row_current
    throttle.previous, throttle.current = previous, current
    throttle.elapsed = min(max(now - window * throttle.duration, 0.0), throttle.duration)
    return True


def rate_limit_headers(throttle) -> dict[str, str]:
    used = throttle.estimate(throttle.elapsed)
    remaining = max(0, math.floor(throttle.num_requests - used))
    reset = max(1, math.ceil(throttle.duration - throttle.elapsed))
    return {
        "RateLimit-Limit": str(throttle.num_requests),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(reset),
        "RateLimit-Policy": f"{throttle.num_requests};w={throttle.duration}",
    }


class RateLimitHeadersMixin:
    """For API views: the rate-limit headers of the throttle that applies to the caller."""

    def get_throttles(self):
        self._throttles = super().get_throttles()
        return self._throttles

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        throttles = getattr(self, "_throttles", None)
        if throttles is None:  # refused before the throttles were made (401, 403)
            throttles = self.get_throttles()
        for throttle in throttles:
            counted = getattr(throttle, "key", None) is not None and hasattr(throttle, "elapsed")
            if counted or _peek(throttle, request, self):
                for name, value in rate_limit_headers(throttle).items():
                    response[name] = value
                break
        return response
