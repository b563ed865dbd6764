"""The matching run's fairness audit: no group under the anonymity threshold, and no label from a
field its owner hid — in the stored summary, on the run page and in the run API."""

from __future__ import annotations

import importlib
import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.test import Client
from tests.factories import UserFactory, bearer

from impactcircle.accounts.models import User
from impactcircle.engine.matching import Weights
from impactcircle.mentorship.matching.problem import NOT_SHARED, build_pool
from impactcircle.mentorship.matching.services import run_start
from impactcircle.mentorship.models import Application, MatchingRun, Programme
from impactcircle.mentorship.programmes.enrolment import (
    ApplicationDetails,
    application_decide,
    application_submit,
)
from impactcircle.mentorship.programmes.services import ProgrammeSettings, programme_create
from impactcircle.people.models import Department, Language, Level, Profile, Visibility
from impactcircle.people.organisation_services import role_grant
from impactcircle.people.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None) -> User:
    admin = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory(first_name="Mara", last_name="Manager")
    role_grant(actor=admin, user=person, role=Role.PROGRAMME_MANAGER)
    return User.objects.get(pk=person.pk)


def _enrol(programme: Programme, side: str, level: Level, country: str, **visibility: str) -> User:
    person = UserFactory()
    Profile.objects.filter(user=person).update(
        level=level,
        country=country,
        department=Department.objects.get_or_create(name="Sustainability")[0],
        **visibility,
    )
    person.profile.languages.add(Language.objects.get(code="en"))
    application_submit(
        actor=person,
        programme=programme,
        details=ApplicationDetails(
            side=side,
            goals="Measure the social impact of our volunteering",
            goal_skill_names=("Impact measurement",),
            capacity=3 if side == "mentor" else 1,
        ),
    )
    return person


@pytest.fixture
def programme(manager: User) -> Programme:
    today = date.today()
    programme = programme_create(
        actor=manager,
        settings=ProgrammeSettings(
            name="Climate leaders",
            enrolment_opens_on=today - timedelta(days=1),
            enrolment_closes_on=today + timedelta(days=10),
            starts_on=today + timedelta(days=11),
            ends_on=today + timedelta(days=200),
            max_mentees_per_mentor=3,
        ),
    )
    l2, l3, l5, l7 = (Level.objects.create(name=f"L{n}", rank=n) for n in (2, 3, 5, 7))
    for _ in range(10):
        _enrol(programme, "mentee", l2, "DE")
    for _ in range(6):
        _enrol(programme, "mentee", l3, "DE")
    # Alone at L7 and alone in Norway, both hidden from everyone but administrators.
    _enrol(
        programme,
        "mentee",
        l7,
        "NO",
        level_visibility=Visibility.PRIVATE,
        location_visibility=Visibility.PROGRAMME,
    )
    for _ in range(6):
        _enrol(programme, "mentor", l5, "DE")
    for application in programme.applications.all():
        application_decide(actor=manager, application=application, decision="accept")
    return programme


@pytest.fixture
def run(manager: User, programme: Programme, django_capture_on_commit_callbacks) -> MatchingRun:
    with django_capture_on_commit_callbacks(execute=True):
        started = run_start(actor=manager, programme=programme)
    return MatchingRun.objects.get(pk=started.pk)


def test_a_hidden_level_or_location_counts_under_not_shared(programme: Programme) -> None:
    pool = build_pool(programme, weights=Weights())

    groups = [mentee.groups for mentee in pool.problem.mentees]

    assert {"department": "Sustainability", "location": NOT_SHARED, "level": NOT_SHARED} in groups
    assert all(group["level"] != "L7" and group["location"] != "NO" for group in groups)
    assert sum(group["level"] == "L2" for group in groups) == 10


def test_the_stored_audit_has_no_hidden_value_and_no_small_group(run: MatchingRun) -> None:
    fairness = run.summary["fairness"]
    stored = json.dumps(fairness)

    assert '"L7"' not in stored
    assert '"NO"' not in stored
    assert fairness["min_group_size"] == 5
    people = [group["people"] for a in fairness["attributes"] for group in a["groups"]]
    assert people
    assert min(people) >= 5
    level = next(a for a in fairness["attributes"] if a["attribute"] == "level")
    # Not shared (1) folds with the next-smallest, L3 (6): neither is labelled.
    assert {group["value"]: group["people"] for group in level["groups"]} == {"L2": 10, "Other": 7}


def test_the_run_page_shows_no_hidden_value_and_no_small_group(
    client: Client, manager: User, run: MatchingRun
) -> None:
    client.force_login(manager)

    html = client.get(f"/mentoring/runs/{run.pk}/").content.decode()

    assert "How evenly quality falls" in html
    assert "L7" not in html
    assert "<td>Other</td><td>7</td>" in html
    assert "<td>1</td>" not in html


def test_the_run_api_shows_no_hidden_value_and_no_small_group(
    client: Client, manager: User, run: MatchingRun
) -> None:
    response = client.get(f"/api/v1/mentoring/runs/{run.pk}", headers=bearer(manager))

    assert response.status_code == 200
    fairness = response.json()["summary"]["fairness"]
    assert "L7" not in json.dumps(fairness)
    groups = [group for attribute in fairness["attributes"] for group in attribute["groups"]]
    assert groups
    assert all(group["people"] >= 5 for group in groups)


def test_the_threshold_of_the_audit_comes_from_the_settings(
    manager: User, programme: Programme, django_capture_on_commit_callbacks, settings
) -> None:
    settings.ANONYMITY_MIN_GROUP_SCORES = 11
    with django_capture_on_commit_callbacks(execute=True):
        started = run_start(actor=manager, programme=programme)

    fairness = MatchingRun.objects.get(pk=started.pk).summary["fairness"]

    assert fairness["min_group_size"] == 11
    level = next(a for a in fairness["attributes"] if a["attribute"] == "level")
    assert {group["value"]: group["people"] for group in level["groups"]} == {"Other": 17}


def test_audits_stored_before_the_anonymity_rules_are_forgotten(run: MatchingRun) -> None:
    migration = importlib.import_module(
        "impactcircle.mentorship.migrations.0004_forget_unsafe_fairness_audits"
    )
    old_audit = {
        "min_group_size": 5,
        "attributes": [
            {
                "attribute": "level",
                "groups": [{"value": "L7", "people": 1, "suppressed": True}],
                "matched_rate_gap": None,
                "mean_score_gap": None,
                "lowest_matched_rate": None,
            }
        ],
    }
    safe_audit = run.summary["fairness"]
    old = MatchingRun.objects.create(
        programme=run.programme,
        number=run.number + 1,
        summary={"matched": 9, "fairness": old_audit},
    )

    migration.forget_unsafe_audits(apps, None)

    old.refresh_from_db()
    run.refresh_from_db()
    assert old.summary == {"matched": 9, "fairness": None}
    assert run.summary["fairness"] == safe_audit


def test_a_large_group_of_a_hidden_level_is_counted_as_not_shared_never_by_its_value(
    manager: User, programme: Programme, django_capture_on_commit_callbacks
) -> None:
    l9 = Level.objects.create(name="L9", rank=9)
    for _ in range(5):
        _enrol(programme, "mentee", l9, "FR", level_visibility=Visibility.PROGRAMME)
    for application in programme.applications.filter(status=Application.Status.SUBMITTED):
        application_decide(actor=manager, application=application, decision="accept")
    with django_capture_on_commit_callbacks(execute=True):
        started = run_start(actor=manager, programme=programme)

    fairness = MatchingRun.objects.get(pk=started.pk).summary["fairness"]

    assert '"L9"' not in json.dumps(fairness)
    level = next(a for a in fairness["attributes"] if a["attribute"] == "level")
    assert {group["value"]: group["people"] for group in level["groups"]} == {
        "L2": 10,
        "L3": 6,
        NOT_SHARED: 6,  # the five at L9 and the one at L7
    }
    location = next(a for a in fairness["attributes"] if a["attribute"] == "location")
    # Not shared (the one in Norway) folds with France (5), the next-smallest.
    assert {group["value"]: group["people"] for group in location["groups"]} == {
        "DE": 16,
        "Other": 6,
    }
