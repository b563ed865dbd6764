"""Session lifetime: a session ends 12 hours after sign-in, or after 30 idle minutes."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from impactcircle.core.errors import AppError

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


class AppErrorMiddleware:
    """Turns a service's `AppError` raised in a page view into the page a person should see.

    One translation for every page (the API has its own exception handler with the JSON
    envelope): not found → the 404 page, forbidden → the 403 page with the reason, not signed in
    → the sign-in page; any other error (invalid input, a conflict) → for htmx the message as a
    fragment with the error's status (the page swaps 409/422 in place); for a full-page form post
    the message and a redirect back to the page it came from, so the address bar never ends on a
    POST-only URL; for a GET an error page with the message. Views that show errors beside form
    fields still catch `AppError` themselves (see `form_errors.add_app_errors`).

    A view that refuses the request's method with an empty body (`require_http_methods`,
    `require_POST`) gets the site's 405 page, with status 405 and its `Allow` header kept; a 405
    that carries its own body (the API's JSON) is left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.streaming
            and not response.content
            and request.method != "HEAD"
        ):
            from impactcircle.core.error_pages import method_not_allowed_page

            return method_not_allowed_page(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from impactcircle.core.error_pages import app_error_response

        if isinstance(exception, AppError):
            return app_error_response(request, exception)
        return None
