"""Self-selection pages and API: the mentee's recommendations, requests, the mentor's answers,
404 for an unrelated member everywhere, and pinned query counts on the list pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.conftest import HttpsClient
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory, bearer

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import MentorRequest, MentorShortlist, Programme, Relationship
from impactcircle.mentorship.selection.services import request_send

pytestmark = pytest.mark.django_db

API = "/api/v1/mentoring/self-selection"


def enrol(programme: Programme, side: str, person: User | None = None, capacity: int = 1) -> User:
    person = person or UserFactory()
    ApplicationFactory(programme=programme, user=person, side=side, capacity=capacity)
    return person


@pytest.fixture
def programme(db: None) -> Programme:
    return ProgrammeFactory(matching_mode="self_selection", rule_min_level_gap=0)


@pytest.fixture
def mentor(programme: Programme) -> User:
    return enrol(programme, "mentor", UserFactory(first_name="Mina", last_name="Mentor"))


@pytest.fixture
def mentee(programme: Programme, user: User) -> User:
    return enrol(programme, "mentee", user)


def _client(person: User) -> Client:
    client = HttpsClient()
    client.force_login(person)
    return client


def test_the_mentee_sees_ranked_mentors_with_reasons(
    programme: Programme, mentee: User, mentor: User
) -> None:
    page = _client(mentee).get(f"/mentoring/programmes/{programme.pk}/mentors/")
    assert page.status_code == 200
    assert "Mina Mentor" in page.text
    assert "Rules respected" in page.text


def test_bookmarking_with_htmx_answers_the_list(
    programme: Programme, mentee: User, mentor: User
) -> None:
    answer = _client(mentee).post(
        f"/mentoring/programmes/{programme.pk}/mentors/{mentor.pk}/bookmark/",
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert 'id="recommendations"' in answer.text
    assert "<html" not in answer.text
    assert MentorShortlist.objects.get(mentee=mentee).kind == "bookmark"


def test_a_request_sent_from_the_page_and_accepted_by_the_mentor(
    programme: Programme, mentee: User, mentor: User
) -> None:
    sent = _client(mentee).post(
        f"/mentoring/programmes/{programme.pk}/mentors/{mentor.pk}/ask/", {"message": "Hi!"}
    )
    assert sent.status_code == 302
    request = MentorRequest.objects.get()
    twin = _client(mentee).post(
        f"/mentoring/programmes/{programme.pk}/mentors/{mentor.pk}/ask/",
        {"message": "Hi again"},
        follow=True,
    )
    assert "already asked" in twin.text
    inbox = _client(mentor).get(f"/mentoring/programmes/{programme.pk}/mentors/requests/")
    assert "Hi!" in inbox.text
    accepted = _client(mentor).post(
        f"/mentoring/programmes/{programme.pk}/mentors/requests/{request.pk}/accept/",
        headers={"HX-Request": "true"},
    )
    assert accepted.status_code == 200
    assert "You now mentor" in accepted.text
    assert Relationship.objects.filter(programme=programme).count() == 1


def test_the_mentor_declines_with_a_reason_the_mentee_sees(
    programme: Programme, mentee: User, mentor: User
) -> None:
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    _client(mentor).post(
        f"/mentoring/programmes/{programme.pk}/mentors/requests/{request.pk}/decline/",
        {"reason": "Fully booked until spring"},
    )
    page = _client(mentee).get(f"/mentoring/programmes/{programme.pk}/mentors/requests/")
    assert "Fully booked until spring" in page.text


def test_an_unrelated_member_gets_404_on_every_page_and_endpoint(
    programme: Programme, mentee: User, mentor: User, other_user: User
) -> None:
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    browser = _client(other_user)
    base = f"/mentoring/programmes/{programme.pk}/mentors"
    for path in (f"{base}/", f"{base}/requests/"):
        assert browser.get(path).status_code == 404, path
    for path in (
        f"{base}/{mentor.pk}/bookmark/",
        f"{base}/{mentor.pk}/dismiss/",
        f"{base}/{mentor.pk}/restore/",
        f"{base}/{mentor.pk}/ask/",
        f"{base}/requests/{request.pk}/accept/",
        f"{base}/requests/{request.pk}/decline/",
        f"{base}/requests/{request.pk}/withdraw/",
    ):
        assert browser.post(path, {"reason": "x"}).status_code == 404, path
    api = HttpsClient(headers=bearer(other_user))
    gets = [
        f"{API}/programmes/{programme.pk}/recommendations",
        f"{API}/programmes/{programme.pk}/requests",
        f"{API}/requests/{request.pk}",
    ]
    for path in gets:
        assert api.get(path).status_code == 404, path
    posts: list[tuple[str, dict[str, Any]]] = [
        (f"{API}/programmes/{programme.pk}/requests", {"mentor_id": mentor.pk}),
        (f"{API}/requests/{request.pk}/accept", {}),
        (f"{API}/requests/{request.pk}/decline", {"reason": "x"}),
        (f"{API}/requests/{request.pk}/withdraw", {}),
    ]
    for path, body in posts:
        assert api.post(path, body, content_type="application/json").status_code == 404, path
    shortlist = f"{API}/programmes/{programme.pk}/shortlist/{mentor.pk}"
    assert (
        api.put(shortlist, {"kind": "bookmark"}, content_type="application/json").status_code == 404
    )
    assert api.delete(shortlist).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_api_flow_recommend_ask_twin_accept(
    programme: Programme, mentee: User, mentor: User
) -> None:
    as_mentee = HttpsClient(headers=bearer(mentee))
    as_mentor = HttpsClient(headers=bearer(mentor))
    found = as_mentee.get(f"{API}/programmes/{programme.pk}/recommendations").json()
    assert [r["mentor_id"] for r in found["recommended"]] == [mentor.pk]
    assert found["recommended"][0]["reasons"] is not None
    shortlist = f"{API}/programmes/{programme.pk}/shortlist/{mentor.pk}"
    assert (
        as_mentee.put(shortlist, {"kind": "dismiss"}, content_type="application/json").status_code
        == 204
    )
    assert as_mentee.get(f"{API}/programmes/{programme.pk}/recommendations").json()["dismissed"]
    assert as_mentee.delete(shortlist).status_code == 204
    sent = as_mentee.post(
        f"{API}/programmes/{programme.pk}/requests",
        {"mentor_id": mentor.pk, "message": "Please"},
        content_type="application/json",
    )
    assert sent.status_code == 201
    twin = as_mentee.post(
        f"{API}/programmes/{programme.pk}/requests",
        {"mentor_id": mentor.pk},
        content_type="application/json",
    )
    assert twin.status_code == 409
    assert "already asked" in twin.json()["message"]
    received = as_mentor.get(f"{API}/programmes/{programme.pk}/requests").json()["received"]
    assert [r["message"] for r in received] == ["Please"]
    request_id = sent.json()["id"]
    assert as_mentee.post(f"{API}/requests/{request_id}/accept").status_code == 403
    empty = as_mentor.post(
        f"{API}/requests/{request_id}/decline", {"reason": ""}, content_type="application/json"
    )
    assert empty.status_code == 422
    accepted = as_mentor.post(f"{API}/requests/{request_id}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["request"]["status"] == "accepted"
    assert Relationship.objects.filter(pk=accepted.json()["relationship_id"]).exists()


def test_the_api_refuses_an_accept_beyond_capacity(programme: Programme, mentor: User) -> None:
    first, second = enrol(programme, "mentee"), enrol(programme, "mentee")
    a = request_send(actor=first, programme_id=programme.pk, mentor_id=mentor.pk)
    b = request_send(actor=second, programme_id=programme.pk, mentor_id=mentor.pk)
    as_mentor = HttpsClient(headers=bearer(mentor))
    assert as_mentor.post(f"{API}/requests/{a.pk}/accept").status_code == 200
    refused = as_mentor.post(f"{API}/requests/{b.pk}/accept")
    assert refused.status_code == 409
    assert "no room left" in refused.json()["message"]


def test_the_recommendations_page_runs_a_bounded_number_of_queries(
    programme: Programme, mentee: User, django_assert_max_num_queries: Any
) -> None:
    for _ in range(2):
        enrol(programme, "mentor")
    browser = _client(mentee)
    path = f"/mentoring/programmes/{programme.pk}/mentors/"
    browser.get(path)
    # among them: the viewer's scope and what the mentors let them see of the reasons
    with django_assert_max_num_queries(25):
        assert browser.get(path).status_code == 200
    for _ in range(8):
        enrol(programme, "mentor", capacity=2)
    with django_assert_max_num_queries(25):
        assert browser.get(path).status_code == 200


def test_the_requests_page_runs_a_bounded_number_of_queries(
    programme: Programme, mentor: User, django_assert_max_num_queries: Any
) -> None:
    browser = _client(mentor)
    path = f"/mentoring/programmes/{programme.pk}/mentors/requests/"
    request_send(actor=enrol(programme, "mentee"), programme_id=programme.pk, mentor_id=mentor.pk)
    with django_assert_max_num_queries(11):
        assert browser.get(path).status_code == 200
    for _ in range(6):
        request_send(
            actor=enrol(programme, "mentee"), programme_id=programme.pk, mentor_id=mentor.pk
        )
    with django_assert_max_num_queries(11):
        assert browser.get(path).status_code == 200


def test_the_programme_page_links_participants_to_self_selection(
    programme: Programme, mentee: User
) -> None:
    page = _client(mentee).get(f"/mentoring/programmes/{programme.pk}/")
    assert f"/mentoring/programmes/{programme.pk}/mentors/" in page.text


def test_a_refused_accept_with_htmx_shows_why_in_the_list(
    programme: Programme, mentor: User
) -> None:
    first, second = enrol(programme, "mentee"), enrol(programme, "mentee")
    a = request_send(actor=first, programme_id=programme.pk, mentor_id=mentor.pk)
    b = request_send(actor=second, programme_id=programme.pk, mentor_id=mentor.pk)
    client = _client(mentor)
    base = f"/mentoring/programmes/{programme.pk}/mentors/requests"
    client.post(f"{base}/{a.pk}/accept/", headers={"HX-Request": "true"})
    refused = client.post(f"{base}/{b.pk}/accept/", headers={"HX-Request": "true"})
    assert refused.status_code == 409
    assert 'id="requests"' in refused.text
    assert "no room left" in refused.text
