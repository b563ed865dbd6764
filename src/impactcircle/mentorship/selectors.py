"""Reads for programme pages and the API, filtered by the acting person."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.mentorship.access import manages, visible_programmes
from impactcircle.mentorship.models import (
    Application,
    MatchingRun,
    Programme,
    ProposedMatch,
    UnmatchedApplication,
)


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
        Programme.objects.filter(pk__in=[p.pk for p in programmes], managers=user).values_list(
            "pk", flat=True
        )
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


def runs_of(programme: Programme) -> QuerySet[MatchingRun]:
    return programme.matching_runs.select_related("started_by").order_by("-number")


def run_for(user: User, run_id: int) -> MatchingRun | None:
    """A run of a programme the person manages; None otherwise (the caller answers 404)."""
    run = MatchingRun.objects.select_related("programme").filter(pk=run_id).first()
    if run is None or not manages(user, run.programme):
        return None
    return run


def run_matches_page(run: MatchingRun, page_number: int, per_page: int = 50) -> Page[ProposedMatch]:
    matches = run.matches.select_related(
        "mentee__user",
        "mentor__user",
        "mentee__user__profile__department",
        "mentor__user__profile__department",
    ).order_by("-score", "pk")
    return Paginator(matches, per_page).get_page(page_number)


def run_unmatched(run: MatchingRun, limit: int = 200) -> list[UnmatchedApplication]:
    return list(run.unmatched.select_related("application__user").order_by("pk")[:limit])
