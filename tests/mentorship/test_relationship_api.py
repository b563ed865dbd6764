from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from tests.factories import ProgrammeFactory, RelationshipFactory, UserFactory, bearer

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import (
    CheckIn,
    MentoringSession,
    Milestone,
    PrivateNote,
    Relationship,
    RelationshipGoal,
    SharedResource,
)
from impactcircle.mentorship.relationships.services import session_log

pytestmark = pytest.mark.django_db

SECRET = "Private worry nobody else may read"
BASE = "/api/v1/mentoring/relationships"


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


@pytest.fixture
def session(pair: Relationship, user: User) -> MentoringSession:
    return session_log(
        actor=user,
        relationship=pair,
        held_on=date.today(),
        duration_minutes=50,
        topics="Stakeholders",
        shared_notes="Shared plan",
        private_note=SECRET,
    )


def _call(
    client: Client, person: User, method: str, path: str, body: dict[str, Any] | None = None
) -> Any:
    return getattr(client, method)(
        f"{BASE}{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers=bearer(person),
    )


def _every_endpoint(pair: Relationship, session: MentoringSession) -> list[tuple[str, str, Any]]:
    goal = RelationshipGoal.objects.create(relationship=pair, title="Goal")
    milestone = Milestone.objects.create(goal=goal, title="Step")
    resource = SharedResource.objects.create(relationship=pair, title="R", url="/people/")
    check_in = CheckIn.objects.create(
        relationship=pair, user=pair.members.first().user, due_on=date.today()
    )
    r, s = pair.pk, session.pk
    return [
        ("get", f"/{r}", None),
        ("put", f"/{r}/agreement", {"goals": "x"}),
        ("post", f"/{r}/goals", {"title": "x"}),
        ("patch", f"/{r}/goals/{goal.pk}", {"progress": 10}),
        ("delete", f"/{r}/goals/{goal.pk}", None),
        ("post", f"/{r}/goals/{goal.pk}/milestones", {"title": "x"}),
        ("patch", f"/{r}/milestones/{milestone.pk}", {"is_done": True}),
        ("delete", f"/{r}/milestones/{milestone.pk}", None),
        ("post", f"/{r}/sessions", {"held_on": str(date.today()), "duration_minutes": 30}),
        ("post", f"/{r}/sessions/{s}/confirm", None),
        ("get", f"/{r}/sessions/{s}/private-note", None),
        ("put", f"/{r}/sessions/{s}/private-note", {"body": "x"}),
        ("post", f"/{r}/resources", {"title": "x", "url": "/people/"}),
        ("delete", f"/{r}/resources/{resource.pk}", None),
        ("post", f"/{r}/check-ins/{check_in.pk}", {"score": 3}),
        ("post", f"/{r}/complete", None),
        ("post", f"/{r}/complete/withdraw", None),
        ("post", f"/{r}/end-early", {"reason": "x"}),
    ]


def test_an_unrelated_member_gets_404_from_every_endpoint(
    client: Client, pair: Relationship, session: MentoringSession, other_user: User
) -> None:
    for method, path, body in _every_endpoint(pair, session):
        response = _call(client, other_user, method, path, body)
        assert response.status_code == 404, (method, path)
        assert set(response.json()) == {"message", "extra"}
    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.ACTIVE
    assert _call(client, other_user, "get", "").json() == []


def test_a_manager_never_gets_a_private_note_from_any_endpoint(
    client: Client, pair: Relationship, session: MentoringSession, manager: User
) -> None:
    Relationship.objects.filter(pk=pair.pk).update(agreement_confidential=False)
    for method, path, body in _every_endpoint(pair, session):
        response = _call(client, manager, method, path, body)
        assert SECRET not in response.content.decode(), (method, path)
        if method != "get" or path.endswith("private-note"):
            assert response.status_code in (403, 404), (method, path)
    assert PrivateNote.objects.get().body == SECRET


def test_the_manager_view_is_the_health_view(
    client: Client, pair: Relationship, session: MentoringSession, manager: User
) -> None:
    body = _call(client, manager, "get", f"/{pair.pk}").json()

    assert body["viewer_role"] == "manager"
    assert body["health"]["session_count"] == 1
    assert body["sessions"][0]["shared_notes"] is None  # the agreement is confidential
    assert body["sessions"][0]["has_my_private_note"] is False


def test_members_list_and_read_their_relationship(
    client: Client, pair: Relationship, session: MentoringSession, user: User, mentee: User
) -> None:
    [item] = _call(client, mentee, "get", "").json()
    mine = _call(client, user, "get", f"/{pair.pk}").json()
    theirs = _call(client, mentee, "get", f"/{pair.pk}").json()

    assert item["id"] == pair.pk
    assert item["my_side"] == "mentee"
    assert mine["sessions"][0]["has_my_private_note"] is True
    assert theirs["sessions"][0]["has_my_private_note"] is False
    assert theirs["sessions"][0]["may_confirm"] is True
    assert SECRET not in json.dumps(theirs)


def test_only_the_author_reads_their_private_note(
    client: Client, pair: Relationship, session: MentoringSession, user: User, mentee: User
) -> None:
    path = f"/{pair.pk}/sessions/{session.pk}/private-note"

    assert _call(client, user, "get", path).json()["body"] == SECRET
    assert _call(client, mentee, "get", path).json()["body"] == ""


def test_the_whole_space_through_the_api(
    client: Client, pair: Relationship, user: User, mentee: User
) -> None:
    r = pair.pk
    assert (
        _call(
            client, user, "put", f"/{r}/agreement", {"goals": "Grow", "cadence_days": 10}
        ).status_code
        == 200
    )
    goal = _call(client, user, "post", f"/{r}/goals", {"title": "Lead a project"}).json()
    milestone = _call(
        client, mentee, "post", f"/{r}/goals/{goal['id']}/milestones", {"title": "Plan"}
    ).json()
    _call(client, mentee, "patch", f"/{r}/milestones/{milestone['id']}", {"is_done": True})
    _call(client, mentee, "patch", f"/{r}/goals/{goal['id']}", {"progress": 40})
    logged = _call(
        client,
        user,
        "post",
        f"/{r}/sessions",
        {"held_on": str(date.today()), "duration_minutes": 45, "private_note": "mine"},
    )
    session_id = logged.json()["sessions"][0]["id"]
    confirmed = _call(client, mentee, "post", f"/{r}/sessions/{session_id}/confirm").json()
    resource = _call(
        client, user, "post", f"/{r}/resources", {"title": "Guide", "url": "https://example.org/g"}
    )
    asked = _call(client, user, "post", f"/{r}/complete").json()
    done = _call(client, mentee, "post", f"/{r}/complete").json()

    assert logged.status_code == 201
    assert confirmed["health"]["confirmed_session_count"] == 1
    assert confirmed["health"]["last_session_on"] == str(date.today())
    assert confirmed["goals"][0]["progress"] == 40
    assert confirmed["goals"][0]["milestones"][0]["is_done"] is True
    assert confirmed["agreement"] == {"goals": "Grow", "cadence_days": 10, "is_confidential": True}
    assert resource.status_code == 201
    assert asked["status"] == "active"
    assert asked["completion_requested_by_id"] == user.pk
    assert done["status"] == "completed"


def test_invalid_input_answers_the_error_envelope(
    client: Client, pair: Relationship, user: User
) -> None:
    bad_url = _call(
        client, user, "post", f"/{pair.pk}/resources", {"title": "x", "url": "http://a.org"}
    )
    bad_score = _call(client, user, "post", f"/{pair.pk}/goals", {"title": ""})
    future = _call(
        client,
        user,
        "post",
        f"/{pair.pk}/sessions",
        {"held_on": "2030-01-01", "duration_minutes": 30},
    )

    assert bad_url.status_code == 422
    assert "url" in bad_url.json()["extra"]["fields"]
    assert bad_score.status_code == 422
    assert future.status_code == 422
    assert "held_on" in future.json()["extra"]["fields"]
    assert not SharedResource.objects.exists()


def test_answering_my_check_in(client: Client, pair: Relationship, mentee: User) -> None:
    check_in = CheckIn.objects.create(relationship=pair, user=mentee, due_on=date.today())

    answered = _call(client, mentee, "post", f"/{pair.pk}/check-ins/{check_in.pk}", {"score": 5})
    out_of_range = _call(
        client, mentee, "post", f"/{pair.pk}/check-ins/{check_in.pk}", {"score": 6}
    )

    assert answered.json()["score"] == 5
    assert out_of_range.status_code == 422


def test_ending_early_through_the_api_offers_rematching(
    client: Client, pair: Relationship, mentee: User
) -> None:
    from tests.factories import ApplicationFactory

    ApplicationFactory(programme=pair.programme, user=mentee, side="mentee", status="accepted")

    body = _call(client, mentee, "post", f"/{pair.pk}/end-early", {"reason": "Not a fit"}).json()

    assert body["status"] == "ended_early"
    assert body["end_reason"] == "Not a fit"
    assert body["rematch_offered"] is True


@pytest.mark.parametrize("sessions", [1, 20])
def test_the_detail_endpoint_runs_a_fixed_number_of_queries(
    client: Client,
    pair: Relationship,
    user: User,
    sessions: int,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(sessions):
        session_log(
            actor=user,
            relationship=pair,
            held_on=date.today(),
            duration_minutes=30 + number,
            private_note="n",
        )
    headers = bearer(user)

    with django_assert_max_num_queries(13):
        response = client.get(f"{BASE}/{pair.pk}", headers=headers)

    assert len(response.json()["sessions"]) == sessions
