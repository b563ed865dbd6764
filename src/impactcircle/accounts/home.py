"""The account card on the home page."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from impactcircle.core.navigation import HomeCard


def account_card(request: HttpRequest) -> HomeCard | None:
    if not request.user.is_authenticated:
        return None
    has_mfa = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    return HomeCard(
        title="Your account",
        template="accounts/home_card.html",
        order=900,
        context={"has_mfa": has_mfa},
    )
