from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils.html import escape
from tests.factories import ProgrammeFactory, RelationshipFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import (
    MentoringSession,
    PrivateNote,
    Relationship,
    RelationshipGoal,
    SessionConfirmation,
    SharedResource,
)
from impactcircle.mentorship.relationships.services import session_log

pytestmark = pytest.mark.django_db

SECRET = "Worried about my manager — for my eyes only"


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(email="maya@example.com", first_name="Maya", last_name="Manager")


@pytest.fixture
def mentee(db: None) -> User:
    return UserFactory(email="tomo@example.com", first_name="Tomo", last_name="Mentee")


@pytest.fixture
def pair(user: User, mentee: User, manager: User) -> Relationship:
    """`user` (Ana) mentors Tomo; Maya manages the programme."""
    return RelationshipFactory(
        programme=ProgrammeFactory(managers=[manager]), mentor=user, mentees=[mentee]
    )


@pytest.fixture
def logged(pair: Relationship, user: User) -> MentoringSession:
    return session_log(
        actor=user,
        relationship=pair,
        held_on=date.today(),
        duration_minutes=45,
        topics="Impact measurement",
        shared_notes="We **agreed** on a plan",
        private_note=SECRET,
    )


def _client(person: User) -> Client:
    from tests.conftest import HttpsClient

    client = HttpsClient()
    client.force_login(person)
    return client


def _action(pair: Relationship, action: str, item: int | None = None) -> str:
    base = f"/mentoring/relationships/{pair.pk}/{action}/"
    return f"{base}{item}/" if item is not None else base


def test_my_relationships_lists_the_pair(pair: Relationship, user: User) -> None:
    response = _client(user).get("/mentoring/relationships/")

    assert response.status_code == 200
    assert "Tomo Mentee" in response.text


def test_member_sees_the_space_with_their_own_private_note(
    logged: MentoringSession, pair: Relationship, user: User
) -> None:
    response = _client(user).get(f"/mentoring/relationships/{pair.pk}/")

    assert response.status_code == 200
    assert "Impact measurement" in response.text
    assert "<strong>agreed</strong>" in response.text
    assert SECRET in response.text


def test_the_other_member_never_sees_the_authors_private_note(
    logged: MentoringSession, pair: Relationship, mentee: User
) -> None:
    response = _client(mentee).get(f"/mentoring/relationships/{pair.pk}/")

    assert response.status_code == 200
    assert "Impact measurement" in response.text
    assert SECRET not in response.text
    assert "Confirm this session took place" in response.text


def test_manager_sees_health_but_no_private_note_and_no_confidential_notes(
    logged: MentoringSession, pair: Relationship, manager: User
) -> None:
    response = _client(manager).get(f"/mentoring/relationships/{pair.pk}/")

    assert response.status_code == 200
    assert "Health" in response.text
    assert SECRET not in response.text
    assert "agreed" not in response.text
    assert "Log a session" not in response.text


def test_manager_sees_shared_notes_when_not_confidential_but_never_private_ones(
    logged: MentoringSession, pair: Relationship, manager: User
) -> None:
    Relationship.objects.filter(pk=pair.pk).update(agreement_confidential=False)

    response = _client(manager).get(f"/mentoring/relationships/{pair.pk}/")

    assert "<strong>agreed</strong>" in response.text
    assert SECRET not in response.text


def test_manager_may_not_change_the_relationship(pair: Relationship, manager: User) -> None:
    response = _client(manager).post(_action(pair, "goals"), {"title": "Sneaky"})

    assert response.status_code == 403
    assert not RelationshipGoal.objects.exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("agreement", {"goals": "x", "cadence_days": 7}),
        ("goals", {"title": "x"}),
        ("sessions", {"held_on": "2026-11-01", "duration_minutes": 30}),
        ("resources", {"title": "x", "url": "/people/"}),
        ("complete", {}),
        ("complete-withdraw", {}),
        ("end-early", {"reason": "x"}),
    ],
)
def test_an_unrelated_member_gets_404_for_every_action(
    pair: Relationship, other_user: User, action: str, data: dict[str, object]
) -> None:
    response = _client(other_user).post(_action(pair, action), data)

    assert response.status_code == 404
    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.ACTIVE


@pytest.mark.parametrize(
    "action",
    ["session-confirm", "private-note", "goal-progress", "milestones", "check-in"],
)
def test_an_unrelated_member_gets_404_for_item_actions(
    logged: MentoringSession, pair: Relationship, other_user: User, action: str
) -> None:
    response = _client(other_user).post(_action(pair, action, logged.pk), {"body": "x"})

    assert response.status_code == 404
    assert not SessionConfirmation.objects.exists()


def test_an_unrelated_member_gets_404_for_the_page(pair: Relationship, other_user: User) -> None:
    client = _client(other_user)

    assert client.get(f"/mentoring/relationships/{pair.pk}/").status_code == 404
    assert pair.programme.name not in client.get("/mentoring/relationships/").text


def test_logging_a_session_with_htmx_answers_the_sessions_section(
    pair: Relationship, user: User
) -> None:
    response = _client(user).post(
        _action(pair, "sessions"),
        {
            "held_on": date.today().isoformat(),
            "duration_minutes": 60,
            "topics": "Budgets",
            "private_note": SECRET,
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert 'id="sessions"' in response.text
    assert "<html" not in response.text
    assert "Budgets" in response.text
    assert PrivateNote.objects.get().body == SECRET


def test_a_session_in_the_future_answers_422_with_the_reason(
    pair: Relationship, user: User
) -> None:
    response = _client(user).post(
        _action(pair, "sessions"),
        {"held_on": (date.today() + timedelta(days=5)).isoformat(), "duration_minutes": 60},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "once it has happened" in response.text
    assert not MentoringSession.objects.exists()


def test_sessions_are_numbered_from_the_first_in_the_order_they_were_held(
    pair: Relationship, user: User
) -> None:
    today = date.today()
    logged_in_this_order = [
        (today - timedelta(days=1), "Yesterday's talk"),
        (today - timedelta(days=10), "The first talk"),
        (today - timedelta(days=5), "A talk five days ago"),
        (today - timedelta(days=5), "A second talk that day"),
    ]
    for held_on, topics in logged_in_this_order:
        MentoringSession.objects.create(
            relationship=pair, held_on=held_on, duration_minutes=30, topics=topics, logged_by=user
        )

    page = _client(user).get(f"/mentoring/relationships/{pair.pk}/").text

    log = page[page.index('class="session-log"') :]
    log = log[: log.index("</ol>")]
    # an <ol> that is not `reversed` numbers its items 1, 2, 3… from the top
    assert page[: page.index('class="session-log"')].endswith("<ol ")
    assert " reversed" not in log[: log.index(">")]
    held_order = [
        "The first talk",
        "A talk five days ago",
        "A second talk that day",
        "Yesterday's talk",
    ]
    positions = [log.index(escape(topics)) for topics in held_order]
    assert positions == sorted(positions)


def test_no_sessions_yet_is_not_a_numbered_session(pair: Relationship, user: User) -> None:
    page = _client(user).get(f"/mentoring/relationships/{pair.pk}/").text

    assert "No sessions logged yet" in page
    assert 'class="session-log"' not in page


def test_counts_of_one_are_singular_on_the_relationship_page(
    pair: Relationship, user: User
) -> None:
    Relationship.objects.filter(pk=pair.pk).update(agreement_cadence_days=1)
    goal = RelationshipGoal.objects.create(relationship=pair, title="Speak at the town hall")
    goal.milestones.create(title="Draft the talk")

    page = _client(user).get(f"/mentoring/relationships/{pair.pk}/").text

    assert "0 of 1 milestone done" in page
    assert "every day" in page
    assert "every 1 days" not in page


def test_confirming_a_session_on_the_page(
    logged: MentoringSession, pair: Relationship, mentee: User
) -> None:
    response = _client(mentee).post(_action(pair, "session-confirm", logged.pk))

    assert response.status_code == 302
    assert Relationship.objects.get(pk=pair.pk).last_session_on == logged.held_on


def test_a_resource_link_must_be_on_site_or_https(pair: Relationship, user: User) -> None:
    client = _client(user)

    bad = client.post(_action(pair, "resources"), {"title": "x", "url": "javascript:alert(1)"})
    good = client.post(_action(pair, "resources"), {"title": "Guide", "url": "https://a.org/g"})

    assert bad.status_code == 422
    assert good.status_code == 302
    assert list(SharedResource.objects.values_list("url", flat=True)) == ["https://a.org/g"]


def test_ending_early_offers_rematching(pair: Relationship, mentee: User) -> None:
    from tests.factories import ApplicationFactory

    ApplicationFactory(programme=pair.programme, user=mentee, side="mentee", status="accepted")
    client = _client(mentee)

    client.post(_action(pair, "end-early"), {"reason": "Different time zones", "confirm": "yes"})
    page = client.get(f"/mentoring/relationships/{pair.pk}/")

    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.ENDED_EARLY
    assert "can be matched again" in page.text


def test_answering_a_check_in_on_the_page(pair: Relationship, mentee: User) -> None:
    check_in = pair.check_ins.create(user=mentee, due_on=date.today())

    response = _client(mentee).post(
        _action(pair, "check-in", check_in.pk), {"score": 4}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    check_in.refresh_from_db()
    assert check_in.score == 4


def _add_sessions(pair: Relationship, author: User, confirmer: User, count: int) -> None:
    for number in range(count):
        session = MentoringSession.objects.create(
            relationship=pair,
            held_on=date.today() - timedelta(days=number),
            duration_minutes=30,
            logged_by=author,
        )
        SessionConfirmation.objects.create(session=session, user=confirmer)
        PrivateNote.objects.create(session=session, author=author, body=f"note {number}")
    goal = RelationshipGoal.objects.create(relationship=pair, title=f"Goal {count}")
    goal.milestones.create(title="First step")
    SharedResource.objects.create(relationship=pair, title="Guide", url="/people/")


@pytest.mark.parametrize("sessions", [1, 20])
def test_the_space_runs_a_fixed_number_of_queries(
    pair: Relationship,
    user: User,
    mentee: User,
    sessions: int,
    django_assert_max_num_queries: object,
) -> None:
    _add_sessions(pair, user, mentee, sessions)
    client = _client(user)
    client.get(f"/mentoring/relationships/{pair.pk}/")  # warm the session

    # session, user, the relationship, its members, goals, milestones, sessions, their
    # confirmations, my notes, my open check-ins, resources, health (sessions, goals with
    # milestones, check-ins), the unread count; no reasons stored: no viewer scope
    with django_assert_max_num_queries(15):  # type: ignore[operator]  # pytest-django fixture
        response = client.get(f"/mentoring/relationships/{pair.pk}/")

    assert response.status_code == 200


def test_the_managers_health_view_runs_a_fixed_number_of_queries(
    pair: Relationship, manager: User, django_assert_max_num_queries: object
) -> None:
    _add_sessions(
        pair, pair.members.get(side="mentor").user, pair.members.get(side="mentee").user, 5
    )
    client = _client(manager)
    client.get(f"/mentoring/relationships/{pair.pk}/")

    # no private notes and no check-ins of their own to read
    with django_assert_max_num_queries(13):  # type: ignore[operator]  # pytest-django fixture
        response = client.get(f"/mentoring/relationships/{pair.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("pairs", [1, 20])
def test_my_list_runs_a_fixed_number_of_queries(
    user: User, pairs: int, django_assert_max_num_queries: object
) -> None:
    for _ in range(pairs):
        pair = RelationshipFactory(mentor=user)
        _add_sessions(pair, user, pair.members.exclude(user=user).get().user, 2)
    client = _client(user)
    client.get("/mentoring/relationships/")

    # session, user, relationships, members, health (3), the unread count
    with django_assert_max_num_queries(8):  # type: ignore[operator]  # pytest-django fixture
        response = client.get("/mentoring/relationships/")

    assert response.status_code == 200


def test_the_home_card_shows_my_pair_and_a_waiting_check_in(
    pair: Relationship, mentee: User
) -> None:
    pair.check_ins.create(user=mentee, due_on=date.today())

    response = _client(mentee).get("/")

    assert "Your mentoring" in response.text
    assert f"/mentoring/relationships/{pair.pk}/#check-in" in response.text


@pytest.mark.parametrize("pairs", [1, 5])
def test_the_home_card_runs_three_queries_however_many_pairs(
    user: User, pairs: int, django_assert_num_queries: object
) -> None:
    from django.test import RequestFactory

    from impactcircle.mentorship.relationships.home import mentoring_card

    for _ in range(pairs):
        pair = RelationshipFactory(mentor=user)
        pair.check_ins.create(user=user, due_on=date.today())
    request = RequestFactory().get("/")
    request.user = user

    # my active relationships, their members, my open check-ins: no health figures
    with django_assert_num_queries(3):  # type: ignore[operator]  # pytest-django fixture
        card = mentoring_card(request)

    assert card is not None
    assert len(card.context["summaries"]) == min(pairs, 3)


def test_the_home_page_with_mentoring_runs_a_bounded_number_of_queries(
    user: User, django_assert_max_num_queries: object
) -> None:
    for _ in range(5):
        RelationshipFactory(mentor=user).check_ins.create(user=user, due_on=date.today())
    client = _client(user)
    client.get("/")

    with django_assert_max_num_queries(14):  # type: ignore[operator]  # pytest-django fixture
        response = client.get("/")

    assert "Your mentoring" in response.text


def test_no_home_card_without_mentoring(other_user: User) -> None:
    assert "Your mentoring" not in _client(other_user).get("/").text


def test_the_space_has_no_duplicate_element_ids(
    logged: MentoringSession, pair: Relationship, mentee: User
) -> None:
    import re

    pair.check_ins.create(user=mentee, due_on=date.today())
    RelationshipGoal.objects.create(relationship=pair, title="Goal")

    html = _client(mentee).get(f"/mentoring/relationships/{pair.pk}/").text
    ids = re.findall(r'\sid="([^"]+)"', html)

    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def _every_page_action(
    pair: Relationship, session: MentoringSession
) -> list[tuple[str, int | None]]:
    goal = RelationshipGoal.objects.create(relationship=pair, title="Goal")
    milestone = goal.milestones.create(title="Step")
    resource = SharedResource.objects.create(relationship=pair, title="R", url="/people/")
    check_in = pair.check_ins.create(user=pair.members.first().user, due_on=date.today())
    return [
        ("agreement", None),
        ("goals", None),
        ("goal-progress", goal.pk),
        ("goal-delete", goal.pk),
        ("milestones", goal.pk),
        ("milestone-done", milestone.pk),
        ("milestone-undone", milestone.pk),
        ("milestone-delete", milestone.pk),
        ("sessions", None),
        ("session-confirm", session.pk),
        ("private-note", session.pk),
        ("resources", None),
        ("resource-delete", resource.pk),
        ("check-in", check_in.pk),
        ("complete", None),
        ("complete-withdraw", None),
        ("end-early", None),
    ]


_FORM = {
    "goals": "x",
    "title": "x",
    "progress": 5,
    "held_on": "2026-11-01",
    "duration_minutes": 30,
    "url": "/people/",
    "body": "x",
    "score": 3,
    "reason": "x",
}


def test_every_page_action_is_404_for_an_unrelated_member(
    logged: MentoringSession, pair: Relationship, other_user: User
) -> None:
    client = _client(other_user)
    for action, item in _every_page_action(pair, logged):
        response = client.post(_action(pair, action, item), _FORM)
        assert response.status_code == 404, action
    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.ACTIVE
    assert PrivateNote.objects.get().body == SECRET


def test_no_page_answer_to_a_manager_holds_a_private_note(
    logged: MentoringSession, pair: Relationship, manager: User
) -> None:
    from impactcircle.notifications.models import Notification

    Relationship.objects.filter(pk=pair.pk).update(agreement_confidential=False)
    client = _client(manager)
    for action, item in _every_page_action(pair, logged):
        response = client.post(_action(pair, action, item), _FORM, headers={"HX-Request": "true"})
        assert response.status_code in (403, 404), action
        assert SECRET not in response.content.decode(), action
    for path in ("/", "/mentoring/relationships/", f"/mentoring/relationships/{pair.pk}/"):
        assert SECRET not in client.get(path).text
    assert all(SECRET not in n.message for n in Notification.objects.filter(recipient=manager))
    assert PrivateNote.objects.get().body == SECRET


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_neither_fails_the_page_nor_loses_the_event(
    logged: MentoringSession, pair: Relationship, mentee: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The confirmation commits and answers as usual (the test settings even run the delivery
    inside the request, right after the commit); the worker's periodic job retries the
    subscriber until it succeeds."""
    from datetime import datetime

    from django.utils import timezone

    from impactcircle.core.events import subscribe, unsubscribe
    from impactcircle.core.models import EventDelivery
    from impactcircle.core.schedule import periodic_jobs
    from impactcircle.mentorship.relationships.events import SessionConfirmed

    counted: list[int] = []
    outage = ["the points service is down"]

    @subscribe(SessionConfirmed, name="tests.count_sessions")
    def count(event: SessionConfirmed) -> None:
        if outage:
            raise RuntimeError(outage.pop())
        counted.append(event.session_id)

    try:
        response = _client(mentee).post(_action(pair, "session-confirm", logged.pk))

        assert response.status_code == 302
        assert SessionConfirmation.objects.filter(session=logged, user=mentee).exists()
        delivery = EventDelivery.objects.get(subscriber="tests.count_sessions")
        assert (delivery.attempts, delivery.handled_at, counted) == (1, None, [])
        assert "the points service is down" in delivery.last_error

        later = timezone.now() + timedelta(seconds=10)
        monkeypatch.setattr("django.utils.timezone.now", lambda: later)
        retry = {job.name: job for job in periodic_jobs()}["core.deliver_due_events"]
        retry.task.enqueue(scheduled_for=later.isoformat())
    finally:
        unsubscribe("tests.count_sessions")

    delivery.refresh_from_db()
    assert counted == [logged.pk]
    assert (delivery.attempts, delivery.last_error) == (2, "")
    assert isinstance(delivery.handled_at, datetime)
