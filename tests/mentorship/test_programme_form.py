"""The new-programme form reports every problem in one submit: the checks between fields run
even while another field has an error, as long as the fields they compare are valid."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.mentorship.published_programme import programme_manager

from impactcircle.mentorship.models import Programme
from impactcircle.mentorship.programmes.forms import ProgrammeForm

pytestmark = pytest.mark.django_db

NEW = "/mentoring/programmes/new/"


def _valid() -> dict[str, Any]:
    """Every field at its initial value, with a name and dates in order."""
    data: dict[str, Any] = {}
    for name, field in ProgrammeForm().fields.items():
        initial = field.initial
        if initial is True:
            data[name] = "on"
        elif initial not in (None, False):
            data[name] = initial
    return data | {
        "name": "Climate leaders",
        "format": "one_on_one",
        "access": "open",
        "matching_mode": "optimal",
        "enrolment_opens_on": "2027-01-01",
        "enrolment_closes_on": "2027-01-10",
        "starts_on": "2027-01-11",
        "ends_on": "2027-06-30",
    }


def _errors(client: Client, **changes: Any) -> dict[str, list[str]]:
    answer = client.post(NEW, _valid() | changes)
    assert answer.status_code == 422
    assert not Programme.objects.exists()
    return {field: list(messages) for field, messages in answer.context["form"].errors.items()}


@pytest.fixture
def manager_client(client: Client) -> Client:
    client.force_login(programme_manager())
    return client


def test_the_valid_form_creates_the_programme(manager_client: Client) -> None:
    answer = manager_client.post(NEW, _valid())

    assert answer.status_code == 302
    assert Programme.objects.get().name == "Climate leaders"


def test_date_order_and_capacity_are_reported_with_the_field_errors(
    manager_client: Client,
) -> None:
    errors = _errors(
        manager_client,
        name="",
        meeting_every_days="often",
        ends_on="2027-01-05",  # before the start
        default_mentees_per_mentor=5,
        max_mentees_per_mentor=2,
    )

    assert set(errors) == {"name", "meeting_every_days", "ends_on", "max_mentees_per_mentor"}
    assert errors["ends_on"] == ["The programme must end after it starts."]
    assert errors["max_mentees_per_mentor"] == [
        "Default ≤ maximum mentees per mentor, and at most 20."
    ]


def test_a_check_whose_field_is_invalid_is_left_to_that_fields_error(
    manager_client: Client,
) -> None:
    errors = _errors(
        manager_client,
        starts_on="not a date",
        enrolment_closes_on="2026-12-01",  # before enrolment opens
        format="group_circle",
        circle_min_size=6,
        circle_max_size=4,
    )

    assert set(errors) == {"starts_on", "enrolment_closes_on", "circle_max_size"}
    assert len(errors["starts_on"]) == 1  # only "Enter a valid date.", no comparison
