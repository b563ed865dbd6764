"""One translation of service errors into pages (core.middleware.AppErrorMiddleware)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.app_error_urls")]


def test_not_found_becomes_the_404_page(signed_in_client: Client) -> None:
    response = signed_in_client.get("/raise/not-found/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text


def test_forbidden_becomes_the_403_page_with_its_reason(signed_in_client: Client) -> None:
    response = signed_in_client.get("/raise/forbidden/")
    assert response.status_code == 403
    assert "Only the space&#x27;s moderators may pin a post." in response.text


def test_a_conflict_under_htmx_is_a_fragment_with_its_status(signed_in_client: Client) -> None:
    response = signed_in_client.post("/raise/conflict/", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "This lesson was already published." in response.text
    assert "<html" not in response.text


def test_a_failed_form_post_goes_back_to_its_page_with_the_message(
    signed_in_client: Client,
) -> None:
    response = signed_in_client.post(
        "/raise/invalid/", headers={"Referer": "https://testserver/people/"}, follow=True
    )
    assert response.redirect_chain[0] == ("https://testserver/people/", 302)
    assert "Give the lesson a title." in response.text


def test_a_referer_from_another_site_is_not_followed(signed_in_client: Client) -> None:
    response = signed_in_client.post(
        "/raise/invalid/", headers={"Referer": "https://evil.example/phish"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_failed_get_is_an_error_page_with_the_status(signed_in_client: Client) -> None:
    response = signed_in_client.get("/raise/conflict/")
    assert response.status_code == 409
    assert "This lesson was already published." in response.text


def test_not_signed_in_goes_to_the_sign_in_page(client: Client) -> None:
    response = client.get("/raise/signed-out/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_refused_method_is_the_sites_405_page_with_its_allow_header(
    signed_in_client: Client,
) -> None:
    response = signed_in_client.get("/post-only/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "<title>This page does not open that way · ImpactCircle</title>" in response.text
    assert 'class="brand"' in response.text
    assert "Back to your home page" in response.text


def test_a_refused_method_on_a_real_page_is_the_sites_405_page(
    signed_in_client: Client,
) -> None:
    response = signed_in_client.get("/mentoring/applications/1/withdraw/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This page does not open that way" in response.text


def test_a_405_that_has_its_own_body_is_left_alone(signed_in_client: Client) -> None:
    response = signed_in_client.get("/refuses-with-a-body/")
    assert response.status_code == 405
    assert response["Allow"] == "PUT"
    assert response.content == b'{"detail": "Use PUT."}'
