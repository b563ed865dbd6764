"""The "Your mentoring" card on the home page: active relationships and open check-ins."""

from __future__ import annotations

from django.http import HttpRequest

from impactcircle.core.navigation import HomeCard
from impactcircle.mentorship.relationships.selectors import (
    open_check_ins_for,
    relationship_summaries,
)


def mentoring_card(request: HttpRequest) -> HomeCard | None:
    if not request.user.is_authenticated:
        return None
    person = request.user
    summaries = [
        summary
        for summary in relationship_summaries(person, limit=10)
        if summary.relationship.status == summary.relationship.Status.ACTIVE
    ]
    check_ins = list(open_check_ins_for(person)[:3])
    if not summaries and not check_ins:
        return None
    return HomeCard(
        title="Your mentoring",
        template="mentorship/relationships/home_card.html",
        order=30,
        context={"summaries": summaries[:3], "check_ins": check_ins},
    )
