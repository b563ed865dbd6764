"""API: programmes, applications and matching runs (start, status, draft, publish)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.access import fetch
from impactcircle.core.input_bounds import PageNumber, PageSize
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.policies import (
    managed_programme_for,
    manages,
    programme_for,
    visible_programmes,
)
from impactcircle.mentorship.programmes.enrolment import (
    ApplicationDetails,
    application_decide,
    application_submit,
    application_withdraw,
)
from impactcircle.mentorship.programmes.selectors import ApplicationFilters, applications_of
from impactcircle.mentorship.programmes.services import (
    InvitationOutcome,
    ProgrammeSettings,
    invitations_by_email,
    programme_create,
    programme_update,
)

router = Router()


class ProgrammeIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    purpose: str = ""
    format: Literal["one_on_one", "group_circle", "reverse", "flash"] = "one_on_one"
    access: Literal["open", "invitation"] = "open"
    cause_area_ids: list[int] = []
    enrolment_opens_on: date
    enrolment_closes_on: date
    starts_on: date
    ends_on: date
    meeting_every_days: int = 14
    default_mentees_per_mentor: int = 1
    max_mentees_per_mentor: int = 3
    circle_min_size: int = 3
    circle_max_size: int = 8
    matching_mode: Literal["optimal", "stable", "self_selection"] = "optimal"
    weights: dict[str, float] = {}
    rule_not_same_reporting_line: bool = True
    rule_min_level_gap: int = 1
    rule_common_language: bool = True
    rule_min_overlap_hours: int = 1
    participants_see_each_other: bool = False

    def settings(self) -> ProgrammeSettings:
        data = self.model_dump(exclude={"cause_area_ids"})
        return ProgrammeSettings(**data)


class ProgrammeOut(Schema):
    id: int
    name: str
    purpose: str
    format: str
    access: str
    enrolment_opens_on: date
    enrolment_closes_on: date
    starts_on: date
    ends_on: date
    meeting_every_days: int
    max_mentees_per_mentor: int
    matching_mode: str
    weights: dict[str, float]
    participants_see_each_other: bool


class ApplicationIn(Schema):
    side: Literal["mentor", "mentee"]
    goals: str = ""
    answers: dict[str, str] = {}
    goal_skills: list[str] = Field(
        [],
        description="Mentors: skills you can offer in this programme (counted as expertise "
        "beside the profile's skills); mentees: skills you want to develop.",
    )
    cause_area_ids: list[int] = []
    capacity: int = 1
    # UTC, not the caller's zone: a client converts, as the application page does.
    work_start_hour_utc: int = Field(
        8,
        description="Start of the working day in UTC, a whole hour 0–23 (not the profile's zone).",
    )
    work_end_hour_utc: int = Field(
        17,
        description="End of the working day in UTC, 1–24; an end before the start runs past "
        "midnight UTC (Tokyo 09–18 is 0–9, Tokyo 07–17 is 22–8).",
    )


class ApplicationOut(Schema):
    id: int
    programme_id: int
    user_id: int
    side: str
    status: str
    decision_reason: str
    goals: str
    capacity: int
    created_at: datetime


class InvitationsIn(Schema):
    emails: list[str] = Field(max_length=5000)


class InvitationsOut(Schema):
    invited: int
    unknown: list[str]


class DecisionIn(Schema):
    decision: Literal["accept", "waitlist", "decline"]
    reason: str = ""


@router.get("/programmes", response=list[ProgrammeOut])
def list_programmes(request: AuthenticatedRequest) -> QuerySet[Programme]:
    return visible_programmes(request.user).order_by("-starts_on", "name")


@router.post("/programmes", response={201: ProgrammeOut})
def create_programme(request: AuthenticatedRequest, payload: ProgrammeIn) -> Status[Programme]:
    programme = programme_create(
        actor=request.user,
        settings=payload.settings(),
        cause_area_ids=payload.cause_area_ids,
        request=request,
    )
    return Status(201, programme)


@router.get("/programmes/{programme_id}", response=ProgrammeOut)
def get_programme(request: AuthenticatedRequest, programme_id: int) -> Programme:
    return programme_for(request.user, programme_id)


@router.put("/programmes/{programme_id}", response=ProgrammeOut)
def update_programme(
    request: AuthenticatedRequest, programme_id: int, payload: ProgrammeIn
) -> Programme:
    programme = managed_programme_for(request.user, programme_id)
    return programme_update(
        actor=request.user,
        programme=programme,
        settings=payload.settings(),
        cause_area_ids=payload.cause_area_ids,
    )


MAX_PAGE_SIZE = 100


class ApplicationQuery(Schema):
    status: Literal["submitted", "accepted", "waitlisted", "declined", "withdrawn"] | None = None
    side: Literal["mentee", "mentor"] | None = None
    q: str = Field("", max_length=100, description="words of the applicant's name or email")
    page: PageNumber = 1
    page_size: PageSize = 25  # more than 100 is capped at 100

    def filters(self) -> ApplicationFilters:
        return ApplicationFilters(status=self.status or "", side=self.side or "", text=self.q)


class PagedApplicationOut(Schema):
    items: list[ApplicationOut]
    count: int


@router.get("/programmes/{programme_id}/applications", response=PagedApplicationOut)
def list_applications(
    request: AuthenticatedRequest, programme_id: int, filters: Query[ApplicationQuery]
) -> dict[str, Any]:
    """Managers see every application; anyone else only their own. Oldest first, a page at a
    time, narrowed by `status`, `side` and `q` as on the manage page. (Paginated here rather
    than with `@paginate`, whose wrapper cannot resolve a filter schema's annotation.)"""
    programme = programme_for(request.user, programme_id)
    applications = applications_of(programme, filters.filters()).order_by("pk")
    if not manages(request.user, programme):
        applications = applications.filter(user=request.user)
    size = min(filters.page_size, MAX_PAGE_SIZE)
    start = (filters.page - 1) * size
    return {"items": list(applications[start : start + size]), "count": applications.count()}


@router.post("/programmes/{programme_id}/applications", response={201: ApplicationOut})
def apply(
    request: AuthenticatedRequest, programme_id: int, payload: ApplicationIn
) -> Status[Application]:
    programme = programme_for(request.user, programme_id)
    application = application_submit(
        actor=request.user,
        programme=programme,
        details=ApplicationDetails(
            side=payload.side,
            goals=payload.goals,
            answers=payload.answers,
            goal_skill_names=tuple(payload.goal_skills),
            cause_area_ids=tuple(payload.cause_area_ids),
            capacity=payload.capacity,
            work_start_hour_utc=payload.work_start_hour_utc,
            work_end_hour_utc=payload.work_end_hour_utc,
        ),
    )
    return Status(201, application)


@router.post("/programmes/{programme_id}/invitations", response=InvitationsOut)
def invite(
    request: AuthenticatedRequest, programme_id: int, payload: InvitationsIn
) -> InvitationOutcome:
    """Invite people by email (managers); each new invitee is told, unknown addresses listed."""
    return invitations_by_email(
        actor=request.user,
        programme=managed_programme_for(request.user, programme_id),
        addresses=payload.emails,
    )


def _application(request: AuthenticatedRequest, application_id: int) -> Application:
    return fetch(
        request.user,
        Application,
        application_id,
        queryset=Application.objects.select_related("programme"),
    )


@router.post("/applications/{application_id}/withdraw", response=ApplicationOut)
def withdraw(request: AuthenticatedRequest, application_id: int) -> Application:
    return application_withdraw(
        actor=request.user, application=_application(request, application_id)
    )


@router.post("/applications/{application_id}/decision", response=ApplicationOut)
def decide(request: AuthenticatedRequest, application_id: int, payload: DecisionIn) -> Application:
    return application_decide(
        actor=request.user,
        application=_application(request, application_id),
        decision=payload.decision,
        reason=payload.reason,
    )
