"""The "Your mentoring" card on the home page: active relationships and open check-ins."""

from __future__ import annotations

from django.http import HttpRequest

from impactcircle.core.navigation import HomeCard
from impactcircle.mentorship.relationships.selectors import (
    active_relationship_briefs,
    open_check_ins_for,
)


def mentoring_card(request: HttpRequest) -> HomeCard | None:
    if not request.user.is_authenticated:
        return None
    person = request.user
    summaries = active_relationship_briefs(person, limit=3)
    check_ins = list(open_check_ins_for(person)[:3])
    if not summaries and not check_ins:
        return None
    return HomeCard(
        title="Your mentoring",
        template="mentorship/relationships/home_card.html",
        order=30,
        context={"summaries": summaries, "check_ins": check_ins},
    )
