"""Reads for programme pages and the API, filtered by the acting person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import (
    Application,
    Programme,
)
from impactcircle.mentorship.policies import managed_programmes, visible_programmes


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    my_applications: list[Application]
    is_manager: bool


def programme_rows(user: User) -> list[ProgrammeRow]:
    programmes = list(
        visible_programmes(user).prefetch_related("cause_areas").order_by("-starts_on", "name")
    )
    mine: dict[int, list[Application]] = {}
    for application in Application.objects.filter(user=user, programme__in=programmes):
        mine.setdefault(application.programme_id, []).append(application)
    managed = set(
        managed_programmes(user)
        .filter(pk__in=[p.pk for p in programmes])
        .values_list("pk", flat=True)
    )
    is_admin = user.is_superuser
    return [
        ProgrammeRow(programme, mine.get(programme.pk, []), is_admin or programme.pk in managed)
        for programme in programmes
    ]


def applications_of(programme: Programme) -> QuerySet[Application]:
    return programme.applications.select_related("user", "user__profile__department").order_by(
        "side", "status", "created_at"
    )


def application_counts(programme: Programme) -> dict[str, int]:
    counts = programme.applications.aggregate(
        mentees=Count("pk", filter=Q(side="mentee")),
        mentors=Count("pk", filter=Q(side="mentor")),
        accepted_mentees=Count("pk", filter=Q(side="mentee", status="accepted")),
        accepted_mentors=Count("pk", filter=Q(side="mentor", status="accepted")),
        waiting=Count("pk", filter=Q(status="submitted")),
    )
    return {key: int(value or 0) for key, value in counts.items()}
