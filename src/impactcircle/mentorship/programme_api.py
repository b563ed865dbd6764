"""API: programmes, applications and matching runs (start, status, draft, publish)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from impactcircle.accounts.models import User
from impactcircle.core.errors import NotFound
from impactcircle.mentorship.access import (
    managed_programme_for,
    manages,
    programme_for,
    visible_programmes,
)
from impactcircle.mentorship.enrolment_services import (
    ApplicationDetails,
    application_decide,
    application_submit,
    application_withdraw,
)
from impactcircle.mentorship.matching_services import (
    pair_rule_clear,
    pair_rule_set,
    run_publish,
    run_start,
    runs_compare,
)
from impactcircle.mentorship.models import Application, MatchingRun, Programme, ProposedMatch
from impactcircle.mentorship.programme_services import (
    ProgrammeSettings,
    programme_create,
    programme_update,
)
from impactcircle.mentorship.selectors import run_for

router = Router()


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


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


class ApplicationIn(Schema):
    side: Literal["mentor", "mentee"]
    goals: str = ""
    answers: dict[str, str] = {}
    goal_skills: list[str] = []
    cause_area_ids: list[int] = []
    capacity: int = 1
    work_start_hour_utc: int = 8
    work_end_hour_utc: int = 17


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


class DecisionIn(Schema):
    decision: Literal["accept", "waitlist", "decline"]
    reason: str = ""


class RunIn(Schema):
    weights: dict[str, float] = {}


class RunOut(Schema):
    id: int
    programme_id: int
    number: int
    status: str
    mode: str
    weights: dict[str, float]
    progress: int
    stage: str
    summary: dict[str, Any]
    error: str
    finished_at: datetime | None
    published_at: datetime | None


class MatchOut(Schema):
    mentee_application_id: int = Field(alias="mentee_id")
    mentor_application_id: int = Field(alias="mentor_id")
    mentee_user_id: int = Field(alias="mentee.user_id")
    mentor_user_id: int = Field(alias="mentor.user_id")
    score: float
    reasons: list[str]
    circle: int | None
    is_locked: bool


class PairRuleIn(Schema):
    mentee_application_id: int
    mentor_application_id: int
    kind: Literal["lock", "forbid"]


class ChangeOut(Schema):
    mentee: str
    kind: str
    mentor_before: str | None
    mentor_after: str | None
    score_delta: float


class CompareOut(Schema):
    matched_before: int
    matched_after: int
    total_before: float
    total_after: float
    unchanged: int
    changes: list[ChangeOut]


class PublishOut(Schema):
    relationship_ids: list[int]


@router.get("/programmes", response=list[ProgrammeOut])
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    return visible_programmes(_actor(request)).order_by("-starts_on", "name")


@router.post("/programmes", response={201: ProgrammeOut})
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[Programme]:
    programme = programme_create(
        actor=_actor(request),
        settings=payload.settings(),
        cause_area_ids=payload.cause_area_ids,
        request=request,
    )
    return Status(201, programme)


@router.get("/programmes/{programme_id}", response=ProgrammeOut)
def get_programme(request: HttpRequest, programme_id: int) -> Programme:
    return programme_for(_actor(request), programme_id)


@router.put("/programmes/{programme_id}", response=ProgrammeOut)
def update_programme(request: HttpRequest, programme_id: int, payload: ProgrammeIn) -> Programme:
    programme = managed_programme_for(_actor(request), programme_id)
    return programme_update(
        actor=_actor(request),
        programme=programme,
        settings=payload.settings(),
        cause_area_ids=payload.cause_area_ids,
    )


@router.get("/programmes/{programme_id}/applications", response=list[ApplicationOut])
@paginate
def list_applications(request: HttpRequest, programme_id: int) -> QuerySet[Application]:
    """Managers see every application; anyone else only their own."""
    programme = programme_for(_actor(request), programme_id)
    applications = programme.applications.order_by("pk")
    return (
        applications
        if manages(_actor(request), programme)
        else applications.filter(user=_actor(request))
    )


@router.post("/programmes/{programme_id}/applications", response={201: ApplicationOut})
def apply(request: HttpRequest, programme_id: int, payload: ApplicationIn) -> Status[Application]:
    programme = programme_for(_actor(request), programme_id)
    application = application_submit(
        actor=_actor(request),
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


def _application(request: HttpRequest, application_id: int) -> Application:
    application = Application.objects.select_related("programme").filter(pk=application_id).first()
    actor = _actor(request)
    if application is None or not (
        application.user_id == actor.pk or manages(actor, application.programme)
    ):
        raise NotFound("No such application.")
    return application


@router.post("/applications/{application_id}/withdraw", response=ApplicationOut)
def withdraw(request: HttpRequest, application_id: int) -> Application:
    return application_withdraw(
        actor=_actor(request), application=_application(request, application_id)
    )


@router.post("/applications/{application_id}/decision", response=ApplicationOut)
def decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> Application:
    return application_decide(
        actor=_actor(request),
        application=_application(request, application_id),
        decision=payload.decision,
        reason=payload.reason,
    )


def _run(request: HttpRequest, run_id: int) -> MatchingRun:
    run = run_for(_actor(request), run_id)
    if run is None:
        raise NotFound("No such matching run.")
    return run


@router.post("/programmes/{programme_id}/runs", response={202: RunOut})
def start_run(request: HttpRequest, programme_id: int, payload: RunIn) -> Status[MatchingRun]:
    programme = managed_programme_for(_actor(request), programme_id)
    run = run_start(
        actor=_actor(request), programme=programme, weights=payload.weights, request=request
    )
    return Status(202, run)


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> MatchingRun:
    return MatchingRun.objects.get(pk=_run(request, run_id).pk)


@router.get("/runs/{run_id}/matches", response=list[MatchOut])
@paginate
def run_matches(request: HttpRequest, run_id: int) -> QuerySet[ProposedMatch]:
    return _run(request, run_id).matches.select_related("mentee", "mentor").order_by("-score", "pk")


@router.post("/runs/{run_id}/publish", response=PublishOut)
def publish(request: HttpRequest, run_id: int) -> dict[str, list[int]]:
    relationships = run_publish(actor=_actor(request), run=_run(request, run_id), request=request)
    return {"relationship_ids": [relationship.pk for relationship in relationships]}


@router.get("/runs/{run_id}/compare/{other_id}", response=CompareOut)
def compare(request: HttpRequest, run_id: int, other_id: int) -> dict[str, Any]:
    first, second = _run(request, run_id), _run(request, other_id)
    if first.programme_id != second.programme_id:
        raise NotFound("No such matching run in this programme.")
    diff = runs_compare(first, second)
    return {
        "matched_before": diff.matched_before,
        "matched_after": diff.matched_after,
        "total_before": diff.total_before,
        "total_after": diff.total_after,
        "unchanged": diff.unchanged,
        "changes": [
            {
                "mentee": c.mentee,
                "kind": c.kind,
                "mentor_before": c.mentor_before,
                "mentor_after": c.mentor_after,
                "score_delta": c.score_delta,
            }
            for c in diff.changes
        ],
    }


def _pair(
    request: HttpRequest, programme_id: int, payload_mentee: int, payload_mentor: int
) -> tuple[Programme, Application, Application]:
    programme = managed_programme_for(_actor(request), programme_id)
    mentee = programme.applications.filter(pk=payload_mentee).first()
    mentor = programme.applications.filter(pk=payload_mentor).first()
    if mentee is None or mentor is None:
        raise NotFound("No such application in this programme.")
    return programme, mentee, mentor


@router.put("/programmes/{programme_id}/pair-rules", response={204: None})
def set_pair_rule(request: HttpRequest, programme_id: int, payload: PairRuleIn) -> Status[None]:
    programme, mentee, mentor = _pair(
        request, programme_id, payload.mentee_application_id, payload.mentor_application_id
    )
    pair_rule_set(
        actor=_actor(request), programme=programme, mentee=mentee, mentor=mentor, kind=payload.kind
    )
    return Status(204, None)


@router.delete(
    "/programmes/{programme_id}/pair-rules/{mentee_application_id}/{mentor_application_id}",
    response={204: None},
)
def clear_pair_rule(
    request: HttpRequest, programme_id: int, mentee_application_id: int, mentor_application_id: int
) -> Status[None]:
    programme, mentee, mentor = _pair(
        request, programme_id, mentee_application_id, mentor_application_id
    )
    pair_rule_clear(actor=_actor(request), programme=programme, mentee=mentee, mentor=mentor)
    return Status(204, None)
