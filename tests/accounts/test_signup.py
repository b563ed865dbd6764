from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from impactcircle.accounts.models import Invitation, SignupPolicy, User
from impactcircle.accounts.selectors import is_email_allowed_to_sign_up

pytestmark = pytest.mark.django_db

SIGNUP_DATA = {"password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase"}


@pytest.fixture
def company_domain_policy() -> SignupPolicy:
    return SignupPolicy.objects.create(
        pk=1, mode=SignupPolicy.Mode.RESTRICTED, allowed_domains="example.com\ncsr.example.org"
    )


def _sign_up(client: Client, email: str) -> object:
    with_captured = client.post(reverse("account_signup"), {"email": email, **SIGNUP_DATA})
    return with_captured


def test_sign_up_from_a_listed_domain_creates_the_account_and_sends_verification(
    client: Client, company_domain_policy: SignupPolicy, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, "new.colleague@example.com")

    assert response.status_code == 302
    assert User.objects.filter(email="new.colleague@example.com").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.colleague@example.com"]
    assert "confirm" in mail.outbox[0].body.lower()


def test_sign_up_from_another_domain_is_refused_with_a_field_error(
    client: Client, company_domain_policy: SignupPolicy
) -> None:
    response = _sign_up(client, "outsider@gmail.com")

    assert response.status_code == 200
    assert "limited to invited people" in response.content.decode()
    assert not User.objects.filter(email="outsider@gmail.com").exists()


def test_sub_domains_are_not_included_in_a_listed_domain(
    company_domain_policy: SignupPolicy,
) -> None:
    assert not is_email_allowed_to_sign_up("someone@evil.example.com")
    assert is_email_allowed_to_sign_up("Someone@CSR.example.org")


def test_an_invited_address_may_sign_up_outside_the_domains(
    client: Client, company_domain_policy: SignupPolicy, django_capture_on_commit_callbacks
) -> None:
    Invitation.objects.create(email="Partner@NGO.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, "partner@ngo.org")

    assert response.status_code == 302
    assert User.objects.filter(email="partner@ngo.org").exists()
    assert Invitation.objects.get(email="partner@ngo.org").accepted_at is not None


def test_the_default_policy_admits_only_invited_people(client: Client) -> None:
    response = _sign_up(client, "someone@example.com")

    assert response.status_code == 200
    assert not User.objects.exists()


def test_an_open_policy_admits_any_address() -> None:
    SignupPolicy.objects.create(pk=1, mode=SignupPolicy.Mode.OPEN)

    assert is_email_allowed_to_sign_up("anyone@anywhere.net")
