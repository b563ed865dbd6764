"""Reads about matching runs: a programme's runs, one run for its managers, its pages.

A run's pairs are read as `MatchView`s: the stored explanation of each pair filtered by what the
viewer may see of the two people (`mentorship.explanations`), for the page and the API alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from impactcircle.accounts.models import User
from impactcircle.mentorship.explanations import explanation_reader, visible_reasons
from impactcircle.mentorship.models import (
    MatchingRun,
    Programme,
    ProposedMatch,
    UnmatchedApplication,
)
from impactcircle.mentorship.policies import manages
from impactcircle.people.visibility import ViewerScope, scope_for


def runs_of(programme: Programme) -> QuerySet[MatchingRun]:
    return programme.matching_runs.select_related("started_by").order_by("-number")


def run_for(user: User, run_id: int) -> MatchingRun | None:
    """A run of a programme the person manages; None otherwise (the caller answers 404)."""
    run = MatchingRun.objects.select_related("programme").filter(pk=run_id).first()
    if run is None or not manages(user, run.programme):
        return None
    return run


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
