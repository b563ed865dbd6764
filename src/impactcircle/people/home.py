"""The profile card on the home page: completeness and what to add next."""

from __future__ import annotations

from django.http import HttpRequest

from impactcircle.core.navigation import HomeCard
from impactcircle.people.completeness import completeness_of, with_related_counts
from impactcircle.people.models import Profile


def profile_card(request: HttpRequest) -> HomeCard | None:
    if not request.user.is_authenticated:
        return None
    user = request.user
    mine = with_related_counts(Profile.objects.filter(user=user))
    profile = mine.first()
    if profile is None:  # a person without a profile yet (made outside the sign-up flow)
        Profile.objects.get_or_create(user=user)
        profile = mine.get()
    completeness = completeness_of(profile)
    return HomeCard(
        title="Your profile",
        template="people/home_card.html",
        order=10,
        context={
            "completeness": completeness,
            "next": completeness.missing[:2],
            "user_id": user.pk,
        },
    )
