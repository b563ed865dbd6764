"""A real programme taken through the services to a published matching, for privacy tests:
a (non-administrator) programme manager creates it, two mentees and two mentors enrol and are
accepted, a run is computed and published."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tests.factories import UserFactory

from impactcircle.accounts.models import User
from impactcircle.mentorship.matching.services import run_publish, run_start
from impactcircle.mentorship.models import MatchingRun, Programme, Relationship, Side
from impactcircle.mentorship.programmes.enrolment import (
    ApplicationDetails,
    application_decide,
    application_submit,
)
from impactcircle.mentorship.programmes.services import ProgrammeSettings, programme_create
from impactcircle.people.models import Language, Level, Profile
from impactcircle.people.organisation_services import role_grant
from impactcircle.people.roles import Role


def programme_manager() -> User:
    """A person with the programme-manager role, and no administrator rights."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory(first_name="Mara", last_name="Manager")
    role_grant(actor=admin, user=person, role=Role.PROGRAMME_MANAGER)
    return User.objects.get(pk=person.pk)


def person(first_name: str, rank: int, **profile_fields: object) -> User:
    """Someone ready to be matched: a level and English; more profile fields as given."""
    someone = UserFactory(
        email=f"{first_name.lower()}@example.com", first_name=first_name, last_name="Example"
    )
    level, _ = Level.objects.get_or_create(rank=rank, defaults={"name": f"L{rank}"})
    Profile.objects.filter(user=someone).update(level=level, **profile_fields)
    someone.profile.languages.add(Language.objects.get(code="en"))
    return someone


def open_programme(
    manager: User, *, weights: Mapping[str, float] | None = None, **settings: object
) -> Programme:
    today = date.today()
    values: dict[str, object] = {
        "name": "Climate leaders 2027",
        "enrolment_opens_on": today - timedelta(days=1),
        "enrolment_closes_on": today + timedelta(days=10),
        "starts_on": today + timedelta(days=11),
        "ends_on": today + timedelta(days=200),
        "max_mentees_per_mentor": 1,
        "weights": weights,
    }
    values.update(settings)
    return programme_create(actor=manager, settings=ProgrammeSettings(**values))  # type: ignore[arg-type]  # values of the right types, checked by the service


def enrol(
    manager: User,
    programme: Programme,
    someone: User,
    side: str,
    goal_skills: tuple[str, ...] = (),
) -> None:
    application = application_submit(
        actor=someone,
        programme=programme,
        details=ApplicationDetails(
            side=side, goals="Grow our climate work", goal_skill_names=goal_skills
        ),
    )
    application_decide(actor=manager, application=application, decision="accept")


def computed_run(manager: User, programme: Programme, capture: Any) -> MatchingRun:
    with capture(execute=True):
        run = run_start(actor=manager, programme=programme)
    return MatchingRun.objects.get(pk=run.pk)


def publish(manager: User, run: MatchingRun, capture: Any) -> list[Relationship]:
    """Publish as a manager would; the worker's part runs when the request commits."""
    with capture(execute=True):
        run_publish(actor=manager, run=run)
    return list(Relationship.objects.filter(source_run=run).order_by("pk"))


@dataclass(frozen=True)
class Pair:
    relationship: Relationship
    mentee: User
    mentor: User


def pair_of(mentee: User, programme: Programme) -> Pair:
    relationship = Relationship.objects.get(programme=programme, members__user=mentee)
    mentor = relationship.members.get(side=Side.MENTOR).user
    return Pair(relationship=relationship, mentee=mentee, mentor=mentor)
