"""A whole programme through the services: create → enrol 40 → match → lock/forbid → re-run →
publish → log and confirm a session → complete."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput
from impactcircle.core.models import AuditEvent, OutboxEvent
from impactcircle.mentorship.matching.selectors import runs_compare
from impactcircle.mentorship.matching.services import (
    pair_rule_set,
    run_publish,
    run_start,
)
from impactcircle.mentorship.models import (
    Application,
    MatchingRun,
    PairRule,
    Programme,
    Relationship,
)
from impactcircle.mentorship.programmes.enrolment import (
    ApplicationDetails,
    application_decide,
    application_submit,
)
from impactcircle.mentorship.programmes.services import ProgrammeSettings, programme_create
from impactcircle.mentorship.relationships.services import (
    relationship_complete,
    session_confirm,
    session_log,
)
from impactcircle.notifications.models import Notification
from impactcircle.people.models import Department, Language, Level, Profile
from impactcircle.people.organisation_services import role_grant
from impactcircle.people.roles import Role

pytestmark = pytest.mark.django_db

MENTEES, MENTORS = 28, 12


@pytest.fixture
def manager(db: None) -> User:
    admin = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory(first_name="Mara", last_name="Manager")
    role_grant(actor=admin, user=person, role=Role.PROGRAMME_MANAGER)
    return User.objects.get(pk=person.pk)


def _settings(**overrides: object) -> ProgrammeSettings:
    today = date.today()
    values: dict[str, object] = {
        "name": "Climate leaders 2027",
        "enrolment_opens_on": today - timedelta(days=1),
        "enrolment_closes_on": today + timedelta(days=10),
        "starts_on": today + timedelta(days=11),
        "ends_on": today + timedelta(days=200),
        "max_mentees_per_mentor": 3,
    }
    values.update(overrides)
    return ProgrammeSettings(**values)  # type: ignore[arg-type]


def _people(count: int, level: Level, prefix: str) -> list[User]:
    english = Language.objects.get(code="en")
    people = []
    for number in range(count):
        person = UserFactory(
            email=f"{prefix}{number}@example.com", first_name=prefix.title(), last_name=f"N{number}"
        )
        department = Department.objects.get_or_create(name=f"Unit {number % 4}")[0]
        Profile.objects.filter(user=person).update(level=level, department=department)
        person.profile.languages.add(english)
        people.append(person)
    return people


@pytest.fixture
def enrolled(manager: User, django_capture_on_commit_callbacks) -> Programme:
    programme = programme_create(actor=manager, settings=_settings())
    junior, senior = (
        Level.objects.create(name="L2", rank=2),
        Level.objects.create(name="L5", rank=5),
    )
    for person in _people(MENTEES, junior, "mentee"):
        application_submit(
            actor=person,
            programme=programme,
            details=ApplicationDetails(
                side="mentee",
                goals="Measure the social impact of our volunteering",
                goal_skill_names=("Impact measurement",),
            ),
        )
    for person in _people(MENTORS, senior, "mentor"):
        application_submit(
            actor=person,
            programme=programme,
            details=ApplicationDetails(
                side="mentor",
                goals="Impact measurement and ESG reporting",
                capacity=3,
            ),
        )
    for application in programme.applications.all():
        application_decide(actor=manager, application=application, decision="accept")
    return programme


def _run(manager: User, programme: Programme, capture) -> MatchingRun:
    with capture(execute=True):
        run = run_start(actor=manager, programme=programme)
    return MatchingRun.objects.get(pk=run.pk)


def test_a_programme_runs_from_enrolment_to_completion(
    manager: User, enrolled: Programme, django_capture_on_commit_callbacks
) -> None:
    first = _run(manager, enrolled, django_capture_on_commit_callbacks)
    assert first.status == MatchingRun.Status.DRAFT
    assert first.summary["matched"] == MENTEES  # 12 mentors × 3 places ≥ 28 mentees
    assert all(match.reasons for match in first.matches.all())

    kept, banned = list(first.matches.order_by("-score")[:2])
    pair_rule_set(
        actor=manager,
        programme=enrolled,
        mentee=kept.mentee,
        mentor=kept.mentor,
        kind=PairRule.Kind.LOCK,
    )
    pair_rule_set(
        actor=manager,
        programme=enrolled,
        mentee=banned.mentee,
        mentor=banned.mentor,
        kind=PairRule.Kind.FORBID,
    )
    second = _run(manager, enrolled, django_capture_on_commit_callbacks)

    pairs = set(second.matches.values_list("mentee_id", "mentor_id"))
    assert (kept.mentee_id, kept.mentor_id) in pairs
    assert (banned.mentee_id, banned.mentor_id) not in pairs
    assert second.matches.get(mentee=kept.mentee).is_locked
    diff = runs_compare(first, second)
    assert diff.matched_after == MENTEES
    assert any(change.mentee == str(banned.mentee.user_id) for change in diff.changes)

    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=manager, run=second)

    assert Relationship.objects.filter(source_run=second).count() == second.matches.count()
    assert MatchingRun.objects.get(pk=second.pk).status == MatchingRun.Status.PUBLISHED
    assert AuditEvent.objects.filter(action="matching.run_published").exists()
    mentee_user = kept.mentee.user
    assert Notification.objects.filter(
        recipient=mentee_user, category="mentoring", message__contains="matched with"
    ).exists()

    pair = Relationship.objects.get(members__user=mentee_user, programme=enrolled)
    mentor_user = kept.mentor.user
    session = session_log(
        actor=mentee_user,
        relationship=pair,
        held_on=date.today(),
        duration_minutes=45,
        topics="Impact frameworks",
    )
    session_confirm(actor=mentor_user, relationship=pair, session_id=session.pk)
    pair.refresh_from_db()
    assert pair.last_session_on == date.today()

    relationship_complete(relationship=pair, actor=mentor_user)
    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.COMPLETED


def test_a_draft_is_published_only_once(
    manager: User, enrolled: Programme, django_capture_on_commit_callbacks
) -> None:
    run = _run(manager, enrolled, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=manager, run=run)

    with pytest.raises(Conflict, match="Only a draft"):
        run_publish(actor=manager, run=run)
    assert Relationship.objects.filter(programme=enrolled).count() == run.matches.count()


def test_publishing_announces_the_run_and_each_relationship(
    manager: User, enrolled: Programme, django_capture_on_commit_callbacks
) -> None:
    run = _run(manager, enrolled, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=manager, run=run)  # the worker's part runs on commit
    relationships = list(Relationship.objects.filter(source_run=run))

    (published,) = OutboxEvent.objects.filter(name="mentorship.matching_run_published")
    assert published.payload == {
        "run_id": run.pk,
        "programme_id": enrolled.pk,
        "published_by_id": manager.pk,
        "relationship_count": len(relationships),
    }
    started = OutboxEvent.objects.filter(name="mentorship.relationship_started")
    assert sorted(event.payload["relationship_id"] for event in started) == sorted(
        relationship.pk for relationship in relationships
    )
    assert {event.payload["source_run_id"] for event in started} == {run.pk}


def test_people_already_matched_are_left_out_of_the_next_run(
    manager: User, enrolled: Programme, django_capture_on_commit_callbacks
) -> None:
    run = _run(manager, enrolled, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=manager, run=run)

    again = _run(manager, enrolled, django_capture_on_commit_callbacks)

    assert again.summary["mentees"] == 0


def test_members_cannot_run_the_matching(enrolled: Programme, user: User) -> None:
    with pytest.raises(Forbidden):
        run_start(actor=user, programme=enrolled)


def test_a_second_application_on_the_same_side_is_refused(enrolled: Programme) -> None:
    application = Application.objects.filter(programme=enrolled, side="mentee").first()
    assert application is not None

    with pytest.raises(Conflict, match="already applied"):
        application_submit(
            actor=application.user, programme=enrolled, details=ApplicationDetails(side="mentee")
        )
    assert Application.objects.filter(programme=enrolled, user=application.user).count() == 1


def test_declining_needs_a_reason_the_applicant_sees(manager: User, enrolled: Programme) -> None:
    application = Application.objects.filter(programme=enrolled, side="mentee").first()
    assert application is not None

    with pytest.raises(InvalidInput):
        application_decide(actor=manager, application=application, decision="decline")
    application_decide(
        actor=manager, application=application, decision="decline", reason="Programme is full"
    )

    assert Notification.objects.filter(
        recipient=application.user, message__contains="Programme is full"
    ).exists()


def test_an_acceptance_is_told_once_per_application_naming_the_side(
    manager: User, user: User
) -> None:
    programme = ProgrammeFactory(name="Green leaders", managers=[manager])
    as_mentee = ApplicationFactory(
        programme=programme, user=user, side="mentee", status="submitted"
    )
    as_mentor = ApplicationFactory(
        programme=programme, user=user, side="mentor", status="submitted"
    )

    for application in (as_mentee, as_mentor, as_mentee, as_mentor):  # the second click, a retry
        application_decide(actor=manager, application=application, decision="accept")

    messages = sorted(Notification.objects.filter(recipient=user).values_list("message", flat=True))
    assert messages == [
        "You are in: your application to Green leaders as a mentee was accepted.",
        "You are in: your application to Green leaders as a mentor was accepted.",
    ]
    assert Application.objects.filter(user=user, status="accepted").count() == 2


def test_a_changed_decision_is_told_again(manager: User, user: User) -> None:
    application = ApplicationFactory(
        programme=ProgrammeFactory(name="Green leaders", managers=[manager]),
        user=user,
        side="mentor",
    )

    application_decide(actor=manager, application=application, decision="waitlist")
    application_decide(actor=manager, application=application, decision="waitlist")
    application_decide(actor=manager, application=application, decision="decline", reason="Full")
    application_decide(actor=manager, application=application, decision="decline", reason="Full")

    assert list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("message", flat=True)
    ) == [
        "Your application to Green leaders as a mentor is on the waiting list.",
        "Your application to Green leaders as a mentor was declined: Full",
    ]


def test_enrolment_outside_the_window_is_refused(manager: User, user: User) -> None:
    closed = programme_create(
        actor=manager,
        settings=_settings(
            enrolment_opens_on=date.today() - timedelta(days=30),
            enrolment_closes_on=date.today() - timedelta(days=1),
            starts_on=date.today(),
        ),
    )

    with pytest.raises(Conflict, match="Enrolment closed on"):
        application_submit(actor=user, programme=closed, details=ApplicationDetails(side="mentee"))


def test_invalid_programme_settings_name_their_fields(manager: User) -> None:
    with pytest.raises(InvalidInput) as refused:
        programme_create(
            actor=manager,
            settings=_settings(
                name=" ", ends_on=date.today() - timedelta(days=400), weights={"charisma": 10}
            ),
        )

    assert {"name", "ends_on", "weights"} <= set(refused.value.fields)


def test_members_cannot_create_programmes(user: User) -> None:
    with pytest.raises(Forbidden):
        programme_create(actor=user, settings=_settings())
