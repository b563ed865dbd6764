from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.factories import NotificationFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.notifications.models import Notification

pytestmark = pytest.mark.django_db

CENTRE = "/notifications/"


def _header_label(html: str) -> str:
    match = re.search(r'id="header-notifications"[^>]*aria-label="([^"]+)"', html)
    assert match, "the header link is missing"
    return match.group(1)


def test_the_centre_lists_ones_own_notifications_newest_first(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    NotificationFactory(recipient=user, message="older")
    NotificationFactory(recipient=user, message="newer")
    NotificationFactory(recipient=other_user, message="not yours")

    page = signed_in_client.get(CENTRE).content.decode()

    assert page.index("newer") < page.index("older")
    assert "not yours" not in page


def test_a_message_is_escaped_on_display(signed_in_client: Client, user: User) -> None:
    NotificationFactory(recipient=user, message="<script>alert(1)</script>")

    page = signed_in_client.get(CENTRE).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_centre_needs_a_signed_in_person(client: Client, db: None) -> None:
    response = client.get(CENTRE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_unread_filter_shows_only_unread(signed_in_client: Client, user: User) -> None:
    NotificationFactory(recipient=user, message="still new")
    read = NotificationFactory(recipient=user, message="already seen")
    signed_in_client.post(f"{CENTRE}{read.pk}/read/")

    page = signed_in_client.get(CENTRE, {"show": "unread"}).content.decode()

    assert "still new" in page
    assert "already seen" not in page


def test_the_list_is_paginated_with_bounded_queries(
    signed_in_client: Client, user: User, django_assert_max_num_queries
) -> None:
    actors = UserFactory.create_batch(3)
    NotificationFactory.create_batch(2, recipient=user, actor=actors[0])
    signed_in_client.get(CENTRE)  # the session's "last seen" write happens here
    with CaptureQueriesContext(connection) as few:
        signed_in_client.get(CENTRE)
    for number in range(43):
        NotificationFactory(recipient=user, actor=actors[number % 3])

    with django_assert_max_num_queries(len(few.captured_queries)):
        first = signed_in_client.get(CENTRE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        last = signed_in_client.get(CENTRE, {"page": 3})

    # session, user, (the viewer's time zone), header count, page count, one page with actors
    assert len(few.captured_queries) <= 7
    assert first.content.decode().count('class="card"') == 20
    assert last.content.decode().count('class="card"') == 5
    assert "Page 3 of 3" in last.content.decode()


def test_marking_one_read_with_htmx_updates_it_and_the_header(
    signed_in_client: Client, user: User
) -> None:
    notification = NotificationFactory(recipient=user)
    NotificationFactory(recipient=user)

    response = signed_in_client.post(
        f"{CENTRE}{notification.pk}/read/", headers={"HX-Request": "true"}
    )

    notification.refresh_from_db()
    assert notification.read_at is not None
    body = response.content.decode()
    assert f'id="notification-{notification.pk}"' in body
    assert 'hx-swap-oob="true"' in body
    assert _header_label(body) == "Notifications, 1 unread"


def test_marking_one_read_without_htmx_redirects_back(signed_in_client: Client, user: User) -> None:
    notification = NotificationFactory(recipient=user)

    response = signed_in_client.post(f"{CENTRE}{notification.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == CENTRE


def test_someone_elses_notification_cannot_be_marked_read_and_answers_404(
    signed_in_client: Client, other_user: User
) -> None:
    theirs = NotificationFactory(recipient=other_user)

    response = signed_in_client.post(f"{CENTRE}{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_ones_own(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=other_user)

    response = signed_in_client.post(f"{CENTRE}read-all/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_user, read_at__isnull=True).count() == 1
    assert _header_label(response.content.decode()) == "Notifications, 0 unread"


def test_reading_needs_a_post(signed_in_client: Client, user: User) -> None:
    notification = NotificationFactory(recipient=user)

    assert signed_in_client.get(f"{CENTRE}{notification.pk}/read/").status_code == 405
    assert signed_in_client.get(f"{CENTRE}read-all/").status_code == 405


def test_every_page_shows_the_unread_count_in_the_header(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=other_user)

    page = signed_in_client.get("/").content.decode()

    assert _header_label(page) == "Notifications, 3 unread"


def test_the_header_count_costs_one_query(signed_in_client: Client, user: User) -> None:
    NotificationFactory.create_batch(3, recipient=user)

    with CaptureQueriesContext(connection) as queries:
        page = signed_in_client.get("/account/")

    assert _header_label(page.content.decode()) == "Notifications, 3 unread"
    sql = [query["sql"] for query in queries.captured_queries]
    assert len([text for text in sql if "notifications_notification" in text]) == 1


def test_an_anonymous_visitor_costs_no_notification_query(client: Client, db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/accounts/login/")

    assert page.status_code == 200
    assert 'id="header-notifications"' not in page.content.decode()
    assert not [q for q in queries.captured_queries if "notifications_" in q["sql"]]


def test_the_home_page_card_lists_the_latest_unread(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    NotificationFactory(recipient=user, message="for you")
    NotificationFactory(recipient=other_user, message="for someone else")

    page = signed_in_client.get("/").content.decode()

    assert "Latest notifications" in page
    assert "for you" in page
    assert "for someone else" not in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(
    signed_in_client: Client, user: User
) -> None:
    notification = NotificationFactory(recipient=user, link="/account/")

    response = signed_in_client.get(f"{CENTRE}{notification.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_cannot_be_opened(
    signed_in_client: Client, other_user: User
) -> None:
    theirs = NotificationFactory(recipient=other_user)

    assert signed_in_client.get(f"{CENTRE}{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_times_are_shown_in_the_viewers_zone_with_its_name(
    signed_in_client: Client, user: User
) -> None:
    NotificationFactory(recipient=user)

    page = signed_in_client.get(CENTRE).content.decode()

    assert re.search(r"<time datetime=\"[^\"]+\">\d+ \w+ \d{4} \d\d:\d\d \w+</time>", page)
