from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.factories import ProgrammeFactory, RelationshipFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.schedule import periodic_jobs
from impactcircle.mentorship.models import CheckIn, MentoringSession, Relationship
from impactcircle.mentorship.relationships.health import (
    programme_health,
    relationship_health,
    relationships_at_risk,
)
from impactcircle.mentorship.relationships.keepalive import keep_pairs_alive, latest_check_in_due
from impactcircle.mentorship.relationships.services import session_confirm, session_log
from impactcircle.mentorship.relationships.tasks import keep_pairs_alive_daily
from impactcircle.notifications.models import Notification

pytestmark = pytest.mark.django_db

START = date(2026, 9, 1)


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(email="maya@example.com")


@pytest.fixture
def mentee(db: None) -> User:
    return UserFactory(email="tomo@example.com")


@pytest.fixture
def pair(user: User, mentee: User, manager: User) -> Relationship:
    return RelationshipFactory(
        programme=ProgrammeFactory(managers=[manager]),
        mentor=user,
        mentees=[mentee],
        started_on=START,
    )


def _notices(person: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, category="mentoring").values_list(
            "message", flat=True
        )
    )


def _confirmed_session(pair: Relationship, author: User, other: User, on: date) -> None:
    session = MentoringSession.objects.create(
        relationship=pair, held_on=on, duration_minutes=30, logged_by=author
    )
    session_confirm(actor=other, relationship=pair, session_id=session.pk)


def test_no_nudge_before_the_threshold(pair: Relationship, user: User) -> None:
    keep_pairs_alive(today=START + timedelta(days=20))

    assert not [m for m in _notices(user) if "No confirmed" in m]


def test_members_are_nudged_once_per_silence(pair: Relationship, user: User, mentee: User) -> None:
    report = keep_pairs_alive(today=START + timedelta(days=21))
    keep_pairs_alive(today=START + timedelta(days=22))

    assert report.nudged == 1
    for person in (user, mentee):
        assert len([m for m in _notices(person) if "for 21 days" in m]) == 1
    assert Relationship.objects.get(pk=pair.pk).nudged_at is not None


def test_a_confirmed_session_starts_a_new_silence(
    pair: Relationship, user: User, mentee: User
) -> None:
    keep_pairs_alive(today=START + timedelta(days=21))
    _confirmed_session(pair, user, mentee, START + timedelta(days=22))

    keep_pairs_alive(today=START + timedelta(days=30))
    keep_pairs_alive(today=START + timedelta(days=43))

    nudges = [m for m in _notices(user) if "No confirmed" in m]
    assert len(nudges) == 2
    assert "for 21 days" in nudges[-1]


def test_managers_are_warned_once_after_longer_silence(pair: Relationship, manager: User) -> None:
    keep_pairs_alive(today=START + timedelta(days=34))
    assert not _notices(manager)

    keep_pairs_alive(today=START + timedelta(days=35))
    keep_pairs_alive(today=START + timedelta(days=36))

    warnings = _notices(manager)
    assert len(warnings) == 1
    assert "35 days" in warnings[0]


def test_a_silence_of_one_day_is_one_day_not_one_days(
    user: User, mentee: User, manager: User
) -> None:
    pair = RelationshipFactory(
        programme=ProgrammeFactory(
            managers=[manager], nudge_after_days=1, warn_manager_after_days=1
        ),
        mentor=user,
        mentees=[mentee],
        started_on=START,
    )

    keep_pairs_alive(today=START + timedelta(days=1))
    health = relationship_health(pair, today=START + timedelta(days=1))

    assert health.risk_reasons == ("No confirmed session for 1 day",)
    assert _notices(user) == [
        f"No confirmed mentoring session in {pair.programme} for 1 day. "
        "Plan your next conversation, or log the one you had."
    ]
    assert _notices(manager)[0].endswith("has had no confirmed session for 1 day.")


def test_manager_warning_carries_no_private_note(
    pair: Relationship, user: User, manager: User
) -> None:
    session_log(
        actor=user,
        relationship=pair,
        held_on=START,
        duration_minutes=30,
        private_note="My secret worry",
    )

    keep_pairs_alive(today=START + timedelta(days=60))

    assert all("secret" not in message for message in _notices(manager))


def test_ended_relationships_are_left_alone(pair: Relationship, user: User) -> None:
    Relationship.objects.filter(pk=pair.pk).update(status=Relationship.Status.COMPLETED)

    report = keep_pairs_alive(today=START + timedelta(days=100))

    assert report.nudged == report.managers_warned == report.check_ins_created == 0


def test_check_in_dates_are_day_30_then_every_60_days() -> None:
    assert latest_check_in_due(START, START + timedelta(days=29)) is None
    assert latest_check_in_due(START, START + timedelta(days=30)) == START + timedelta(days=30)
    assert latest_check_in_due(START, START + timedelta(days=89)) == START + timedelta(days=30)
    assert latest_check_in_due(START, START + timedelta(days=90)) == START + timedelta(days=90)


def test_check_ins_are_created_once_per_member_and_due_date(
    pair: Relationship, user: User, mentee: User
) -> None:
    first = keep_pairs_alive(today=START + timedelta(days=30))
    again = keep_pairs_alive(today=START + timedelta(days=31))
    later = keep_pairs_alive(today=START + timedelta(days=90))

    assert (first.check_ins_created, again.check_ins_created, later.check_ins_created) == (2, 0, 2)
    assert CheckIn.objects.filter(user=mentee).count() == 2
    assert len([m for m in _notices(mentee) if "How is your mentoring going?" in m]) == 2


def test_silence_puts_a_pair_at_risk(pair: Relationship) -> None:
    health = relationship_health(pair, today=START + timedelta(days=21))

    assert health.is_at_risk
    assert health.days_silent == 21
    assert [h.relationship_id for h in relationships_at_risk(pair.programme, today=START)] == []
    assert [
        h.relationship_id
        for h in relationships_at_risk(pair.programme, today=START + timedelta(days=25))
    ] == [pair.pk]


def test_a_low_latest_check_in_puts_a_pair_at_risk(
    pair: Relationship, user: User, mentee: User
) -> None:
    today = START + timedelta(days=31)
    _confirmed_session(pair, user, mentee, today)
    CheckIn.objects.create(relationship=pair, user=user, due_on=START, score=5)
    CheckIn.objects.create(relationship=pair, user=user, due_on=today, score=2)
    CheckIn.objects.create(relationship=pair, user=mentee, due_on=today, score=2)

    health = relationship_health(pair, today=today)

    assert health.check_in_average == 2
    assert health.is_at_risk
    assert health.check_in_answers == 3


def test_a_lively_pair_is_healthy(pair: Relationship, user: User, mentee: User) -> None:
    today = START + timedelta(days=40)
    _confirmed_session(pair, user, mentee, today - timedelta(days=3))
    CheckIn.objects.create(relationship=pair, user=mentee, due_on=today, score=4)

    health = programme_health(pair.programme, today=today)[0]

    assert not health.is_at_risk
    assert health.confirmed_session_count == 1
    assert health.last_session_on == today - timedelta(days=3)


def test_the_daily_job_is_registered_and_runs(pair: Relationship, user: User) -> None:
    assert "mentorship.keep_pairs_alive" in [job.name for job in periodic_jobs()]
    moment = datetime.combine(START + timedelta(days=30), datetime.min.time(), tzinfo=UTC)

    result = keep_pairs_alive_daily.enqueue(scheduled_for=moment.isoformat())

    assert result.return_value == {"nudged": 1, "managers_warned": 0, "check_ins_created": 2}
