from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from impactcircle.accounts.models import AccessToken, User
from impactcircle.accounts.services import access_token_create
from impactcircle.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_account_page_needs_sign_in(client: Client) -> None:
    assert client.get(reverse("account_overview")).status_code == 302


def test_creating_a_token_on_the_page_shows_its_secret_once(
    signed_in_client: Client, user: User
) -> None:
    response = signed_in_client.post(
        reverse("access_token_create"), {"name": "Impact report", "expires_in_days": 30},
        headers={"HX-Request": "true"},
    )  # fmt: skip

    token = AccessToken.objects.get(user=user)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="new-token-secret"' in page
    assert "<html" not in page  # htmx gets only the tokens section
    assert AuditEvent.objects.filter(action="token.created", object_id=str(token.pk)).exists()
    again = signed_in_client.get(reverse("account_overview")).content.decode()
    assert "Impact report" in again
    assert 'id="new-token-secret"' not in again


def test_an_invalid_token_form_shows_field_errors_and_creates_nothing(
    signed_in_client: Client,
) -> None:
    response = signed_in_client.post(
        reverse("access_token_create"), {"name": "", "expires_in_days": 30}
    )

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not AccessToken.objects.exists()


def test_revoking_from_the_page(signed_in_client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="old", expires_in_days=30)

    response = signed_in_client.post(reverse("access_token_revoke", args=[issued.token.pk]))

    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert "Revoked" in signed_in_client.get(reverse("account_overview")).content.decode()


def test_another_persons_token_cannot_be_revoked_from_the_page(
    signed_in_client: Client, other_user: User
) -> None:
    theirs = access_token_create(user=other_user, name="theirs", expires_in_days=30)

    response = signed_in_client.post(reverse("access_token_revoke", args=[theirs.token.pk]))

    assert response.status_code == 404
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_another_persons_tokens_are_not_listed(signed_in_client: Client, other_user: User) -> None:
    access_token_create(user=other_user, name="Bens secret export", expires_in_days=30)

    assert (
        "Bens secret export"
        not in signed_in_client.get(reverse("account_overview")).content.decode()
    )


def test_the_account_page_runs_a_fixed_number_of_queries(
    signed_in_client: Client, user: User, django_assert_max_num_queries
) -> None:
    for number in range(30):
        access_token_create(user=user, name=f"token {number}", expires_in_days=30)

    with django_assert_max_num_queries(10):
        response = signed_in_client.get(reverse("account_overview"))

    assert response.status_code == 200
