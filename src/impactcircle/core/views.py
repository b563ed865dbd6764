"""The home page, the health check and the friendly error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from impactcircle.core.health import current_health
from impactcircle.core.navigation import home_cards_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"cards": home_cards_for(request)})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    health = current_health()
    return JsonResponse(health.as_json(), status=200 if health.is_serving else 503)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A request refused before the authentication middleware ran (e.g. a Host header that is
    # not allowed) has no user yet; the layout's navigation asks for one.
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may come from them, or from the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
