"""The notifications card on the home page."""

from __future__ import annotations

from django.http import HttpRequest

from impactcircle.core.navigation import HomeCard
from impactcircle.notifications.selectors import notifications_for


def notifications_card(request: HttpRequest) -> HomeCard | None:
    if not request.user.is_authenticated:
        return None
    person = request.user
    return HomeCard(
        title="Latest notifications",
        template="notifications/home_card.html",
        order=100,
        context={"latest": list(notifications_for(person, unread_only=True)[:3])},
    )
