"""A programme's manage page: applications a page at a time, filtered, decided in place."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory
from tests.mentorship.many_applications import add_applications

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.programmes.selectors import APPLICATIONS_PER_PAGE

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr id="application-(\d+)"')
HTMX = {"HX-Request": "true"}


@pytest.fixture
def manager() -> User:
    return UserFactory()


@pytest.fixture
def programme(manager: User) -> Programme:
    return ProgrammeFactory(managers=[manager])


@pytest.fixture
def client(client: Client, manager: User) -> Client:
    """The project's HTTPS test client, signed in as the programme's manager."""
    client.force_login(manager)
    return client


def _url(programme: Programme, query: str = "") -> str:
    return f"/mentoring/programmes/{programme.pk}/manage/" + (f"?{query}" if query else "")


def _rows(response: Any) -> list[int]:
    return [int(found) for found in ROW.findall(response.content.decode())]


@pytest.mark.parametrize("applications", [10, 200])
def test_the_page_runs_the_same_number_of_queries_for_10_and_200_applications(
    client: Client, programme: Programme, applications: int, django_assert_max_num_queries: Any
) -> None:
    add_applications(programme, applications)
    client.get(_url(programme))  # warm the session

    # session, user, programme, manager role, counts (one aggregate), unread notifications,
    # runs, questions, the page of applications
    with django_assert_max_num_queries(9):
        page = client.get(_url(programme))
    with django_assert_max_num_queries(10):  # a name search counts its matches
        searched = client.get(_url(programme, "q=Applicant&side=mentee"))

    assert page.status_code == searched.status_code == 200
    assert len(_rows(searched)) == min(applications // 2, APPLICATIONS_PER_PAGE)
    assert len(_rows(page)) == min(applications, APPLICATIONS_PER_PAGE)
    assert page.content.decode().count('class="decision-form"') == min(applications, 25)


def test_the_page_stays_small_with_2500_applications(client: Client, programme: Programme) -> None:
    add_applications(programme, 2500)

    page = client.get(_url(programme))

    assert page.status_code == 200
    assert len(page.content) < 150_000  # it was 3.2 MB with every application on one page
    assert "Showing 1–25 of 2500" in page.content.decode()
    assert "Page 1 of 100" in page.content.decode()


def test_status_side_and_name_filters_narrow_the_list(client: Client, programme: Programme) -> None:
    add_applications(programme, 30)
    waiting = Application.objects.filter(programme=programme, status="submitted")
    waiting_mentees = waiting.filter(side="mentee")

    by_status = client.get(_url(programme, "status=submitted"))
    by_both = client.get(_url(programme, "status=submitted&side=mentee"))
    by_name = client.get(_url(programme, "q=number7"))  # Number7 only: no Number17 among 30
    by_full_name = client.get(_url(programme, "q=Applicant+Number12"))

    assert sorted(_rows(by_status)) == sorted(waiting.values_list("pk", flat=True))
    assert sorted(_rows(by_both)) == sorted(waiting_mentees.values_list("pk", flat=True))
    assert len(_rows(by_name)) == 1
    assert _rows(by_full_name) == [
        Application.objects.get(programme=programme, user__last_name="Number12").pk
    ]


def test_counts_per_status_are_shown_whatever_the_filter(
    client: Client, programme: Programme
) -> None:
    add_applications(programme, 30)  # 6 waiting, 12 accepted, 6 waitlisted, 6 declined

    body = client.get(_url(programme, "status=declined&side=mentor")).content.decode()

    assert 'Waiting for a decision <span class="muted">(6)</span>' in body
    assert 'Accepted <span class="muted">(12)</span>' in body
    assert 'aria-current="true">Declined <span class="muted">(6)</span>' in body
    assert 'All <span class="muted">(30)</span>' in body
    # The status links keep the other filters.
    assert 'href="?side=mentor&amp;status=accepted#applications-heading"' in body


def test_pages_follow_the_query_string_and_keep_the_filters(
    client: Client, programme: Programme
) -> None:
    add_applications(programme, 100)  # 40 accepted

    first = client.get(_url(programme, "status=accepted"))
    second = client.get(_url(programme, "status=accepted&page=2"))

    assert len(_rows(first)) == 25
    assert len(_rows(second)) == 15
    assert not set(_rows(first)) & set(_rows(second))
    assert 'href="?status=accepted&amp;page=2"' in first.content.decode()
    assert "Showing 26–40 of 40" in second.content.decode()


@pytest.mark.parametrize(
    ("page", "shown"),
    [("abc", 1), ("", 1), ("0", 1), ("-3", 1), ("4", 4), ("99", 4), ("9" * 30, 4),
     ("9" * 5000, 4), ("²", 1), ("1e3", 1), ("2.0", 1)],
)  # fmt: skip
def test_page_numbers_that_are_not_pages_are_clamped(
    client: Client, programme: Programme, page: str, shown: int
) -> None:
    add_applications(programme, 80)

    response = client.get(_url(programme), {"page": page})

    assert response.status_code == 200
    assert f"Page {shown} of 4" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [({"status": "pending-ish"}, "Status"), ({"side": "both"}, "Applying as"),
     ({"q": "x" * 101}, "Name or email")],
)  # fmt: skip
def test_filters_that_are_not_filters_say_so(
    client: Client, programme: Programme, query: dict[str, str], field: str
) -> None:
    add_applications(programme, 3)

    page = client.get(_url(programme), query)
    fragment = client.get(_url(programme), query, headers=HTMX)

    assert page.status_code == fragment.status_code == 422
    assert f"These filters cannot be used: {field}" in page.content.decode()
    assert _rows(page) == []  # never silently everything
    assert "These filters cannot be used" in fragment.content.decode()


def test_htmx_gets_only_the_list(client: Client, programme: Programme) -> None:
    add_applications(programme, 3)  # waiting, accepted, accepted

    fragment = client.get(_url(programme, "status=accepted"), headers=HTMX)

    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="applications"')
    assert "<html" not in body
    assert "Run the matching" not in body
    assert len(_rows(fragment)) == 2


def test_deciding_returns_to_the_same_filters_and_page(
    client: Client, programme: Programme
) -> None:
    add_applications(programme, 150)  # 30 waiting: two pages
    second_page = _rows(client.get(_url(programme, "status=submitted&page=2")))
    chosen = second_page[0]

    response = client.post(
        f"/mentoring/applications/{chosen}/decide/",
        {"decision": "accept", "status": "submitted", "page": "2"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"/mentoring/programmes/{programme.pk}/manage/?status=submitted&page=2#applications-heading"
    )
    after = client.get(response["Location"])
    assert chosen not in _rows(after)
    assert "Showing 26–29 of 29" in after.content.decode()


def test_deciding_with_htmx_swaps_the_list_and_the_decided_one_leaves_the_filter(
    client: Client, programme: Programme
) -> None:
    add_applications(programme, 10)
    waiting = _rows(client.get(_url(programme, "status=submitted")))

    response = client.post(
        f"/mentoring/applications/{waiting[0]}/decide/",
        {"decision": "waitlist", "status": "submitted", "page": "1"},
        headers=HTMX,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="applications"')
    assert _rows(response) == waiting[1:]
    assert "Applicant Number0: waitlisted." in body
    assert 'Waiting for a decision <span class="muted">(1)</span>' in body


def test_a_refused_decision_keeps_the_row_with_its_error(
    client: Client, programme: Programme
) -> None:
    application = ApplicationFactory(programme=programme, status="submitted")

    response = client.post(
        f"/mentoring/applications/{application.pk}/decide/",
        {"decision": "decline", "reason": "", "status": "submitted"},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert _rows(response) == [application.pk]
    assert "Tell the applicant why." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_another_programmes_manager_cannot_page_or_filter(
    client: Client, programme: Programme
) -> None:
    add_applications(programme, 30)
    other_manager = UserFactory()
    ProgrammeFactory(managers=[other_manager])
    outsider = client
    outsider.force_login(other_manager)

    for query in ("", "status=submitted&page=2", "q=Applicant"):
        response = outsider.get(_url(programme, query), headers=HTMX)
        assert response.status_code in {403, 404}
        assert "Applicant" not in response.content.decode()


def _api(programme: Programme) -> str:
    return f"/api/v1/mentoring/programmes/{programme.pk}/applications"


def test_the_api_lists_applications_a_page_at_a_time_with_the_same_filters(
    client: Client, programme: Programme, manager: User
) -> None:
    from tests.factories import bearer

    add_applications(programme, 100)  # 20 waiting, 10 of them mentors

    first = client.get(_api(programme), headers=bearer(manager)).json()
    waiting_mentors = client.get(
        _api(programme), {"status": "submitted", "side": "mentor"}, headers=bearer(manager)
    ).json()
    named = client.get(_api(programme), {"q": "Number42"}, headers=bearer(manager)).json()
    last = client.get(_api(programme), {"page": 2, "page_size": 60}, headers=bearer(manager))

    assert first["count"] == 100
    assert len(first["items"]) == 25
    assert waiting_mentors["count"] == 10
    assert {(item["status"], item["side"]) for item in waiting_mentors["items"]} == {
        ("submitted", "mentor")
    }
    assert [item["user_id"] for item in named["items"]] == [
        User.objects.get(last_name="Number42").pk
    ]
    assert len(last.json()["items"]) == 40


@pytest.mark.parametrize(
    "query",
    [{"status": "pending-ish"}, {"side": "both"}, {"q": "x" * 101}, {"page": 2**53},
     {"page": 0}, {"page": "abc"}],
)  # fmt: skip
def test_the_api_refuses_filters_and_pages_that_are_not_ones(
    client: Client, programme: Programme, manager: User, query: dict[str, object]
) -> None:
    from tests.factories import bearer

    response = client.get(_api(programme), query, headers=bearer(manager))

    assert response.status_code == 422
    assert response.json()["extra"]["fields"]


@pytest.mark.parametrize("applications", [10, 200])
def test_the_api_list_runs_a_fixed_number_of_queries(
    client: Client,
    programme: Programme,
    manager: User,
    applications: int,
    django_assert_max_num_queries: Any,
) -> None:
    from tests.factories import bearer

    add_applications(programme, applications)
    client.logout()  # the token alone
    headers = bearer(manager)

    # token (read, mark used), programme, manager role, the page, the count
    with django_assert_max_num_queries(6):
        response = client.get(_api(programme), {"status": "accepted"}, headers=headers)

    assert response.json()["count"] == applications * 2 // 5
