from __future__ import annotations

import pytest
from django.test import Client
from tests.people.conftest import make_person

from impactcircle.accounts.models import User
from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    Department,
    Language,
    Profile,
    ProfileSkill,
    Skill,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues(
    impact_measurement: Skill,
    sustainability: Department,
    climate_action: CauseArea,
    integrity: CompanyValue,
) -> dict[str, User]:
    ben = make_person(
        "ben@example.com",
        first_name="Ben",
        last_name="Okafor",
        skill=impact_measurement,
        department=sustainability,
        job_title="ESG analyst",
        city="Lagos",
        country="NG",
        open_to_mentor=True,
    )
    ben.profile.cause_areas.add(climate_action)
    ben.profile.values.add(integrity)
    ben.profile.languages.add(Language.objects.get(code="yo"))
    cara = make_person(
        "cara@example.com",
        first_name="Cara",
        last_name="Rossi",
        job_title="Accountant",
        city="Milan",
        country="IT",
    )
    return {"ben": ben, "cara": cara}


def test_the_directory_lists_colleagues(
    signed_in_client: Client, colleagues: dict[str, User]
) -> None:
    page = signed_in_client.get("/people/").content.decode()

    assert "Ben Okafor" in page
    assert "Cara Rossi" in page


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"q": "okafor"}, "Name matches"),
        ({"q": "impact"}, "Skill: Impact measurement (expert)"),
        ({"q": "esg"}, "Job title: ESG analyst"),
        ({"location": "lagos"}, "Based in Lagos, NG"),
        ({"language": "yo"}, "Speaks Yoruba"),
        ({"open_to_mentor": "on"}, "Open to mentor"),
    ],
)
def test_each_filter_finds_the_right_person_and_says_why(
    signed_in_client: Client, colleagues: dict[str, User], query: dict[str, str], reason: str
) -> None:
    page = signed_in_client.get("/people/", query).content.decode()

    assert "Ben Okafor" in page
    assert "Cara Rossi" not in page
    assert reason in page


def test_filters_by_id_say_why(
    signed_in_client: Client,
    colleagues: dict[str, User],
    impact_measurement: Skill,
    climate_action: CauseArea,
    integrity: CompanyValue,
    sustainability: Department,
) -> None:
    page = signed_in_client.get(
        "/people/",
        {
            "skill": impact_measurement.pk,
            "cause_area": climate_action.pk,
            "value": integrity.pk,
            "department": sustainability.pk,
        },
    ).content.decode()

    assert "Ben Okafor" in page
    assert "Cares about SDG 13: Climate Action" in page
    assert "Lives the value Integrity" in page
    assert "Works in Sustainability" in page


def test_htmx_filtering_returns_only_the_results(
    signed_in_client: Client, colleagues: dict[str, User]
) -> None:
    response = signed_in_client.get("/people/", {"q": "cara"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert '<section id="results"' in body
    assert "<html" not in body
    assert "Cara Rossi" in body


def test_people_who_left_are_not_listed(
    signed_in_client: Client, colleagues: dict[str, User]
) -> None:
    User.objects.filter(pk=colleagues["cara"].pk).update(is_active=False)

    assert "Cara Rossi" not in signed_in_client.get("/people/").content.decode()
    assert signed_in_client.get(f"/people/{colleagues['cara'].pk}/").status_code == 404


def test_results_are_paginated(signed_in_client: Client) -> None:
    for number in range(30):
        make_person(f"p{number}@example.com", first_name="Pat", last_name=f"Number{number:02d}")

    first = signed_in_client.get("/people/", {"q": "pat"}).content.decode()
    second = signed_in_client.get("/people/", {"q": "pat", "page": 2}).content.decode()

    assert "30 people" in first
    assert "Page 1 of 2" in first
    assert "Number00" in first
    assert "Number29" not in first
    assert "Number29" in second


def _add_people(count: int, skill: Skill) -> None:
    for number in range(count):
        person = make_person(
            f"bulk{number}@example.com",
            first_name="Bulk",
            last_name=f"Person{number}",
            skill=skill,
            job_title="Analyst",
        )
        person.profile.values.add(CompanyValue.objects.get_or_create(name="Care")[0])


@pytest.mark.parametrize("people", [3, 30])
def test_the_directory_runs_a_fixed_number_of_queries(
    signed_in_client: Client, impact_measurement: Skill, people: int, django_assert_num_queries
) -> None:
    _add_people(people, impact_measurement)
    signed_in_client.get("/people/")  # the filter lists are then cached (core.choices)

    with django_assert_num_queries(12):  # one: the viewer's programme peers; lists: cached
        response = signed_in_client.get("/people/", {"skill": impact_measurement.pk})

    assert response.status_code == 200


@pytest.mark.parametrize("skills", [1, 25])
def test_the_profile_page_runs_a_fixed_number_of_queries(
    signed_in_client: Client, user: User, skills: int, django_assert_num_queries
) -> None:
    profile = Profile.objects.get(user=user)
    for number in range(skills):
        ProfileSkill.objects.create(
            profile=profile, skill=Skill.objects.create(name=f"Skill {number}")
        )

    with django_assert_num_queries(15):
        response = signed_in_client.get(f"/people/{user.pk}/")

    assert response.status_code == 200


def test_the_directory_needs_sign_in(client: Client, db: None) -> None:
    assert client.get("/people/").status_code == 302


def test_a_long_list_says_there_are_more_people_and_how_to_narrow_it(
    signed_in_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("impactcircle.core.pagination.LIST_CAP", 20)
    for number in range(30):
        make_person(f"p{number}@example.com", first_name="Pat", last_name=f"Number{number:02d}")

    page = signed_in_client.get("/people/").content.decode()
    listed = signed_in_client.get("/api/v1/people", {"page_size": 100}).json()

    assert "More than 20 people" in page
    assert "Only the first 20 are listed" in page
    assert (listed["count"], listed["more"], len(listed["items"])) == (20, True, 20)
    narrowed = signed_in_client.get("/api/v1/people", {"q": "Number07"}).json()
    assert narrowed["more"] is False


def test_a_too_long_query_is_refused_with_the_limit_and_lists_no_one(
    signed_in_client: Client, colleagues: dict[str, User]
) -> None:
    response = signed_in_client.get("/people/", {"q": "x" * 3000})
    page = response.content.decode()

    assert response.status_code == 422
    assert "at most 200 characters" in page
    assert "Ben Okafor" not in page
    assert "Cara Rossi" not in page


def test_an_unknown_skill_is_a_form_error_not_everyone(
    signed_in_client: Client, colleagues: dict[str, User]
) -> None:
    response = signed_in_client.get("/people/", {"skill": "99999"}, headers={"HX-Request": "true"})
    page = response.content.decode()

    assert response.status_code == 422
    assert "No such skill: pick one from the list." in page  # in the swapped results
    assert "Ben Okafor" not in page
    assert "Cara Rossi" not in page


def test_a_query_at_the_limit_is_searched(
    signed_in_client: Client, colleagues: dict[str, User]
) -> None:
    response = signed_in_client.get("/people/", {"q": "Okafor " + "x" * 193})

    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 200 characters" not in page
    assert "Ben Okafor" in page
    assert "Cara Rossi" not in page  # searched, not everyone
