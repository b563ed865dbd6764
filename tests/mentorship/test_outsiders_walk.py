"""Every mentorship page and API path, asked by people who have no business there.

The walk builds one of everything (programmes, applications, runs, a relationship with its
session, goal, milestone, resource and check-in, a flash slot and booking, a mentor request) and
then calls every URL pattern of the mentorship module and every `/api/v1/mentoring/` operation,
with each id filled in from those objects, as (1) an unrelated member and (2) the manager of
another programme. Nothing may answer 200 or change anything: an object they may not see is a 404,
one they may see but not act on a 403. New patterns and paths join the walk by themselves; an id
the walk does not know fails the test, so it is never silently skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from tests.factories import (
    ApplicationFactory,
    ProgrammeFactory,
    RelationshipFactory,
    UserFactory,
    bearer,
)

from impactcircle.accounts.models import User
from impactcircle.config.api import api
from impactcircle.mentorship.models import (
    CheckIn,
    FlashBooking,
    FlashSlot,
    MatchingRun,
    MentoringSession,
    MentorRequest,
    Milestone,
    ProposedMatch,
    Relationship,
    RelationshipGoal,
    SharedResource,
)
from impactcircle.mentorship.relationships.views import _ACTIONS as RELATIONSHIP_ACTIONS
from impactcircle.mentorship.selection.views import _ANSWERS, _SHORTLIST_ACTIONS

pytestmark = pytest.mark.django_db

REFUSED = {403, 404}


@dataclass
class World:
    """One of everything, belonging to people other than the outsiders."""

    ids: dict[str, int]
    flash_programme: int
    selection_programme: int
    names: list[str]


def _world(access: str) -> World:
    manager, mentee, mentor = UserFactory(), UserFactory(), UserFactory()
    programme = ProgrammeFactory(access=access, managers=[manager], name="Private cohort 7")
    mentee_application = ApplicationFactory(programme=programme, user=mentee, side="mentee")
    mentor_application = ApplicationFactory(programme=programme, user=mentor, side="mentor")
    run = MatchingRun.objects.create(programme=programme, number=1, mode="optimal", status="draft")
    other_run = MatchingRun.objects.create(
        programme=programme, number=2, mode="optimal", status="draft"
    )
    for each in (run, other_run):
        ProposedMatch.objects.create(
            run=each, mentee=mentee_application, mentor=mentor_application, score=80, reasons=[]
        )
    relationship = RelationshipFactory(programme=programme, mentor=mentor, mentees=[mentee])
    session = MentoringSession.objects.create(
        relationship=relationship, held_on=date.today(), duration_minutes=30, logged_by=mentee
    )
    goal = RelationshipGoal.objects.create(relationship=relationship, title="Measure SROI")
    milestone = Milestone.objects.create(goal=goal, title="Read the guide")
    resource = SharedResource.objects.create(
        relationship=relationship, title="Guide", url="https://example.com/guide", added_by=mentee
    )
    check_in = CheckIn.objects.create(relationship=relationship, user=mentee, due_on=date.today())

    flash = ProgrammeFactory(access=access, format="flash", managers=[manager])
    ApplicationFactory(programme=flash, user=mentor, side="mentor")
    ApplicationFactory(programme=flash, user=mentee, side="mentee")
    starts = timezone.now() + timedelta(days=3)
    slot = FlashSlot.objects.create(
        programme=flash,
        mentor=mentor,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        time_zone="UTC",
    )
    booking = FlashBooking.objects.create(slot=slot, member=mentee)

    selection = ProgrammeFactory(access=access, matching_mode="self_selection", managers=[manager])
    ApplicationFactory(programme=selection, user=mentor, side="mentor")
    ApplicationFactory(programme=selection, user=mentee, side="mentee")
    mentor_request = MentorRequest.objects.create(
        programme=selection,
        mentee=mentee,
        mentor=mentor,
        message="Would you mentor me?",
        expires_at=timezone.now() + timedelta(days=7),
    )
    return World(
        ids={
            "programme_id": programme.pk,
            "application_id": mentee_application.pk,
            "mentee_application_id": mentee_application.pk,
            "mentor_application_id": mentor_application.pk,
            "run_id": run.pk,
            "other_id": other_run.pk,
            "relationship_id": relationship.pk,
            "session_id": session.pk,
            "item_id": session.pk,
            "goal_id": goal.pk,
            "milestone_id": milestone.pk,
            "resource_id": resource.pk,
            "check_in_id": check_in.pk,
            "slot_id": slot.pk,
            "booking_id": booking.pk,
            "request_id": mentor_request.pk,
            "mentor_id": mentor.pk,
        },
        flash_programme=flash.pk,
        selection_programme=selection.pk,
        names=[programme.name],
    )


def _snapshot() -> tuple[int, ...]:
    """Counts that any accepted write of an outsider would change."""
    return (
        Relationship.objects.filter(status="active").count(),
        MentoringSession.objects.count(),
        RelationshipGoal.objects.count(),
        Milestone.objects.filter(is_done=True).count(),
        SharedResource.objects.count(),
        CheckIn.objects.filter(answered_at__isnull=False).count(),
        FlashSlot.objects.filter(status="open").count(),
        FlashBooking.objects.filter(status="booked").count(),
        MentorRequest.objects.filter(status="pending").count(),
        MatchingRun.objects.filter(status="draft").count(),
    )


def _page_patterns() -> list[tuple[str, list[str]]]:
    """(url name, the names of its path arguments) for every mentorship page with an object id."""
    found: list[tuple[str, list[str]]] = []

    def walk(entries: list[URLPattern | URLResolver], keys: list[str]) -> None:
        for entry in entries:
            own = list(entry.pattern.converters) if hasattr(entry.pattern, "converters") else []
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, keys + own)
            elif entry.name and keys + own:
                found.append((entry.name, keys + own))

    mentoring = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == "mentoring/"
    )
    walk(mentoring.url_patterns, [])
    return found


def _page_kwargs(world: World, name: str, keys: list[str]) -> list[dict[str, Any]]:
    values: dict[str, Any] = dict(world.ids)
    if name.startswith("flash_"):
        values["programme_id"] = world.flash_programme
    if name.startswith("selection_"):
        values["programme_id"] = world.selection_programme
    choices: dict[str, list[Any]] = {"side": ["mentee", "mentor"]}
    if name.startswith("relationship_"):
        choices["action"] = sorted(RELATIONSHIP_ACTIONS)
    elif name == "selection_shortlist":
        choices["action"] = sorted(_SHORTLIST_ACTIONS)
    else:
        choices["action"] = sorted(_ANSWERS)
    variants: list[dict[str, Any]] = [{}]
    for key in keys:
        if key in choices:
            variants = [variant | {key: choice} for variant in variants for choice in choices[key]]
        else:
            assert key in values, f"The walk does not know which object {key!r} of {name} names"
            variants = [variant | {key: values[key]} for variant in variants]
    return variants


_FORM = {
    "decision": "accept",
    "reason": "r",
    "title": "t",
    "text": "t",
    "side": "mentee",
    "emails": "someone@example.com",
    "enrolment_opens_on": "2031-01-01",
    "held_on": str(date.today()),
    "duration_minutes": "30",
    "progress": "50",
    "score": "4",
    "url": "https://example.com",
    "body": "b",
    "goals": "g",
    "cadence_days": "14",
    "starts_at": "2031-01-01T10:00",
    "mentee": "1",
    "mentor": "1",
    "kind": "lock",
    "message": "m",
}


def _outsiders() -> dict[str, User]:
    manager_elsewhere = UserFactory(first_name="Other", last_name="Manager")
    ProgrammeFactory(managers=[manager_elsewhere], name="Someone else's programme")
    return {"unrelated member": UserFactory(), "manager of another programme": manager_elsewhere}


@pytest.mark.parametrize("access", ["invitation", "open"])
def test_no_mentorship_page_answers_an_outsider(access: str) -> None:
    world = _world(access)
    before = _snapshot()
    # An open programme's own page and its enrolment form are for everyone.
    public = {"mentorship_programme", "mentorship_apply"} if access == "open" else set()
    patterns = _page_patterns()
    assert len(patterns) >= 20, patterns
    for who, outsider in _outsiders().items():
        client = Client()
        client.force_login(outsider)
        for name, keys in patterns:
            if name in public:
                continue
            for kwargs in _page_kwargs(world, name, keys):
                url = reverse(name, kwargs=kwargs)
                got = client.get(url, secure=True).status_code
                sent = client.post(url, _FORM, secure=True).status_code
                hx = client.post(url, _FORM, secure=True, headers={"HX-Request": "true"})
                assert got in REFUSED | {405}, (who, "GET", url, got)
                assert sent in REFUSED | {405}, (who, "POST", url, sent)
                assert hx.status_code in REFUSED | {405}, (who, "htmx POST", url, hx.status_code)
                assert {got, sent} & REFUSED, (who, url, got, sent)
        listing = client.get("/mentoring/", secure=True).text
        if access == "invitation":
            assert all(programme not in listing for programme in world.names), who
    assert _snapshot() == before


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _example(schema: dict[str, Any], node: dict[str, Any]) -> Any:
    """A valid value for a request schema: so that the refusal comes from access, not from 422."""
    node = _resolve(schema, node)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return _example(schema, node[key][0])
    if "enum" in node:
        return node["enum"][0]
    if "default" in node and node.get("type") != "object":
        return node["default"]
    kind = node.get("type")
    if kind == "object":
        return {
            name: _example(schema, prop)
            for name, prop in node.get("properties", {}).items()
            if name in node.get("required", []) or "default" not in prop
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return True
    formats = {
        "date": str(date.today() + timedelta(days=1)),
        "date-time": (timezone.now() + timedelta(days=2)).isoformat(),
        "email": "someone@example.com",
        "uri": "https://example.com/x",
    }
    return formats.get(node.get("format", ""), "https://example.com/x")


@pytest.mark.parametrize("access", ["invitation", "open"])
def test_no_mentorship_api_path_answers_an_outsider(access: str) -> None:
    world = _world(access)
    before = _snapshot()
    schema = api.get_openapi_schema()
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/mentoring/")
        for method, operation in methods.items()
        if "{" in path  # lists of one's own things are checked by their own tests
    ]
    assert len(operations) >= 30, len(operations)
    # An open programme may be read and applied to by anyone, who then lists their own
    # applications to it (none of the others').
    public = (
        {
            ("get", "/api/v1/mentoring/programmes/{programme_id}"),
            ("get", "/api/v1/mentoring/programmes/{programme_id}/applications"),
            ("post", "/api/v1/mentoring/programmes/{programme_id}/applications"),
        }
        if access == "open"
        else set()
    )
    for who, outsider in _outsiders().items():
        client = Client()
        headers = bearer(outsider)
        for path, method, operation in operations:
            if (method, path) in public:
                continue
            values: dict[str, Any] = dict(world.ids)
            if "/flash/" in path:
                values["programme_id"] = world.flash_programme
            if "/self-selection/" in path:
                values["programme_id"] = world.selection_programme
            url = re.sub(r"{(\w+)}", lambda m, v=values: str(v[m.group(1)]), path)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            payload = _example(schema, body["schema"]) if body else None
            response = getattr(client, method)(
                url,
                payload,
                content_type="application/json",
                headers=headers,
                secure=True,
            )
            assert response.status_code in REFUSED, (
                who,
                method.upper(),
                url,
                response.status_code,
                response.content[:300],
            )
    assert _snapshot() == before


def test_each_policys_per_object_check_agrees_with_its_queryset() -> None:
    """`is_visible` shortcuts must answer exactly what `visible()` answers (require() uses them)."""
    from impactcircle.core.access import policy_for, registered_models

    world = _world("invitation")
    people = [*_outsiders().values(), *User.objects.all()]
    models = [model for model in registered_models() if model._meta.app_label == "mentorship"]
    assert len(models) >= 7
    for model in models:
        policy = policy_for(model)
        objects = list(model._default_manager.all())
        assert objects, model
        for person in people:
            seen = set(policy.visible(person).values_list("pk", flat=True))
            for obj in objects:
                assert policy.is_visible(person, obj) == (obj.pk in seen), (model, person, obj)
    assert world.ids


@pytest.mark.parametrize("access", ["invitation", "open"])
def test_the_manage_pages_filters_and_pages_answer_no_outsider(access: str) -> None:
    """Filters, pages and the htmx fragment of the manage page, and the filtered API list, are
    refused before any filter is read (a bad filter is 403/404 too, not 422)."""
    world = _world(access)
    programme_id = world.ids["programme_id"]
    page = reverse("mentorship_manage", kwargs={"programme_id": programme_id})
    listing = f"/api/v1/mentoring/programmes/{programme_id}/applications"
    queries = ["status=submitted", "side=mentee&page=2", "q=a", "page=" + "9" * 30, "status=x"]
    for who, outsider in _outsiders().items():
        client = Client()
        client.force_login(outsider)
        for query in queries:
            for headers in ({}, {"HX-Request": "true"}):
                got = client.get(f"{page}?{query}", secure=True, headers=headers)
                assert got.status_code in REFUSED, (who, query, headers, got.status_code)
                assert "Private cohort 7" not in got.text, (who, query)
        found = client.get(listing, {"status": "submitted"}, headers=bearer(outsider), secure=True)
        if access == "open":  # anyone may list their own applications to an open programme
            assert found.json() == {"items": [], "count": 0}, who
        else:
            assert found.status_code in REFUSED, (who, found.status_code)
