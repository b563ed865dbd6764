"""The pages a service error becomes (see `middleware.AppErrorMiddleware`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from impactcircle.core.errors import AppError, Forbidden, NotAuthenticated, NotFound


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _way_back(request: HttpRequest) -> str:
    """The page the form was on, when it is one of ours; the home page otherwise."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


def method_not_allowed_page(request: HttpRequest, refused: HttpResponse) -> HttpResponse:
    """The site's 405 page for a view that refused the method with an empty body (Django's
    `require_http_methods`); the status and the `Allow` header stay."""
    page = render(request, "405.html", status=405)
    page["Allow"] = refused.get("Allow", "")
    return page


def app_error_response(request: HttpRequest, error: AppError) -> HttpResponse:
    if isinstance(error, NotAuthenticated):
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if isinstance(error, NotFound):
        return render(request, "404.html", {"reason": error.message}, status=404)
    if isinstance(error, Forbidden):
        return render(request, "403.html", {"reason": error.message}, status=403)
    if _is_htmx(request):
        return render(
            request, "core/app_error.html#message", {"error": error}, status=error.status_code
        )
    if request.method == "POST":
        messages.error(request, error.message)
        return HttpResponseRedirect(_way_back(request))
    return render(request, "core/app_error.html", {"error": error}, status=error.status_code)
