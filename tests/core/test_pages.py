from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from impactcircle.accounts.models import User

pytestmark = pytest.mark.django_db


def test_pages_carry_a_nonce_based_content_security_policy(client: Client) -> None:
    response = client.get(reverse("account_login"))

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()


def test_pages_carry_the_security_headers(client: Client) -> None:
    response = client.get(reverse("account_login"))

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_host_prefixed_secure_and_http_only(client: Client, user: User) -> None:
    from tests.factories import PASSWORD

    client.get(reverse("account_login"))
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    session_cookie = client.cookies["__Host-sessionid"]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["path"] == "/"
    assert not session_cookie["domain"]
    assert client.cookies["__Host-csrftoken"]["secure"]


def test_plain_http_is_redirected_to_https(db: None) -> None:
    response = Client().get(reverse("account_login"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_home_page_needs_a_signed_in_person(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_home_page_shows_the_persons_cards(signed_in_client: Client) -> None:
    page = signed_in_client.get(reverse("home")).content.decode()

    assert "Welcome, Ana Almeida" in page
    assert "Your account" in page
    assert "turn on two-factor authentication" in page


def test_the_layout_has_landmarks_a_skip_link_and_htmx_with_csrf(signed_in_client: Client) -> None:
    page = signed_in_client.get(reverse("home")).content.decode()

    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert '<nav class="site-nav" aria-label="Main">' in page
    assert "htmx-2.min.js" in page
    assert "X-CSRFToken" in page
    # Nothing loaded from another host (a CDN): every src and href stays on this site. (A bare
    # "cdn" test failed when a random CSRF token happened to contain those letters.)
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", page, re.IGNORECASE)


def test_the_navigation_shows_no_link_to_a_missing_page(signed_in_client: Client) -> None:
    page = signed_in_client.get(reverse("home")).content.decode()

    for href in set(re.findall(r'href="(/[^"#?]*)"', page)):
        if href.startswith("/static/"):
            continue
        assert signed_in_client.get(href).status_code in {200, 302}, href


def test_an_unknown_page_answers_a_friendly_404(signed_in_client: Client) -> None:
    response = signed_in_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_server_error_answers_a_friendly_500(client: Client) -> None:
    from impactcircle.core.views import server_error

    response = server_error(client.get("/").wsgi_request)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
