from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from impactcircle.accounts.models import User
from impactcircle.core.models import AuditEvent
from impactcircle.notifications.categories import Delivery
from impactcircle.notifications.models import NotificationPreference
from impactcircle.notifications.selectors import delivery_for
from impactcircle.notifications.services import notify
from impactcircle.notifications.unsubscribe import unsubscribe_token, unsubscribe_url

pytestmark = pytest.mark.django_db


def _path(user: User, category: str) -> str:
    return f"/notifications/unsubscribe/{unsubscribe_token(user_id=user.pk, category=category)}/"


def test_the_emailed_link_works_without_a_session_and_only_for_its_category(
    client: Client, user: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, category="people", message="You are a mentor now.", link="/")
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://testserver")

    confirmation = client.get(path)
    done = client.post(path)

    assert confirmation.status_code == 200
    assert "Stop emails about People and roles?" in confirmation.content.decode()
    assert done.status_code == 200
    assert "no more emails about People and roles" in done.content.decode()
    assert delivery_for(user, "people") == Delivery.OFF
    assert delivery_for(user, "account") == Delivery.IMMEDIATE


def test_opening_the_link_changes_nothing_until_confirmed(client: Client, user: User) -> None:
    client.get(_path(user, "people"))

    assert not NotificationPreference.objects.exists()


def test_one_click_unsubscribe_posts_without_a_csrf_token(user: User) -> None:
    from tests.conftest import HttpsClient

    mail_client = HttpsClient(enforce_csrf_checks=True)

    response = mail_client.post(
        _path(user, "account"), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip

    assert response.status_code == 200
    assert delivery_for(user, "account") == Delivery.OFF


def test_unsubscribing_is_audited_without_the_token(client: Client, user: User) -> None:
    path = _path(user, "people")

    client.post(path)

    event = AuditEvent.objects.get(action="notifications.preference_changed")
    assert event.details == {
        "category": "people", "delivery": "off", "previous": "immediate",
        "via": "unsubscribe_link",
    }  # fmt: skip
    assert path.split("/")[-2] not in str(event.details)


def test_a_link_for_one_person_does_not_change_another(
    client: Client, user: User, other_user: User
) -> None:
    client.post(_path(other_user, "people"))

    assert delivery_for(user, "people") == Delivery.IMMEDIATE
    assert delivery_for(other_user, "people") == Delivery.OFF


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_answers_400_with_a_friendly_page(
    client: Client, user: User, method: str
) -> None:
    token = unsubscribe_token(user_id=user.pk, category="people")
    forged = unsubscribe_token(user_id=user.pk, category="account").split(":")[0]
    tampered = forged + ":" + token.split(":", 1)[1]  # account's payload, people's signature

    response = getattr(client, method)(f"/notifications/unsubscribe/{tampered}/")

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_token_made_for_something_else_is_refused(client: Client, user: User) -> None:
    from django.core import signing

    other_purpose = signing.dumps({"u": user.pk, "c": "people"})  # no unsubscribe salt

    response = client.post(f"/notifications/unsubscribe/{other_purpose}/")

    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_link_for_a_person_who_left_answers_404(client: Client, user: User) -> None:
    path = _path(user, "people")
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.post(path)

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_link_for_a_category_no_longer_offered_answers_404(client: Client, user: User) -> None:
    assert client.get(_path(user, "retired_category")).status_code == 404


def test_the_url_is_absolute_on_the_site(user: User) -> None:
    assert unsubscribe_url(user_id=user.pk, category="people").startswith(
        "https://testserver/notifications/unsubscribe/"
    )
