from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.utils import timezone

from impactcircle.accounts.models import AccessToken, User
from impactcircle.accounts.services import access_token_create, access_token_revoke
from impactcircle.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/account/me"
TOKENS = "/api/v1/account/tokens"


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_valid_token_authenticates_as_its_owner(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="report script", expires_in_days=30)

    response = client.get(ME, headers=_bearer(issued.secret))

    assert response.status_code == 200
    assert response.json()["email"] == "ana@example.com"
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_only_a_hash_of_the_secret_is_stored(user: User) -> None:
    issued = access_token_create(user=user, name="report script", expires_in_days=30)

    stored = AccessToken.objects.get(pk=issued.token.pk)
    assert issued.secret not in {stored.secret_hash, stored.prefix, stored.name}
    assert issued.secret.startswith(stored.prefix)


def test_a_revoked_token_gets_401_with_the_envelope(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="old script", expires_in_days=30)
    access_token_revoke(user=user, token_id=issued.token.pk)

    response = client.get(ME, headers=_bearer(issued.secret))

    assert response.status_code == 401
    assert set(response.json()) == {"message", "extra"}


def test_an_expired_token_gets_401(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="old script", expires_in_days=1)
    AccessToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert client.get(ME, headers=_bearer(issued.secret)).status_code == 401


def test_an_unknown_token_gets_401(client: Client, user: User) -> None:
    assert client.get(ME, headers=_bearer("icp_made-up")).status_code == 401


def test_a_deactivated_persons_token_gets_401(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="script", expires_in_days=30)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert client.get(ME, headers=_bearer(issued.secret)).status_code == 401


def test_no_credentials_get_401(client: Client, db: None) -> None:
    response = client.get(ME)

    assert response.status_code == 401
    assert response.json()["message"].startswith("Authentication required")


def test_a_session_works_for_reads(signed_in_client: Client) -> None:
    assert signed_in_client.get(ME).json()["email"] == "ana@example.com"


def test_a_session_write_without_the_csrf_token_is_refused(user: User) -> None:
    from tests.conftest import HttpsClient

    browser = HttpsClient(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(TOKENS, {"name": "x"}, content_type="application/json")

    assert response.status_code == 403
    assert not AccessToken.objects.exists()


def test_creating_a_token_shows_the_secret_once(client: Client, user: User) -> None:
    first = access_token_create(user=user, name="bootstrap", expires_in_days=30)

    created = client.post(
        TOKENS, {"name": "CI export", "expires_in_days": 7}, content_type="application/json",
        headers=_bearer(first.secret),
    )  # fmt: skip
    listed = client.get(TOKENS, headers=_bearer(first.secret))

    assert created.status_code == 201
    assert created.json()["secret"].startswith("icp_")
    assert created.json()["token"]["name"] == "CI export"
    assert "secret" not in json.dumps(listed.json()["items"])
    assert listed.json()["count"] == 2


def test_a_bad_request_answers_the_error_envelope_with_fields(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="bootstrap", expires_in_days=30)

    response = client.post(
        TOKENS, {"name": "", "expires_in_days": 5000}, content_type="application/json",
        headers=_bearer(issued.secret),
    )  # fmt: skip

    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Some fields are not valid."
    assert set(body["extra"]["fields"]) == {"name", "expires_in_days"}
    assert AccessToken.objects.count() == 1


def test_malformed_json_answers_400_with_the_envelope(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="bootstrap", expires_in_days=30)

    response = client.post(
        TOKENS, "{not json", content_type="application/json", headers=_bearer(issued.secret)
    )

    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"message", "extra"}


def test_a_duplicate_live_name_answers_409(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="exports", expires_in_days=30)

    # (7 days: a token may not create one that outlives it, and the default is 90)
    response = client.post(
        TOKENS, {"name": "exports", "expires_in_days": 7}, content_type="application/json",
        headers=_bearer(issued.secret),
    )  # fmt: skip

    assert response.status_code == 409
    assert response.json()["extra"]["fields"]["name"]


def test_someone_elses_token_cannot_be_revoked_and_answers_404(
    client: Client, user: User, other_user: User
) -> None:
    mine = access_token_create(user=user, name="mine", expires_in_days=30)
    theirs = access_token_create(user=other_user, name="theirs", expires_in_days=30)

    response = client.delete(f"{TOKENS}/{theirs.token.pk}", headers=_bearer(mine.secret))

    assert response.status_code == 404
    assert response.json() == {"message": "No such token.", "extra": {}}
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_the_token_list_holds_only_ones_own_tokens(
    client: Client, user: User, other_user: User
) -> None:
    mine = access_token_create(user=user, name="mine", expires_in_days=30)
    access_token_create(user=other_user, name="theirs", expires_in_days=30)

    names = [
        item["name"] for item in client.get(TOKENS, headers=_bearer(mine.secret)).json()["items"]
    ]

    assert names == ["mine"]


def test_page_size_is_capped_and_queries_are_bounded(
    client: Client, user: User, django_assert_max_num_queries
) -> None:
    issued = access_token_create(user=user, name="reader", expires_in_days=30)
    for number in range(120):
        access_token_create(user=user, name=f"token {number}", expires_in_days=30)

    with django_assert_max_num_queries(5):
        response = client.get(
            TOKENS, {"page_size": 1000, "page": 1}, headers=_bearer(issued.secret)
        )

    body = response.json()
    assert body["count"] == 121
    assert len(body["items"]) == 100


def test_the_openapi_document_and_docs_are_served_without_a_cdn(client: Client, db: None) -> None:
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    assert "/api/v1/account/tokens" in schema.json()["paths"]
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    # Nothing loaded from another host (a CDN): every src and href stays on this site. (A bare
    # "cdn" test failed when a random CSRF token happened to contain those letters.)
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", page, re.IGNORECASE)


def test_a_token_cannot_create_a_token_that_outlives_it(client: Client, user: User) -> None:
    parent = access_token_create(user=user, name="short-lived", expires_in_days=7)

    response = client.post(
        TOKENS, {"name": "longer", "expires_in_days": 30}, content_type="application/json",
        headers=_bearer(parent.secret),
    )  # fmt: skip

    assert response.status_code == 422
    assert "outlive" in response.json()["extra"]["fields"]["expires_in_days"][0]
    assert AccessToken.objects.count() == 1


def test_a_token_may_create_one_that_expires_with_it_or_sooner(client: Client, user: User) -> None:
    parent = access_token_create(user=user, name="parent", expires_in_days=30)

    response = client.post(
        TOKENS, {"name": "child", "expires_in_days": 29}, content_type="application/json",
        headers=_bearer(parent.secret),
    )  # fmt: skip

    assert response.status_code == 201
    child = AccessToken.objects.get(name="child")
    assert child.expires_at <= parent.token.expires_at


def test_signed_in_on_the_site_a_token_may_last_the_longest_allowed(
    signed_in_client: Client, user: User
) -> None:
    access_token_create(user=user, name="short-lived", expires_in_days=1)

    response = signed_in_client.post(
        TOKENS, {"name": "yearly", "expires_in_days": 365}, content_type="application/json"
    )

    assert response.status_code == 201


def test_deactivating_the_account_revokes_its_tokens_for_good(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="script", expires_in_days=30)

    user.is_active = False
    user.save()
    user.is_active = True
    user.save()

    assert client.get(ME, headers=_bearer(issued.secret)).status_code == 401
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert AuditEvent.objects.filter(
        action="token.revoked_all", details__reason="account_deactivated"
    ).exists()


def test_a_password_reset_by_email_revokes_every_token(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="script", expires_in_days=30)
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"

    opened = client.get(f"/accounts/password/reset/key/{key}/", follow=True)
    done = client.post(
        opened.redirect_chain[-1][0],
        {"password1": "a-new-long-passphrase-42", "password2": "a-new-long-passphrase-42"},
    )

    assert done.status_code == 302
    assert client.get(ME, headers=_bearer(issued.secret)).status_code == 401
    assert AuditEvent.objects.filter(
        action="token.revoked_all", details__reason="password_reset"
    ).exists()


def test_changing_another_field_of_the_account_keeps_its_tokens(client: Client, user: User) -> None:
    issued = access_token_create(user=user, name="script", expires_in_days=30)

    user.first_name = "Anna"
    user.save()

    assert client.get(ME, headers=_bearer(issued.secret)).status_code == 200
