"""Creating and changing programmes, their questions and invitations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from impactcircle.accounts.models import User
from impactcircle.core.access import object_role_grant
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Forbidden, InvalidInput
from impactcircle.engine.matching import FACTORS
from impactcircle.mentorship.models import ApplicationQuestion, Programme, ProgrammeInvitation, Side
from impactcircle.mentorship.policies import (
    PROGRAMME_MANAGER,
    manages,
    may_create_programmes,
    programme_managers,
)
from impactcircle.notifications.services import Notice, notify_many
from impactcircle.people.models import CauseArea

MENTORING = "mentoring"  # the notification category (setup.MENTORING)
MAX_INVITATIONS_AT_ONCE = 5000


@dataclass(frozen=True, kw_only=True)
class ProgrammeSettings:
    name: str
    purpose: str = ""
    format: str = Programme.Format.ONE_ON_ONE
    access: str = Programme.Access.OPEN
    enrolment_opens_on: date
    enrolment_closes_on: date
    starts_on: date
    ends_on: date
    meeting_every_days: int = 14
    default_mentees_per_mentor: int = 1
    max_mentees_per_mentor: int = 3
    circle_min_size: int = 3
    circle_max_size: int = 8
    matching_mode: str = Programme.MatchingMode.OPTIMAL
    weights: Mapping[str, float] | None = None
    rule_not_same_reporting_line: bool = True
    rule_min_level_gap: int = 1
    rule_common_language: bool = True
    rule_min_overlap_hours: int = 1
    request_expires_after_days: int = 7
    nudge_after_days: int = 21
    warn_manager_after_days: int = 35
    participants_see_each_other: bool = False


def _problems(settings: ProgrammeSettings) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not settings.name.strip():
        add("name", "Give the programme a name.")
    if settings.format not in Programme.Format.values:
        add("format", "Choose a listed format.")
    if settings.access not in Programme.Access.values:
        add("access", "Choose open or by invitation.")
    if settings.matching_mode not in Programme.MatchingMode.values:
        add("matching_mode", "Choose a listed matching mode.")
    if not 1 <= settings.meeting_every_days <= 180:
        add("meeting_every_days", "Meet between every day and every 180 days.")
    if not 0 <= settings.rule_min_overlap_hours <= 12:
        add("rule_min_overlap_hours", "Between 0 and 12 shared working hours.")
    if not 0 <= settings.rule_min_level_gap <= 5:
        add("rule_min_level_gap", "Between 0 and 5 levels.")
    for factor, points in (settings.weights or {}).items():
        if factor not in FACTORS:
            add("weights", f"{factor!r} is not a matching factor ({', '.join(FACTORS)}).")
        elif not 0 <= float(points) <= 100:
            add("weights", f"The weight of {factor} must be between 0 and 100.")
    values = {field.name: getattr(settings, field.name) for field in fields(settings)}
    for field, messages in cross_field_problems(values).items():
        problems.setdefault(field, []).extend(messages)
    return problems


def cross_field_problems(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """The rules between settings (dates in order, capacities), each checked only when every
    value it compares is given (not None), so that a form checks them even while another field
    has an error and reports every problem at once."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    def given(*names: str) -> bool:
        return all(values.get(name) is not None for name in names)

    if given("enrolment_opens_on", "enrolment_closes_on") and (
        values["enrolment_opens_on"] > values["enrolment_closes_on"]
    ):
        add("enrolment_closes_on", "Enrolment must close after it opens.")
    if given("starts_on", "ends_on") and values["starts_on"] > values["ends_on"]:
        add("ends_on", "The programme must end after it starts.")
    if given("enrolment_opens_on", "starts_on") and (
        values["enrolment_opens_on"] > values["starts_on"]
    ):
        add("starts_on", "The programme cannot start before enrolment opens.")
    if given("default_mentees_per_mentor", "max_mentees_per_mentor") and not (
        1 <= values["default_mentees_per_mentor"] <= values["max_mentees_per_mentor"] <= 20
    ):
        add("max_mentees_per_mentor", "Default ≤ maximum mentees per mentor, and at most 20.")
    if (
        given("format", "circle_min_size", "circle_max_size")
        and values["format"] == Programme.Format.GROUP_CIRCLE
        and not 3 <= values["circle_min_size"] <= values["circle_max_size"] <= 8
    ):
        add("circle_max_size", "A circle has between 3 and 8 mentees (minimum ≤ maximum).")
    if given("nudge_after_days", "warn_manager_after_days") and (
        values["nudge_after_days"] >= values["warn_manager_after_days"]
    ):
        add("warn_manager_after_days", "Warn managers later than the pair is nudged.")
    return problems


def _apply(programme: Programme, settings: ProgrammeSettings) -> None:
    for field in fields(settings):
        value = getattr(settings, field.name)
        if field.name == "weights":
            value = {factor: float(points) for factor, points in (value or {}).items()}
        elif field.name in {"name", "purpose"}:
            value = value.strip()
        setattr(programme, field.name, value)


@transaction.atomic
def programme_create(
    *,
    actor: User,
    settings: ProgrammeSettings,
    cause_area_ids: Iterable[int] = (),
    previous_cohort: Programme | None = None,
    request: HttpRequest | None = None,
) -> Programme:
    if not may_create_programmes(actor):
        raise Forbidden("Only programme managers and administrators create programmes.")
    problems = _problems(settings)
    if problems:
        raise InvalidInput("The programme could not be saved.", fields=problems)
    programme = Programme(previous_cohort=previous_cohort)
    _apply(programme, settings)
    programme.save()
    object_role_grant(role=PROGRAMME_MANAGER, obj=programme, user=actor, granted_by=actor)
    programme.cause_areas.set(CauseArea.objects.filter(pk__in=list(cause_area_ids)))
    record_audit_event(action="programme.created", actor=actor, target=programme, request=request)
    return programme


@transaction.atomic
def programme_update(
    *,
    actor: User,
    programme: Programme,
    settings: ProgrammeSettings,
    cause_area_ids: Iterable[int] | None = None,
) -> Programme:
    if not manages(actor, programme):
        raise Forbidden("Only this programme's managers may change it.")
    problems = _problems(settings)
    if problems:
        raise InvalidInput("The programme could not be saved.", fields=problems)
    _apply(programme, settings)
    programme.save()
    if cause_area_ids is not None:
        programme.cause_areas.set(CauseArea.objects.filter(pk__in=list(cause_area_ids)))
    return programme


def programme_add_manager(*, actor: User, programme: Programme, manager: User) -> None:
    if not manages(actor, programme):
        raise Forbidden("Only this programme's managers may add managers.")
    object_role_grant(role=PROGRAMME_MANAGER, obj=programme, user=manager, granted_by=actor)


def question_add(
    *, actor: User, programme: Programme, side: str, text: str, is_required: bool = False
) -> ApplicationQuestion:
    if not manages(actor, programme):
        raise Forbidden("Only this programme's managers may change its questions.")
    if side not in Side.values or not text.strip():
        raise InvalidInput("Give the question a text and a side.", fields={"text": ["Required."]})
    position = programme.questions.filter(side=side).count()
    return ApplicationQuestion.objects.create(
        programme=programme,
        side=side,
        text=text.strip()[:300],
        is_required=is_required,
        position=position,
    )


def invitation_add(*, actor: User, programme: Programme, people: Iterable[User]) -> int:
    """Invite these people (those already invited are skipped); each new invitee is told."""
    if not manages(actor, programme):
        raise Forbidden("Only this programme's managers may invite people.")
    wanted = {person.pk: person for person in people}
    with transaction.atomic():
        already = set(
            ProgrammeInvitation.objects.filter(
                programme=programme, user_id__in=list(wanted)
            ).values_list("user_id", flat=True)
        )
        new = [person for pk, person in wanted.items() if pk not in already]
        ProgrammeInvitation.objects.bulk_create(
            [ProgrammeInvitation(programme=programme, user=person) for person in new],
            batch_size=1000,
            ignore_conflicts=True,
        )
        notify_many(
            category=MENTORING,
            notices=[
                Notice(
                    recipient=person,
                    message=f"You are invited to apply to {programme.name}.",
                    link=reverse("mentorship_programme", args=[programme.pk]),
                )
                for person in new
            ],
            actor=actor,
        )
    return len(new)


@dataclass(frozen=True)
class InvitationOutcome:
    invited: int
    unknown: list[str]


def invitations_by_email(
    *, actor: User, programme: Programme, addresses: str | Iterable[str]
) -> InvitationOutcome:
    """Invite the people with these email addresses (one text with commas, spaces or lines, or
    a list); addresses without an active account are reported back, not invited."""
    if isinstance(addresses, str):
        addresses = addresses.replace(",", " ").split()
    emails = {address.strip().lower() for address in addresses if address.strip()}
    if len(emails) > MAX_INVITATIONS_AT_ONCE:
        raise InvalidInput(
            f"Invite at most {MAX_INVITATIONS_AT_ONCE:,} people at once.",
            fields={"emails": [f"{len(emails):,} addresses given."]},
        )
    people = list(User.objects.filter(email__in=emails, is_active=True))
    invited = invitation_add(actor=actor, programme=programme, people=people)
    return InvitationOutcome(
        invited=invited, unknown=sorted(emails - {person.email.lower() for person in people})
    )


@transaction.atomic
def programme_repeat(
    *,
    actor: User,
    programme: Programme,
    enrolment_opens_on: date,
    request: HttpRequest | None = None,
) -> Programme:
    """A new cohort: the same settings, questions and managers, shifted to new dates."""
    if not manages(actor, programme):
        raise Forbidden("Only this programme's managers may repeat it.")
    shift = enrolment_opens_on - programme.enrolment_opens_on
    if shift.days <= 0:
        raise InvalidInput(
            "A new cohort starts after the previous one.",
            fields={"enrolment_opens_on": ["Choose a later date."]},
        )
    settings = ProgrammeSettings(
        **{
            field.name: getattr(programme, field.name)
            for field in fields(ProgrammeSettings)
            if field.name
            not in {"enrolment_opens_on", "enrolment_closes_on", "starts_on", "ends_on"}
        },
        enrolment_opens_on=programme.enrolment_opens_on + shift,
        enrolment_closes_on=programme.enrolment_closes_on + shift,
        starts_on=programme.starts_on + shift,
        ends_on=programme.ends_on + shift,
    )
    cohort = programme_create(
        actor=actor,
        settings=settings,
        cause_area_ids=programme.cause_areas.values_list("pk", flat=True),
        previous_cohort=programme,
        request=request,
    )
    for manager in programme_managers(programme):
        object_role_grant(role=PROGRAMME_MANAGER, obj=cohort, user=manager, granted_by=actor)
    ApplicationQuestion.objects.bulk_create(
        [
            ApplicationQuestion(
                programme=cohort,
                side=q.side,
                text=q.text,
                is_required=q.is_required,
                position=q.position,
            )
            for q in programme.questions.all()
        ]
    )
    return cohort
