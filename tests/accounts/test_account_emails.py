"""allauth's emails greet with the site's name and say what caused them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from tests.factories import PASSWORD, UserFactory

from impactcircle.accounts.models import SignupPolicy, User

pytestmark = pytest.mark.django_db


def _sent(capture: Any, send: Callable[[], object]) -> mail.EmailMessage:
    with capture(execute=True):
        send()
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_the_password_reset_email_greets_with_the_site_name(
    client: Client, user: User, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_NAME = "Acme Impact"
    message = _sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("account_reset_password"), {"email": user.email}),
    )

    assert message.body.startswith("Hello from Acme Impact!")
    assert "password reset" in message.body


def test_confirming_an_address_on_sign_in_does_not_speak_of_registering(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    person = UserFactory(email="fresh@example.com", verified=False)

    message = _sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(
            reverse("account_login"), {"login": person.email, "password": PASSWORD}
        ),
    )

    assert message.body.startswith("Hello from ImpactCircle!")
    assert "register" not in message.body
    assert "given your email address" not in message.body
    assert "confirm" in message.body.lower()


def test_the_sign_up_confirmation_says_someone_signed_up(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    SignupPolicy.objects.create(pk=1, mode=SignupPolicy.Mode.OPEN)
    message = _sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(
            reverse("account_signup"),
            {
                "email": "new.colleague@example.com",
                "password1": "a-long-enough-passphrase",
                "password2": "a-long-enough-passphrase",
            },
        ),
    )

    assert message.body.startswith("Hello from ImpactCircle!")
    assert "signed up for ImpactCircle" in message.body
