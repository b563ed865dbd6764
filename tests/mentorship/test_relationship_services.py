from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import ProgrammeFactory, RelationshipFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from impactcircle.core.models import AuditEvent, OutboxEvent
from impactcircle.mentorship.models import Relationship, SessionConfirmation
from impactcircle.mentorship.relationships.health import relationship_health
from impactcircle.mentorship.relationships.services import (
    check_in_answer,
    checked_resource_url,
    goal_add,
    goal_update,
    milestone_add,
    milestone_update,
    private_note_of,
    relationship_finish,
    session_confirm,
    session_log,
)
from impactcircle.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(email="maya@example.com")


@pytest.fixture
def mentee(db: None) -> User:
    return UserFactory(email="tomo@example.com")


@pytest.fixture
def pair(user: User, mentee: User, manager: User) -> Relationship:
    return RelationshipFactory(
        programme=ProgrammeFactory(managers=[manager]), mentor=user, mentees=[mentee]
    )


def _log(pair: Relationship, author: User, days_ago: int = 0) -> int:
    return session_log(
        actor=author,
        relationship=pair,
        held_on=date.today() - timedelta(days=days_ago),
        duration_minutes=30,
    ).pk


def test_a_logged_session_asks_the_other_side_to_confirm(
    pair: Relationship, user: User, mentee: User
) -> None:
    _log(pair, user)

    assert Notification.objects.filter(recipient=mentee, category="mentoring").count() == 1
    assert not Notification.objects.filter(recipient=user).exists()


def test_the_logger_cannot_confirm_their_own_session(pair: Relationship, user: User) -> None:
    session_id = _log(pair, user)

    with pytest.raises(Conflict):
        session_confirm(actor=user, relationship=pair, session_id=session_id)


def test_an_unconfirmed_session_does_not_count(pair: Relationship, user: User) -> None:
    _log(pair, user)

    health = relationship_health(pair)
    assert (health.session_count, health.confirmed_session_count) == (1, 0)
    assert Relationship.objects.get(pk=pair.pk).last_session_on is None


def test_confirming_moves_the_last_session_date_forward_only(
    pair: Relationship, user: User, mentee: User
) -> None:
    recent = _log(pair, user, days_ago=2)
    older = _log(pair, user, days_ago=9)

    session_confirm(actor=mentee, relationship=pair, session_id=recent)
    session_confirm(actor=mentee, relationship=pair, session_id=older)

    assert Relationship.objects.get(pk=pair.pk).last_session_on == date.today() - timedelta(days=2)


def test_confirming_twice_keeps_one_confirmation(
    pair: Relationship, user: User, mentee: User
) -> None:
    session_id = _log(pair, user)

    session_confirm(actor=mentee, relationship=pair, session_id=session_id)
    session_confirm(actor=mentee, relationship=pair, session_id=session_id)

    assert SessionConfirmation.objects.count() == 1


def test_in_a_circle_one_other_member_confirming_is_enough(user: User) -> None:
    first, second = UserFactory(), UserFactory()
    circle = RelationshipFactory(mentor=user, mentees=[first, second])
    session_id = _log(circle, first)

    session_confirm(actor=second, relationship=circle, session_id=session_id)

    assert relationship_health(circle).confirmed_session_count == 1


def test_a_private_note_is_only_its_authors(pair: Relationship, user: User, mentee: User) -> None:
    session_id = session_log(
        actor=user,
        relationship=pair,
        held_on=date.today(),
        duration_minutes=30,
        private_note="mine",
    ).pk

    assert private_note_of(actor=user, relationship=pair, session_id=session_id) == "mine"
    assert private_note_of(actor=mentee, relationship=pair, session_id=session_id) == ""


def test_managers_may_not_read_private_notes(pair: Relationship, user: User, manager: User) -> None:
    session_id = session_log(
        actor=user, relationship=pair, held_on=date.today(), duration_minutes=30, private_note="x"
    ).pk

    with pytest.raises(Forbidden):
        private_note_of(actor=manager, relationship=pair, session_id=session_id)


def test_a_session_of_another_relationship_is_not_found(pair: Relationship, user: User) -> None:
    elsewhere = RelationshipFactory(mentor=user)
    session_id = _log(elsewhere, user)

    with pytest.raises(NotFound):
        session_confirm(actor=user, relationship=pair, session_id=session_id)


@pytest.mark.parametrize("minutes", [0, 4, 601])
def test_session_duration_is_checked(pair: Relationship, user: User, minutes: int) -> None:
    with pytest.raises(InvalidInput) as error:
        session_log(actor=user, relationship=pair, held_on=date.today(), duration_minutes=minutes)

    assert "duration_minutes" in error.value.fields


def test_goal_progress_is_a_percentage(pair: Relationship, user: User) -> None:
    goal = goal_add(actor=user, relationship=pair, title="Speak at the town hall")

    goal_update(actor=user, relationship=pair, goal_id=goal.pk, progress=60)
    with pytest.raises(InvalidInput):
        goal_update(actor=user, relationship=pair, goal_id=goal.pk, progress=101)

    goal.refresh_from_db()
    assert goal.progress == 60


def test_milestones_belong_to_the_relationships_goals(pair: Relationship, user: User) -> None:
    goal = goal_add(actor=user, relationship=pair, title="Goal")
    milestone = milestone_add(actor=user, relationship=pair, goal_id=goal.pk, title="Step")
    elsewhere = RelationshipFactory(mentor=user)

    with pytest.raises(NotFound):
        milestone_update(
            actor=user, relationship=elsewhere, milestone_id=milestone.pk, is_done=True
        )
    milestone_update(actor=user, relationship=pair, milestone_id=milestone.pk, is_done=True)

    milestone.refresh_from_db()
    assert milestone.is_done


@pytest.mark.parametrize(
    "url", ["/knowledge/posts/3/", "https://example.org/guide?x=1", "/people/?q=a"]
)
def test_resource_links_that_are_accepted(url: str) -> None:
    assert checked_resource_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/",
        "javascript:alert(1)",
        "//evil.example/",
        "/\\evil.example",
        "https://",
        "https://user:pw@example.org/",
        "ftp://example.org/x",
        "data:text/html,hi",
        "/a b",
        "",
    ],
)
def test_resource_links_that_are_refused(url: str) -> None:
    with pytest.raises(InvalidInput):
        checked_resource_url(url)


@given(st.text(max_size=60))
def test_an_accepted_resource_link_is_a_path_or_https(text: str) -> None:
    try:
        url = checked_resource_url(text)
    except InvalidInput:
        return
    assert (url.startswith("/") and not url.startswith("//")) or url.startswith("https://")


def test_someone_elses_check_in_is_not_found(pair: Relationship, user: User, mentee: User) -> None:
    check_in = pair.check_ins.create(user=mentee, due_on=date.today())

    with pytest.raises(NotFound):
        check_in_answer(actor=user, relationship=pair, check_in_id=check_in.pk, score=5)


def test_ending_early_tells_managers_and_the_other_side_and_is_audited(
    pair: Relationship, user: User, mentee: User, manager: User
) -> None:
    relationship_finish(actor=mentee, relationship=pair, reason="Moved to another team")

    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.ENDED_EARLY
    [to_manager] = Notification.objects.filter(recipient=manager).values_list("message", flat=True)
    assert "Moved to another team" in to_manager
    assert "matched again" in to_manager
    assert Notification.objects.filter(recipient=user, category="mentoring").exists()
    assert AuditEvent.objects.filter(action="mentorship.relationship_ended_early").exists()


def test_ending_early_needs_a_reason(pair: Relationship, mentee: User) -> None:
    with pytest.raises(InvalidInput):
        relationship_finish(actor=mentee, relationship=pair, reason="  ")


def test_a_finished_relationship_cannot_change(
    pair: Relationship, user: User, mentee: User
) -> None:
    relationship_finish(actor=user, relationship=pair)  # asks
    relationship_finish(actor=mentee, relationship=pair)  # confirms: completed
    pair.refresh_from_db()

    with pytest.raises(Conflict):
        goal_add(actor=user, relationship=pair, title="Late goal")
    with pytest.raises(Conflict):
        relationship_finish(actor=user, relationship=pair)


def test_an_ended_pair_frees_the_mentee_for_matching(pair: Relationship, mentee: User) -> None:
    relationship_finish(actor=mentee, relationship=pair, reason="Not a fit")

    assert not Relationship.objects.filter(
        programme=pair.programme, status=Relationship.Status.ACTIVE, members__user=mentee
    ).exists()


def test_a_double_click_logs_one_session(pair: Relationship, user: User) -> None:
    first = _log(pair, user)
    second = _log(pair, user)

    assert first == second
    assert relationship_health(pair).session_count == 1


def test_sharing_the_same_link_twice_keeps_one_resource(pair: Relationship, user: User) -> None:
    from impactcircle.mentorship.relationships.services import resource_add

    resource_add(actor=user, relationship=pair, title="Guide", url="/people/")
    resource_add(actor=user, relationship=pair, title="Guide", url="/people/")

    assert pair.resources.count() == 1


def test_confirming_announces_the_session_once(
    pair: Relationship, user: User, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    from impactcircle.core.events import subscribe, unsubscribe
    from impactcircle.mentorship.relationships.events import SessionConfirmed

    seen: list[SessionConfirmed] = []

    @subscribe(SessionConfirmed, name="tests.remember_sessions")
    def remember(event: SessionConfirmed) -> None:
        seen.append(event)

    try:
        session_id = _log(pair, user)
        with django_capture_on_commit_callbacks(execute=True):
            session_confirm(actor=mentee, relationship=pair, session_id=session_id)
            session_confirm(actor=mentee, relationship=pair, session_id=session_id)
    finally:
        unsubscribe("tests.remember_sessions")

    assert [event.session_id for event in seen] == [session_id]
    assert set(seen[0].member_ids) == {user.pk, mentee.pk}
    assert OutboxEvent.objects.filter(name="mentorship.session_confirmed").count() == 1


def test_a_relationship_created_active_announces_its_start(
    user: User, mentee: User, manager: User
) -> None:
    from impactcircle.mentorship.relationships.services import relationship_create

    programme = ProgrammeFactory(managers=[manager])
    started = relationship_create(programme=programme, mentor=user, mentees=[mentee])
    relationship_create(programme=programme, mentor=mentee, mentees=[user], start=False)

    (event,) = OutboxEvent.objects.filter(name="mentorship.relationship_started")
    assert event.payload == {
        "relationship_id": started.pk,
        "programme_id": programme.pk,
        "mentor_id": user.pk,
        "mentee_ids": [mentee.pk],
        "source_run_id": None,
    }


def test_a_goal_reaching_full_progress_announces_it_once(pair: Relationship, user: User) -> None:
    goal = goal_add(actor=user, relationship=pair, title="Speak at the CSR forum")

    goal_update(actor=user, relationship=pair, goal_id=goal.pk, progress=60)
    goal_update(actor=user, relationship=pair, goal_id=goal.pk, progress=100)
    goal_update(actor=user, relationship=pair, goal_id=goal.pk, title="Speak at the forum")

    (event,) = OutboxEvent.objects.filter(name="mentorship.goal_achieved")
    assert event.payload == {
        "goal_id": goal.pk,
        "relationship_id": pair.pk,
        "programme_id": pair.programme_id,
        "achieved_by_id": user.pk,
    }


def test_finishing_announces_how_the_relationship_ended(pair: Relationship, mentee: User) -> None:
    relationship_finish(actor=mentee, relationship=pair, reason="Not a fit")

    (event,) = OutboxEvent.objects.filter(name="mentorship.relationship_finished")
    assert event.payload == {
        "relationship_id": pair.pk,
        "programme_id": pair.programme_id,
        "ended_early": True,
    }
