from __future__ import annotations

import pytest
from django.core import mail

from impactcircle.accounts.models import User
from impactcircle.notifications.categories import (
    Delivery,
    NotificationCategory,
    get_category,
    register_category,
)
from impactcircle.notifications.models import Notification
from impactcircle.notifications.services import notify, preference_set

pytestmark = pytest.mark.django_db


def test_notify_stores_an_unread_notification_for_the_recipient(
    user: User, other_user: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=user, category="people", message="You are now a programme manager.",
            link="/people/1/", actor=other_user,
        )  # fmt: skip

    stored = Notification.objects.get()
    assert stored == notification
    assert (stored.recipient, stored.actor, stored.category) == (user, other_user, "people")
    assert stored.read_at is None


def test_an_unknown_category_is_refused(user: User) -> None:
    with pytest.raises(ValueError, match="Unknown notification category"):
        notify(recipient=user, category="gossip", message="Hi", link="/")

    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "link",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "people/1/", "/a b", ""],
)
def test_a_link_off_this_site_is_refused(user: User, link: str) -> None:
    with pytest.raises(ValueError, match="link"):
        notify(recipient=user, category="account", message="Hi", link=link)


def test_an_empty_message_is_refused(user: User) -> None:
    with pytest.raises(ValueError, match="message"):
        notify(recipient=user, category="account", message="   ", link="/")


def test_immediate_delivery_emails_once_the_transaction_commits(
    user: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=user, category="account", message="A new token was created.", link="/account/"
        )
        assert mail.outbox == []

    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.subject == "[ImpactCircle] Account and security: A new token was created."
    assert "A new token was created." in message.body
    assert "https://testserver/account/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://testserver/notifications/unsubscribe/")
    assert unsubscribe.strip("<>") in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get().emailed_at is not None


def test_a_message_with_line_breaks_makes_a_one_line_subject(
    user: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, category="account", message="Line one\nLine two", link="/")

    assert mail.outbox[0].subject == "[ImpactCircle] Account and security: Line one Line two"


@pytest.mark.parametrize("delivery", [Delivery.OFF, Delivery.DAILY, Delivery.WEEKLY])
def test_no_immediate_email_unless_the_person_wants_one(
    user: User, delivery: Delivery, django_capture_on_commit_callbacks
) -> None:
    preference_set(user=user, category="account", delivery=delivery)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, category="account", message="Hi", link="/")

    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_a_preference_for_one_category_leaves_the_others_alone(
    user: User, django_capture_on_commit_callbacks
) -> None:
    preference_set(user=user, category="account", delivery=Delivery.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, category="people", message="New role", link="/")

    assert len(mail.outbox) == 1


def test_a_rolled_back_change_sends_no_email(
    user: User, django_capture_on_commit_callbacks
) -> None:
    from django.db import transaction

    def failing_change() -> None:
        with transaction.atomic():
            notify(recipient=user, category="account", message="Hi", link="/")
            raise RuntimeError("later step failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_change()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_deactivated_person_gets_no_email(user: User, django_capture_on_commit_callbacks) -> None:
    user.is_active = False
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, category="account", message="Hi", link="/")

    assert mail.outbox == []


def test_a_category_cannot_be_registered_twice_with_a_different_meaning() -> None:
    account = get_category("account")
    register_category(account)  # the same definition again is fine (ready() may run twice)

    with pytest.raises(ValueError, match="already registered"):
        register_category(
            NotificationCategory(key="account", label="Other", description="Something else")
        )


def test_a_category_key_must_be_a_simple_slug() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        NotificationCategory(key="Not a key", label="x", description="y")
