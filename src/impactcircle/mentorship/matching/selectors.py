"""Reads about matching runs: a programme's runs, one run for its managers, its pages.

A run's pairs are read as `MatchView`s: the stored explanation of each pair filtered by what the
viewer may see of the two people (`mentorship.explanations`), for the page and the API alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.core.access import fetch
from impactcircle.core.errors import NotFound
from impactcircle.core.task_queue import tasks_ahead
from impactcircle.engine.matching import ResultDiff, diff_assignments
from impactcircle.mentorship.explanations import explanation_reader, visible_reasons
from impactcircle.mentorship.models import (
    Application,
    MatchingRun,
    Programme,
    ProposedMatch,
    UnmatchedApplication,
)
from impactcircle.people.visibility import ViewerScope, scope_for


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


def run_superseded_reason(run: MatchingRun) -> str:
    """Why a draft may no longer be published, or "" (one query).

    A draft is superseded by a newer run of its programme (any but a failed one: the manager
    re-ran the matching), or by a run published, or being published, after it was computed (its
    pool has changed since).
    """
    others = (
        MatchingRun.objects.filter(programme_id=run.programme_id)
        .exclude(pk=run.pk)
        .filter(
            (Q(number__gt=run.number) & ~Q(status=MatchingRun.Status.FAILED))
            | Q(status__in=[MatchingRun.Status.PUBLISHED, MatchingRun.Status.PUBLISHING])
        )
        .order_by("-number")
    )
    for other in others:
        if other.number > run.number and other.status != MatchingRun.Status.FAILED:
            return (
                f"This draft is superseded by run {other.number}: only the latest run of a "
                "programme can be published."
            )
        if other.status == MatchingRun.Status.PUBLISHING:
            return (
                f"This draft is superseded: run {other.number} is being published; "
                "run the matching again."
            )
        if (
            other.published_at is not None
            and run.finished_at is not None
            and other.published_at >= run.finished_at
        ):
            return (
                f"This draft is superseded: run {other.number} was published after it was "
                "computed; run the matching again."
            )
    return ""


@dataclass(frozen=True)
class PublishPreview:
    """What publishing a draft will do: the relationships it creates, the people it tells."""

    relationships: int
    people: int


def run_publish_preview(run: MatchingRun) -> PublishPreview:
    """Counted as `publishing.run_publish_execute` groups the pairs (one query)."""
    rows = list(
        run.matches.values_list("pk", "mentor_id", "circle", "mentee__user_id", "mentor__user_id")
    )
    groups = {(mentor, circle if circle is not None else -pk) for pk, mentor, circle, _, _ in rows}
    people = {mentee_user for *_, mentee_user, _ in rows} | {
        mentor_user for *_, mentor_user in rows
    }
    return PublishPreview(relationships=len(groups), people=len(people))


def run_tasks_ahead(run: MatchingRun) -> int | None:
    """How many tasks a worker takes before this run's (one query); None unless it is waiting."""
    if run.status not in {MatchingRun.Status.QUEUED, MatchingRun.Status.PUBLISHING}:
        return None
    return tasks_ahead(run.task_id) if run.task_id else None


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


@dataclass(frozen=True)
class MatchView:
    """One proposed pair with the reasons its viewer may read."""

    match: ProposedMatch
    reasons: list[str]

    @property
    def mentee_application_id(self) -> int:
        return self.match.mentee_id

    @property
    def mentor_application_id(self) -> int:
        return self.match.mentor_id

    @property
    def mentee_user_id(self) -> int:
        return self.match.mentee.user_id

    @property
    def mentor_user_id(self) -> int:
        return self.match.mentor.user_id

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def circle(self) -> int | None:
        return self.match.circle

    @property
    def is_locked(self) -> bool:
        return self.match.is_locked


class VisibleMatches(Sequence[MatchView]):
    """A run's pairs, best first, as one viewer may read them; a slice loads only its rows.

    Page by page (Django's paginator, the API's pagination): each slice costs one query for the
    rows and one for the visibility of the people their reasons reveal.
    """

    def __init__(self, run: MatchingRun, viewer: User) -> None:
        self._matches = run.matches.select_related(
            "mentee__user",
            "mentor__user",
            "mentee__user__profile__department",
            "mentor__user__profile__department",
        ).order_by("-score", "pk")
        self._viewer = viewer
        self._scope: ViewerScope | None = None

    def __len__(self) -> int:
        return self._matches.count()

    @overload
    def __getitem__(self, index: int) -> MatchView: ...

    @overload
    def __getitem__(self, index: slice) -> list[MatchView]: ...

    def __getitem__(self, index: int | slice) -> MatchView | list[MatchView]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        matches = list(self._matches[index])
        if self._scope is None:
            self._scope = scope_for(self._viewer)
        reader = explanation_reader(
            self._viewer, [match.reasons for match in matches], scope=self._scope
        )
        return [MatchView(match, visible_reasons(match.reasons, reader)) for match in matches]


def run_matches_visible(run: MatchingRun, viewer: User) -> VisibleMatches:
    return VisibleMatches(run, viewer)


def run_matches_page(
    run: MatchingRun, viewer: User, page_number: int, per_page: int = 50
) -> Page[MatchView]:
    return Paginator(VisibleMatches(run, viewer), per_page).get_page(page_number)


def run_unmatched(run: MatchingRun, limit: int = 200) -> list[UnmatchedApplication]:
    return list(run.unmatched.select_related("application__user").order_by("pk")[:limit])
