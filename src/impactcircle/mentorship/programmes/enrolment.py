"""Applying to a programme, withdrawing, and the managers' decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from impactcircle.mentorship.models import Application, Programme, Side
from impactcircle.mentorship.policies import manages, visible_programmes
from impactcircle.notifications.services import notify
from impactcircle.people.models import CauseArea
from impactcircle.people.services import skill_for_name

OPEN_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
)


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def enrolment_is_open(programme: Programme, today: date) -> bool:
    return programme.enrolment_opens_on <= today <= programme.enrolment_closes_on


def enrolment_window_sentence(programme: Programme, today: date) -> str:
    """Where the enrolment window stands today, in one sentence: opens later, open, or closed."""
    opens, closes = programme.enrolment_opens_on, programme.enrolment_closes_on
    if today < opens:
        return f"Enrolment opens on {_day(opens)} and closes on {_day(closes)}."
    if today > closes:
        return f"Enrolment closed on {_day(closes)}."
    return f"Enrolment is open until {_day(closes)}."


@dataclass(frozen=True, kw_only=True)
class ApplicationDetails:
    side: str
    goals: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)
    goal_skill_names: tuple[str, ...] = ()
    cause_area_ids: tuple[int, ...] = ()
    capacity: int = 1
    work_start_hour_utc: int = 8
    work_end_hour_utc: int = 17


def _problems(programme: Programme, details: ApplicationDetails) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if details.side not in Side.values:
        problems["side"] = ["Apply as a mentor or as a mentee."]
    if (
        details.side == Side.MENTOR
        and not 1 <= details.capacity <= programme.max_mentees_per_mentor
    ):
        most = programme.max_mentees_per_mentor
        problems["capacity"] = ["1 mentee." if most == 1 else f"Between 1 and {most} mentees."]
    if not (0 <= details.work_start_hour_utc <= 23 and 1 <= details.work_end_hour_utc <= 24):
        problems["work_start_hour_utc"] = ["Working hours are whole hours between 0 and 24 (UTC)."]
    if len(details.goals) > 2000:
        problems["goals"] = ["Keep it under 2,000 characters."]
    questions = {
        str(question.pk): question for question in programme.questions.filter(side=details.side)
    }
    for key in details.answers:
        if key not in questions:
            problems.setdefault("answers", []).append(f"Question {key} is not part of this form.")
    for key, question in questions.items():
        if question.is_required and not (details.answers.get(key) or "").strip():
            problems.setdefault("answers", []).append(f"Please answer: {question.text}")
    return problems


@transaction.atomic
def application_submit(
    *, actor: User, programme: Programme, details: ApplicationDetails
) -> Application:
    """Enrol the person; a second click or a retry returns an error, never a twin."""
    if not visible_programmes(actor).filter(pk=programme.pk).exists():
        raise NotFound("No such programme.")
    if programme.access == Programme.Access.INVITATION and not (
        programme.invitations.filter(user=actor).exists() or manages(actor, programme)
    ):
        raise Forbidden("This programme is by invitation.")
    today = timezone.localdate()
    if not enrolment_is_open(programme, today):
        raise Conflict(enrolment_window_sentence(programme, today))
    problems = _problems(programme, details)
    if problems:
        raise InvalidInput("The application is not complete.", fields=problems)
    existing = (
        Application.objects.select_for_update()
        .filter(programme=programme, user=actor, side=details.side)
        .first()
    )
    if existing is not None and existing.status in OPEN_STATUSES:
        raise Conflict(f"You have already applied as a {details.side}.")
    application = existing or Application(programme=programme, user=actor, side=details.side)
    application.status = Application.Status.SUBMITTED
    application.decision_reason = ""
    application.goals = details.goals.strip()
    application.answers = {key: value.strip() for key, value in details.answers.items()}
    application.capacity = details.capacity if details.side == Side.MENTOR else 1
    application.work_start_hour_utc = details.work_start_hour_utc
    application.work_end_hour_utc = details.work_end_hour_utc
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # the same person, the same moment, in another request
        raise Conflict(f"You have already applied as a {details.side}.") from error
    application.goal_skills.set(
        [skill_for_name(name) for name in details.goal_skill_names if name.strip()]
    )
    application.cause_areas.set(CauseArea.objects.filter(pk__in=list(details.cause_area_ids)))
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.user_id != actor.pk:
        raise NotFound("No such application.")
    if locked.status not in OPEN_STATUSES:
        raise Conflict("This application is no longer open.")
    locked.status = Application.Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    return locked


DECISIONS = {
    "accept": Application.Status.ACCEPTED,
    "waitlist": Application.Status.WAITLISTED,
    "decline": Application.Status.DECLINED,
}


@transaction.atomic
def application_decide(
    *, actor: User, application: Application, decision: str, reason: str = ""
) -> Application:
    locked = (
        Application.objects.select_for_update()
        .select_related("programme", "user")
        .get(pk=application.pk)
    )
    if not manages(actor, locked.programme):
        raise Forbidden("Only this programme's managers decide on applications.")
    if decision not in DECISIONS:
        raise InvalidInput(
            "Accept, waitlist or decline.", fields={"decision": ["Unknown decision."]}
        )
    if decision == "decline" and not reason.strip():
        raise InvalidInput(
            "Tell the applicant why.", fields={"reason": ["A reason is required to decline."]}
        )
    if locked.status == Application.Status.WITHDRAWN:
        raise Conflict("The applicant withdrew this application.")
    status, decision_reason = DECISIONS[decision], reason.strip()[:300]
    if (locked.status, locked.decision_reason) == (status, decision_reason):
        return locked  # a second click or a retry: the applicant was told already
    locked.status = status
    locked.decision_reason = decision_reason
    locked.save(update_fields=["status", "decision_reason", "updated_at"])
    # A person may apply on both sides: each message names the side it is about.
    applied = f"application to {locked.programme.name} as a {locked.side}"
    message = {
        "accept": f"You are in: your {applied} was accepted.",
        "waitlist": f"Your {applied} is on the waiting list.",
        "decline": f"Your {applied} was declined: {locked.decision_reason}",
    }[decision]
    notify(
        recipient=locked.user,
        category="mentoring",
        message=message,
        link=f"/mentoring/programmes/{locked.programme_id}/",
        actor=actor,
    )
    return locked


def applications_decide(*, actor: User, applications: Iterable[Application], decision: str) -> int:
    """Accept (or waitlist) many at once; declines need a reason each, one by one."""
    if decision == "decline":
        raise InvalidInput("Decline applications one at a time, with a reason.")
    count = 0
    for application in applications:
        application_decide(actor=actor, application=application, decision=decision)
        count += 1
    return count
