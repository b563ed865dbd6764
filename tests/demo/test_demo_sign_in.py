"""Every demo person can sign in with the demo password, and the build hashes it only once."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from impactcircle.accounts.models import User
from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PEOPLE = 60


def _colleague() -> User:
    """A bulk-built person: neither of the two sign-in accounts, still working here."""
    return (
        User.objects.exclude(email__in=[DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL])
        .filter(is_active=True)
        .order_by("pk")
        .last()
    )


def test_a_bulk_built_colleague_signs_in_through_the_login_page(client: Client) -> None:
    call_command("demo", people=PEOPLE, seed=5)
    colleague = _colleague()

    response = client.post(
        reverse("account_login"), {"login": colleague.email, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert f"Welcome, {colleague.first_name}" in home.content.decode()


def test_a_colleague_with_the_wrong_password_stays_out(client: Client) -> None:
    call_command("demo", people=PEOPLE, seed=5)

    response = client.post(
        reverse("account_login"), {"login": _colleague().email, "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert client.get(reverse("account_overview")).status_code != 200


def test_every_demo_person_has_one_verified_primary_email_address() -> None:
    call_command("demo", people=PEOPLE, seed=5)

    assert User.objects.count() == PEOPLE
    assert EmailAddress.objects.count() == PEOPLE
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == PEOPLE
    mismatched = [
        (address.email, address.user.email)
        for address in EmailAddress.objects.select_related("user")
        if address.email != address.user.email
    ]
    assert mismatched == []


def test_the_bulk_built_people_share_one_password_hash() -> None:
    call_command("demo", people=PEOPLE, seed=5)

    hashes = set(
        User.objects.exclude(email__in=[DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL]).values_list(
            "password", flat=True
        )
    )

    assert len(hashes) == 1  # a salted hash per person would differ row by row


def test_the_build_hashes_the_demo_password_a_fixed_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encoded: list[str] = []
    original = MD5PasswordHasher.encode

    def counting_encode(self: MD5PasswordHasher, password: str, salt: str) -> str:
        encoded.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)

    call_command("demo", people=PEOPLE, seed=5)

    # Ada, Dana and one hash shared by the other 58: never one per person.
    assert encoded == [DEMO_PASSWORD] * 3
