"""The site's URLs plus views that raise each kind of service error (AppErrorMiddleware tests)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import path
from django.views.decorators.http import require_POST

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


@require_POST
def post_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("posted")


def refuses_with_a_body(request: HttpRequest) -> HttpResponse:
    response = HttpResponseNotAllowed(["PUT"], content=b'{"detail": "Use PUT."}')
    response["Content-Type"] = "application/json"
    return response


urlpatterns = [
    path("raise/<slug:kind>/", raising),
    path("post-only/", post_only),
    path("refuses-with-a-body/", refuses_with_a_body),
    *site_urlpatterns,
]
