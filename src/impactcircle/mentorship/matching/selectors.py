"""Reads about matching runs: a programme's runs, one run for its managers, its pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from impactcircle.accounts.models import User
from impactcircle.core.access import fetch
from impactcircle.core.errors import NotFound
from impactcircle.engine.matching import ResultDiff, diff_assignments
from impactcircle.mentorship.models import (
    Application,
    MatchingRun,
    Programme,
    ProposedMatch,
    UnmatchedApplication,
)


def runs_of(programme: Programme) -> QuerySet[MatchingRun]:
    return programme.matching_runs.select_related("started_by").order_by("-number")


def run_for(user: User, run_id: int) -> MatchingRun:
    """A run of a programme the person manages (404 for anyone else)."""
    return fetch(
        user,
        MatchingRun,
        run_id,
        "manage",
        queryset=MatchingRun.objects.select_related("programme"),
    )


def runs_to_compare(user: User, run_id: int, other_id: int) -> tuple[MatchingRun, MatchingRun]:
    """Two runs of the same programme the person manages; 404 otherwise."""
    first, second = run_for(user, run_id), run_for(user, other_id)
    if first.programme_id != second.programme_id:
        raise NotFound("No such matching run in this programme.")
    return first, second


@dataclass(frozen=True)
class ComparisonRow:
    mentee: str
    mentor_before: str | None
    mentor_after: str | None
    kind: str
    score_delta: float


@dataclass(frozen=True)
class RunComparison:
    first: MatchingRun
    second: MatchingRun
    diff: ResultDiff
    rows: list[ComparisonRow]


def runs_compare(first: MatchingRun, second: MatchingRun) -> ResultDiff:
    """What changed from `first` to `second`: keyed by mentee user id."""

    def assignments(run: MatchingRun) -> dict[str, tuple[str, float]]:
        return {
            str(mentee): (str(mentor), score)
            for mentee, mentor, score in run.matches.values_list(
                "mentee__user_id", "mentor__user_id", "score"
            )
        }

    return diff_assignments(assignments(first), assignments(second))


def run_comparison(user: User, run_id: int, other_id: int) -> RunComparison:
    """What changed from one run to another, each person named (two queries)."""
    first, second = runs_to_compare(user, run_id, other_id)
    diff = runs_compare(first, second)
    ids = {
        int(person)
        for change in diff.changes
        for person in (change.mentee, change.mentor_before, change.mentor_after)
        if person
    }
    names = {pk: person.display_name for pk, person in User.objects.in_bulk(list(ids)).items()}

    def name(person: str | None) -> str | None:
        return names.get(int(person), person) if person else None

    rows = [
        ComparisonRow(
            mentee=name(change.mentee) or change.mentee,
            mentor_before=name(change.mentor_before),
            mentor_after=name(change.mentor_after),
            kind=change.kind,
            score_delta=change.score_delta,
        )
        for change in diff.changes
    ]
    return RunComparison(first=first, second=second, diff=diff, rows=rows)


def pair_applications(
    programme: Programme, mentee_application_id: object, mentor_application_id: object
) -> tuple[Application, Application]:
    """The two applications a lock or forbid rule names, both of this programme; 404 otherwise."""
    ids = [
        int(str(value))
        for value in (mentee_application_id, mentor_application_id)
        if str(value).isdigit() and int(str(value)) < 2**63
    ]
    found = (
        Application.objects.select_related("user").filter(programme=programme, pk__in=ids).in_bulk()
        if len(ids) == 2
        else {}
    )
    mentee, mentor = found.get(ids[0]) if ids else None, found.get(ids[-1]) if ids else None
    if len(ids) != 2 or mentee is None or mentor is None:
        raise NotFound("No such application in this programme.")
    return mentee, mentor


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
