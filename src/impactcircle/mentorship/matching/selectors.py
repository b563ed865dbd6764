"""Reads about matching runs: a programme's runs, one run for its managers, its pages."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import (
    MatchingRun,
    Programme,
    ProposedMatch,
    UnmatchedApplication,
)
from impactcircle.mentorship.policies import manages


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
