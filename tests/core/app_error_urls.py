"""The site's URLs plus views that raise each kind of service error (AppErrorMiddleware tests)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from impactcircle.config.urls import urlpatterns as site_urlpatterns
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound

_ERRORS = {
    "not-found": NotFound("No such lesson."),
    "forbidden": Forbidden("Only the space's moderators may pin a post."),
    "conflict": Conflict("This lesson was already published."),
    "invalid": InvalidInput("Give the lesson a title."),
    "signed-out": NotAuthenticated("Sign in first."),
}


def raising(request: HttpRequest, kind: str) -> HttpResponse:
    raise _ERRORS[kind]


urlpatterns = [path("raise/<slug:kind>/", raising), *site_urlpatterns]
