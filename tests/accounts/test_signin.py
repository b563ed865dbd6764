from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.urls import reverse
from tests.factories import PASSWORD, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, email: str, password: str, **extra: str) -> object:
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def _is_signed_in(client: Client) -> bool:
    return client.get(reverse("account_overview")).status_code == 200


def test_sign_in_with_email_and_password_opens_the_home_page(client: Client, user: User) -> None:
    response = _sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Welcome, Ana Almeida" in home.content.decode()


def test_wrong_password_does_not_sign_in(client: Client, user: User) -> None:
    response = _sign_in(client, user.email, "not-the-password")

    assert response.status_code == 200
    assert not _is_signed_in(client)


def test_unverified_email_cannot_sign_in(client: Client) -> None:
    person = UserFactory(email="fresh@example.com", verified=False)

    _sign_in(client, person.email, PASSWORD)

    assert not _is_signed_in(client)


def test_sign_in_is_recorded_in_the_audit_log_with_the_address(client: Client, user: User) -> None:
    _sign_in(client, user.email, PASSWORD, REMOTE_ADDR="203.0.113.7")

    event = AuditEvent.objects.get(action="auth.signed_in")
    assert event.actor == user
    assert event.actor_label == user.email
    assert event.ip_address == "203.0.113.7"
    assert PASSWORD not in str(event.details)


def test_a_failed_sign_in_is_audited_without_the_password(client: Client, user: User) -> None:
    _sign_in(client, user.email, "guessing-the-password")

    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.actor is None
    assert event.actor_label == user.email
    assert "guessing" not in str(event.details) + event.object_label


def test_after_five_failures_for_one_account_even_the_right_password_is_refused(
    client: Client, user: User
) -> None:
    for _ in range(5):
        _sign_in(client, user.email, "wrong-password")

    response = _sign_in(client, user.email, PASSWORD)

    assert not _is_signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_failures_across_accounts_from_one_address_lock_that_address(
    client: Client, user: User
) -> None:
    # 20 failures a minute from one address: four each against five other accounts.
    for number in range(5):
        for _ in range(4):
            _sign_in(client, f"victim{number}@example.com", "wrong", REMOTE_ADDR="198.51.100.9")

    locked_out = _sign_in(client, user.email, PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert "Too many failed login attempts" in locked_out.content.decode()
    assert not _is_signed_in(client)

    other_address = _sign_in(client, user.email, PASSWORD, REMOTE_ADDR="192.0.2.44")
    assert other_address.status_code == 302
    assert _is_signed_in(client)


def _current_code(secret: str) -> str:
    import time

    from django.conf import settings

    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


@pytest.fixture
def user_with_totp(user: User) -> tuple[User, str]:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_with_totp_the_password_alone_does_not_sign_in(
    client: Client, user_with_totp: tuple[User, str]
) -> None:
    user, _ = user_with_totp

    response = _sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _is_signed_in(client)


def test_with_totp_a_wrong_code_is_refused(
    client: Client, user_with_totp: tuple[User, str]
) -> None:
    user, secret = user_with_totp
    _sign_in(client, user.email, PASSWORD)
    wrong = f"{(int(_current_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert not _is_signed_in(client)


def test_with_totp_the_right_code_completes_sign_in(
    client: Client, user_with_totp: tuple[User, str]
) -> None:
    user, secret = user_with_totp
    _sign_in(client, user.email, PASSWORD)

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})

    assert response.status_code == 302
    assert _is_signed_in(client)
    assert AuditEvent.objects.filter(action="auth.signed_in", actor=user).exists()


def test_a_recovery_code_completes_sign_in(
    client: Client, user_with_totp: tuple[User, str]
) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user, _ = user_with_totp
    codes = RecoveryCodes.activate(user).get_unused_codes()
    _sign_in(client, user.email, PASSWORD)

    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert response.status_code == 302
    assert _is_signed_in(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
