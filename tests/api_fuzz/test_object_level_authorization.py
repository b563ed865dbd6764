"""A second, unrelated member gets none of the first member's objects through any operation.

Every operation of the schema whose path names private objects (tokens, notifications, goals,
applications, relationships and what is inside them, runs …) is called by the second member with
the ids of the first member's objects, with a body schemathesis draws as valid for it. None may
answer 2xx. Ids of things shared by design are not probed here: profiles (`user_id`, visible to
colleagues within their visibility settings), programmes, the skills taxonomy, mentors offered in
self-selection. New operations are covered as soon as they name one of these ids.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from hypothesis.errors import NonInteractiveExampleWarning
from tests.api_fuzz.test_openapi_fuzz import schema
from tests.factories import (
    ApplicationFactory,
    NotificationFactory,
    ProgrammeFactory,
    UserFactory,
    bearer,
)

from impactcircle.accounts.models import User
from impactcircle.accounts.services import access_token_create
from impactcircle.mentorship.relationships import services as relationships
from impactcircle.people import services as people
from impactcircle.people.models import Profile

pytestmark = [pytest.mark.api_fuzz, pytest.mark.django_db]

SHARED_BY_DESIGN = {"user_id", "programme_id", "skill_id", "mentor_id", "category", "other_id"}


def _owned_objects(owner: User) -> dict[str, int]:
    """The first member's private objects, by the path parameter that names them."""
    mentor = UserFactory()
    programme = ProgrammeFactory()
    mentee_application = ApplicationFactory(programme=programme, user=owner, side="mentee")
    mentor_application = ApplicationFactory(programme=programme, user=mentor, side="mentor")
    relationship = relationships.relationship_create(
        programme=programme, mentor=mentor, mentees=[owner]
    )
    goal = relationships.goal_add(actor=owner, relationship=relationship, title="Lead a project")
    milestone = relationships.milestone_add(
        actor=owner, relationship=relationship, goal_id=goal.pk, title="Draft the plan"
    )
    session = relationships.session_log(
        actor=owner,
        relationship=relationship,
        held_on=date.today() - timedelta(days=1),
        duration_minutes=45,
        private_note="mine alone",
    )
    development_goal = people.goal_add(
        actor=owner, profile=Profile.objects.get(user=owner), text="Speak at a conference"
    )
    return {
        "token_id": access_token_create(user=owner, name="owner's", expires_in_days=30).token.pk,
        "notification_id": NotificationFactory(recipient=owner).pk,
        "development_goal_id": development_goal.pk,
        "application_id": mentee_application.pk,
        "mentee_application_id": mentee_application.pk,
        "mentor_application_id": mentor_application.pk,
        "relationship_id": relationship.pk,
        "goal_id": goal.pk,
        "milestone_id": milestone.pk,
        "session_id": session.pk,
    }


def _probes(owned: dict[str, int]) -> list[tuple[Any, dict[str, int]]]:
    probes = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = set(re.findall(r"{(\w+)}", operation.path))
        private = names - SHARED_BY_DESIGN
        if not private:
            continue
        ids = dict(owned)
        if operation.path.startswith("/api/v1/people/me/goals/"):
            ids["goal_id"] = owned["development_goal_id"]
        if not names <= set(ids):
            continue  # names an object this test does not create (yet)
        probes.append((operation, {name: ids[name] for name in names}))
    return probes


def test_a_second_member_gets_no_2xx_on_the_first_members_objects() -> None:
    owner, outsider = UserFactory(), UserFactory()
    owned = _owned_objects(owner)
    headers = bearer(outsider)
    answers = []

    for operation, path_parameters in _probes(owned):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonInteractiveExampleWarning)
            case = operation.as_strategy(path_parameters=path_parameters).example()
        response = case.call(headers=headers)
        answers.append((operation.label, response.status_code))

    assert len(answers) >= 20, answers  # every operation on these objects (20 today)
    leaks = [(label, status) for label, status in answers if 200 <= status < 300]
    assert leaks == [], leaks
    # The ids are real: their owner reads them.
    relationship = f"/api/v1/mentoring/relationships/{owned['relationship_id']}"
    assert Client().get(relationship, headers=bearer(owner), secure=True).status_code == 200
