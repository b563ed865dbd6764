"""Show times in the viewer's own time zone (stored UTC, displayed local)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from impactcircle.people.models import Profile

SESSION_KEY = "impactcircle_time_zone"


def remember_time_zone(request: HttpRequest, time_zone: str) -> None:
    """Called when a person changes their own time zone, so the next page uses it."""
    request.session[SESSION_KEY] = time_zone


class ViewerTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        if request.user.is_authenticated:
            name = request.session.get(SESSION_KEY)
            if name is None:
                found = (
                    Profile.objects.filter(user=request.user)
                    .values_list("time_zone", flat=True)
                    .first()
                )
                name = found or "UTC"
                request.session[SESSION_KEY] = name
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone belongs to this request only; the thread serves others next.
            timezone.deactivate()
