from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from tests.factories import UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.models import AuditEvent
from impactcircle.notifications.models import NotificationPreference
from impactcircle.notifications.services import preference_set

pytestmark = pytest.mark.django_db

SETTINGS = "/notifications/settings/"


def test_the_page_shows_a_form_per_category_with_the_current_choice(
    signed_in_client: Client, user: User
) -> None:
    preference_set(user=user, category="people", delivery="weekly")

    page = signed_in_client.get(SETTINGS).content.decode()

    assert "Account and security" in page
    assert "People and roles" in page
    assert 'name="people-delivery" value="weekly"' in page
    checked_weekly = page.split('value="weekly"', 2)[2].split(">", 1)[0]
    assert "checked" in checked_weekly


def test_the_page_needs_a_signed_in_person(client: Client, db: None) -> None:
    assert client.get(SETTINGS).status_code == 302


def test_saving_with_htmx_answers_the_category_fragment(
    signed_in_client: Client, user: User
) -> None:
    response = signed_in_client.post(
        f"{SETTINGS}people/", {"people-delivery": "daily"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="category-people"' in body
    assert "Saved." in body
    assert "<html" not in body
    assert NotificationPreference.objects.get(user=user).delivery == "daily"
    event = AuditEvent.objects.get(action="notifications.preference_changed")
    assert event.actor == user
    assert event.details["via"] == "settings"


def test_saving_without_htmx_redirects_with_a_message(signed_in_client: Client, user: User) -> None:
    response = signed_in_client.post(f"{SETTINGS}account/", {"account-delivery": "off"})

    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    assert NotificationPreference.objects.get(user=user, category="account").delivery == "off"


def test_an_invalid_choice_shows_the_error_and_changes_nothing(
    signed_in_client: Client, user: User
) -> None:
    response = signed_in_client.post(
        f"{SETTINGS}people/", {"people-delivery": "hourly"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 422
    assert "errorlist" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.filter(action="notifications.preference_changed").exists()


def test_an_unknown_category_answers_404(signed_in_client: Client) -> None:
    response = signed_in_client.post(f"{SETTINGS}gossip/", {"gossip-delivery": "off"})

    assert response.status_code == 404


def test_saving_changes_only_ones_own_preference(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    preference_set(user=other_user, category="people", delivery="weekly")

    signed_in_client.post(f"{SETTINGS}people/", {"people-delivery": "off"})

    assert NotificationPreference.objects.get(user=other_user).delivery == "weekly"
    assert NotificationPreference.objects.get(user=user).delivery == "off"


def test_saving_the_same_choice_again_is_not_audited_twice(user: User) -> None:
    preference_set(user=user, category="people", delivery="daily")
    preference_set(user=user, category="people", delivery="daily")

    assert AuditEvent.objects.filter(action="notifications.preference_changed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_saving_the_first_choice_twice_keeps_one_row() -> None:
    person = UserFactory()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def save() -> None:
        try:
            start.wait()
            preference_set(user=person, category="people", delivery="daily")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert NotificationPreference.objects.filter(user=person).count() == 1
