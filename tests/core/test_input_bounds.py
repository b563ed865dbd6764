"""Malformed input at the edge gets a clear 4xx, never a 500: ids and pages beyond 64 bits,
bodies that are not JSON objects, text a database cannot store, Hosts that are not allowed."""

from __future__ import annotations

import pytest
from django.test import Client

from impactcircle.accounts.models import User
from impactcircle.people.models import Profile

pytestmark = pytest.mark.django_db

TOO_LARGE = str(2**63)
LARGEST = str(2**63 - 1)
LAST_PAGE_NUMBER = str(2**53 - 1)


@pytest.fixture
def api(signed_in_client: Client) -> Client:
    signed_in_client.raise_request_exception = False
    return signed_in_client


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/people/{TOO_LARGE}",
        f"/api/v1/roles/{TOO_LARGE}",
        f"/api/v1/mentoring/programmes/{TOO_LARGE}",
        f"/api/v1/mentoring/relationships/{TOO_LARGE}",
        f"/api/v1/mentoring/flash/slots/{TOO_LARGE}",
        f"/api/v1/people/{LARGEST}",
    ],
)
def test_an_api_id_no_database_can_hold_is_not_found(api: Client, path: str) -> None:
    answer = api.get(path)

    assert answer.status_code == 404
    assert set(answer.json()) == {"message", "extra"}


@pytest.mark.parametrize(
    "path",
    [
        f"/people/{TOO_LARGE}/",
        f"/people/{TOO_LARGE}/avatar",
        f"/mentoring/programmes/{TOO_LARGE}/",
        f"/mentoring/relationships/{TOO_LARGE}/",
        f"/mentoring/flash/slots/{TOO_LARGE}/invitation.ics",
        f"/notifications/{TOO_LARGE}/open/",
    ],
)
def test_a_page_id_no_database_can_hold_is_not_found(api: Client, path: str) -> None:
    assert api.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/people?page={TOO_LARGE}", "page"),
        (f"/api/v1/people?skill={TOO_LARGE}", "skill"),
        (f"/api/v1/people?cause_area={TOO_LARGE}", "cause_area"),
        (f"/api/v1/people?value={TOO_LARGE}", "value"),
        (f"/api/v1/people?department={TOO_LARGE}", "department"),
        (f"/api/v1/notifications/?page={TOO_LARGE}", "page"),
        (f"/api/v1/account/tokens?page={TOO_LARGE}", "page"),
        (f"/api/v1/account/tokens?page={LARGEST}", "page"),
        (f"/api/v1/people?page={2**53}", "page"),
    ],
)
def test_an_api_page_or_filter_beyond_64_bits_is_a_field_error(
    api: Client, path: str, field: str
) -> None:
    answer = api.get(path)

    assert answer.status_code == 422
    assert field in answer.json()["extra"]["fields"]


def test_an_api_page_past_the_last_lists_nothing(api: Client) -> None:
    answer = api.get(f"/api/v1/notifications/?page={LAST_PAGE_NUMBER}&page_size=100")

    assert answer.status_code == 200
    assert answer.json()["items"] == []


@pytest.mark.parametrize("query", [f"skill={TOO_LARGE}", f"cause_area={TOO_LARGE}"])
def test_the_directory_page_refuses_a_filter_id_beyond_64_bits(api: Client, query: str) -> None:
    answer = api.get(f"/people/?{query}")

    assert answer.status_code == 422  # a field error, like any id that names nothing
    assert "pick one from the list" in answer.content.decode()


def test_the_directory_page_clamps_a_page_number_beyond_64_bits(api: Client) -> None:
    assert api.get(f"/people/?page={TOO_LARGE}").status_code == 200


@pytest.mark.parametrize("body", ["null", "[]", '"x"', "NaN", "3", "true"])
def test_a_body_that_is_not_a_json_object_is_a_field_error(
    api: Client, user: User, body: str
) -> None:
    before = Profile.objects.get(user=user).bio

    answer = api.patch("/api/v1/people/me", body, content_type="application/json")

    assert answer.status_code == 422
    assert "__all__" in answer.json()["extra"]["fields"]
    assert Profile.objects.get(user=user).bio == before


def test_a_body_to_any_endpoint_must_be_an_object(api: Client) -> None:
    answer = api.post("/api/v1/account/tokens", "[]", content_type="application/json")

    assert answer.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"bio": "\\ud800"}', "bio"),
        ('{"languages": ["en", "\\udfff"]}', "languages.1"),
        ('{"mentoring_hours_per_month": 1e999}', "mentoring_hours_per_month"),
        ('{"\\ud800": 1}', "__all__"),
    ],
)
def test_a_value_no_database_can_store_is_a_field_error(api: Client, body: str, field: str) -> None:
    answer = api.patch("/api/v1/people/me", body, content_type="application/json")

    assert answer.status_code == 422
    assert field in answer.json()["extra"]["fields"]


def test_a_whole_number_beyond_64_bits_that_reaches_the_database_is_refused(
    api: Client, user: User
) -> None:
    answer = api.patch(
        "/api/v1/people/me", '{"value_ids": [9223372036854775808]}', content_type="application/json"
    )

    # SQLite's driver overflows (answered by the API's handler); PostgreSQL finds no such id
    # (answered by the service): a 422 either way.
    assert answer.status_code == 422
    assert set(answer.json()) == {"message", "extra"}


def test_a_whole_number_beyond_64_bits_in_a_key_nobody_reads_is_ignored(api: Client) -> None:
    answer = api.patch(
        "/api/v1/people/me", '{"unknown": 9223372036854775808}', content_type="application/json"
    )

    assert answer.status_code == 200


def test_the_schema_says_integers_are_64_bit(api: Client) -> None:
    schema = api.get("/api/v1/openapi.json").json()

    (user_id,) = schema["paths"]["/api/v1/people/{user_id}"]["get"]["parameters"]
    assert user_id["schema"]["maximum"] == 2**63 - 1
    assert user_id["schema"]["format"] == "int64"


@pytest.mark.parametrize("error", [OverflowError("Python int too large to convert")])
def test_the_api_answers_a_database_overflow_with_422(
    api: Client, error: Exception, monkeypatch: pytest.MonkeyPatch
) -> None:
    def overflow(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("impactcircle.people.api.services.profile_update", overflow)

    answer = api.patch("/api/v1/people/me", "{}", content_type="application/json")

    assert answer.status_code == 422
    assert answer.json()["message"].startswith("Whole numbers must lie between")


def test_malformed_json_is_still_a_bad_request(api: Client) -> None:
    answer = api.patch("/api/v1/people/me", "{", content_type="application/json")

    assert answer.status_code == 400
    assert set(answer.json()) == {"message", "extra"}


def test_a_host_that_is_not_allowed_gets_the_400_page(client: Client) -> None:
    client.raise_request_exception = False

    answer = client.get("/", headers={"Host": "evil.example"})

    assert answer.status_code == 400
    assert "That request did not make sense" in answer.text


def test_a_host_that_is_not_allowed_gets_400_from_the_api_too(client: Client) -> None:
    client.raise_request_exception = False

    assert client.get("/api/v1/people", headers={"Host": "evil.example"}).status_code == 400
