"""A typed request for views that need a signed-in person (no casts in views)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from impactcircle.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """What a view decorated with `login_required` receives: `user` is a signed-in `User`."""

    user: User  # narrowed from User | AnonymousUser by login_required
    htmx: HtmxDetails
