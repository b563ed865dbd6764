"""Session lifetime: a session ends 12 hours after sign-in, or after 30 idle minutes."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_STARTED = "impactcircle_session_started"
_SEEN = "impactcircle_session_seen"
# The "last seen" mark is written at most once a minute, so most requests do not write.
_SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(_STARTED)
            seen = request.session.get(_SEEN)
            if started is None or seen is None:
                request.session[_STARTED] = now
                request.session[_SEEN] = now
            elif (
                now - started > settings.SESSION_COOKIE_AGE
                or now - seen > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, "Your session ended. Please sign in again.")
            elif now - seen > _SEEN_RESOLUTION:
                request.session[_SEEN] = now
        return self.get_response(request)
