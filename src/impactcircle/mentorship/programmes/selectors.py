"""Reads for programme pages and the API, filtered by the acting person."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.core.input_bounds import page_number_from
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


def programme_rows(user: User, *, limit: int | None = None) -> list[ProgrammeRow]:
    """The programmes the person may see, newest first (the first `limit` of them)."""
    visible = (
        visible_programmes(user).prefetch_related("cause_areas").order_by("-starts_on", "name")
    )
    programmes = list(visible[:limit] if limit is not None else visible)
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


APPLICATIONS_PER_PAGE = 25
STATUSES = tuple(Application.Status.values)


@dataclass(frozen=True)
class ApplicationFilters:
    """What the manage page and the API narrow a programme's applications to."""

    status: str = ""
    side: str = ""
    text: str = ""


def applications_of(
    programme: Programme, filters: ApplicationFilters | None = None
) -> QuerySet[Application]:
    """A programme's applications, narrowed by status, side and words of the applicant's name or
    email (each word must match); in a stable order for pages (side, status, then oldest)."""
    applications = programme.applications.all()
    if filters is not None:
        if filters.status:
            applications = applications.filter(status=filters.status)
        if filters.side:
            applications = applications.filter(side=filters.side)
        for word in filters.text.split():
            applications = applications.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
    return applications.select_related("user").order_by("side", "status", "created_at", "pk")


def applications_page(
    programme: Programme,
    filters: ApplicationFilters,
    page_number: object,
    counts: dict[str, int] | None = None,
) -> Page[Application]:
    """One page of applications; a page number that is not one (or is past the end) is clamped
    to the first (or the last) page. Two queries (the count and the page), or one when
    `counts` (from `application_counts`) already holds the count: no filter, or status only."""
    paginator = Paginator(applications_of(programme, filters), APPLICATIONS_PER_PAGE)
    if counts is not None and not filters.side and not filters.text.split():
        paginator.count = counts[filters.status or "total"]  # a cached_property, set ahead
    return paginator.get_page(page_number_from(page_number))


def application_counts(programme: Programme) -> dict[str, int]:
    """Per side and per status, in one aggregate query."""
    counts = programme.applications.aggregate(
        total=Count("pk"),
        mentees=Count("pk", filter=Q(side="mentee")),
        mentors=Count("pk", filter=Q(side="mentor")),
        accepted_mentees=Count("pk", filter=Q(side="mentee", status="accepted")),
        accepted_mentors=Count("pk", filter=Q(side="mentor", status="accepted")),
        **{status: Count("pk", filter=Q(status=status)) for status in STATUSES},
    )
    found = {key: int(value or 0) for key, value in counts.items()}
    found["waiting"] = found[Application.Status.SUBMITTED]
    return found
