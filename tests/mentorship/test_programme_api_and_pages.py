"""The same programme flow through the API, and the programme pages with their permissions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils.html import escape
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory, bearer

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import Application, MatchingRun, Programme, Relationship
from impactcircle.people.models import Language, Level, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(
        email="mara@example.com",
        first_name="Mara",
        last_name="Manager",
        is_superuser=True,
        is_staff=True,
    )


def _ready_person(prefix: str, number: int, rank: int) -> User:
    person = UserFactory(
        email=f"{prefix}{number}@example.com", first_name=prefix.title(), last_name=f"N{number}"
    )
    level, _ = Level.objects.get_or_create(rank=rank, defaults={"name": f"L{rank}"})
    Profile.objects.filter(user=person).update(level=level)
    person.profile.languages.add(Language.objects.get(code="en"))
    return person


def test_the_whole_flow_works_through_the_api(
    client: Client, manager: User, django_capture_on_commit_callbacks
) -> None:
    today = date.today()
    created = client.post(
        "/api/v1/mentoring/programmes",
        {
            "name": "Impact circle",
            "enrolment_opens_on": str(today - timedelta(days=1)),
            "enrolment_closes_on": str(today + timedelta(days=5)),
            "starts_on": str(today + timedelta(days=6)),
            "ends_on": str(today + timedelta(days=120)),
            "weights": {"skills": 40},
        },
        content_type="application/json",
        headers=bearer(manager),
    )
    assert created.status_code == 201, created.content
    programme_id = created.json()["id"]
    people = [(_ready_person("mentee", n, 2), "mentee") for n in range(28)]
    people += [(_ready_person("mentor", n, 5), "mentor") for n in range(12)]
    for person, side in people:
        applied = client.post(
            f"/api/v1/mentoring/programmes/{programme_id}/applications",
            {"side": side, "goals": "Impact measurement", "capacity": 3},
            content_type="application/json",
            headers=bearer(person),
        )
        assert applied.status_code == 201, applied.content
        decided = client.post(
            f"/api/v1/mentoring/applications/{applied.json()['id']}/decision",
            {"decision": "accept"},
            content_type="application/json",
            headers=bearer(manager),
        )
        assert decided.json()["status"] == "accepted"

    def run() -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(
                f"/api/v1/mentoring/programmes/{programme_id}/runs",
                {},
                content_type="application/json",
                headers=bearer(manager),
            )
        assert started.status_code == 202
        return client.get(
            f"/api/v1/mentoring/runs/{started.json()['id']}", headers=bearer(manager)
        ).json()

    first = run()
    assert first["status"] == "draft"
    assert first["summary"]["matched"] == 28
    matches = client.get(
        f"/api/v1/mentoring/runs/{first['id']}/matches", headers=bearer(manager)
    ).json()["items"]
    kept, banned = matches[0], matches[1]
    for pair, kind in ((kept, "lock"), (banned, "forbid")):
        response = client.put(
            f"/api/v1/mentoring/programmes/{programme_id}/pair-rules",
            {
                "mentee_application_id": pair["mentee_application_id"],
                "mentor_application_id": pair["mentor_application_id"],
                "kind": kind,
            },
            content_type="application/json",
            headers=bearer(manager),
        )
        assert response.status_code == 204
    second = run()
    pairs = {
        (m["mentee_application_id"], m["mentor_application_id"])
        for m in client.get(
            f"/api/v1/mentoring/runs/{second['id']}/matches",
            {"page_size": 100},
            headers=bearer(manager),
        ).json()["items"]
    }
    assert (kept["mentee_application_id"], kept["mentor_application_id"]) in pairs
    assert (banned["mentee_application_id"], banned["mentor_application_id"]) not in pairs

    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(
            f"/api/v1/mentoring/runs/{second['id']}/publish", headers=bearer(manager)
        )
    assert published.status_code == 202
    assert published.json()["status"] == "publishing"
    done = client.get(f"/api/v1/mentoring/runs/{second['id']}", headers=bearer(manager)).json()
    assert done["status"] == "published"
    assert Relationship.objects.filter(source_run_id=second["id"]).count() == 28

    mentee = User.objects.get(pk=kept["mentee_user_id"])
    mentor = User.objects.get(pk=kept["mentor_user_id"])
    relationship = Relationship.objects.get(programme_id=programme_id, members__user=mentee)
    logged = client.post(
        f"/api/v1/mentoring/relationships/{relationship.pk}/sessions",
        {"held_on": str(today), "duration_minutes": 30, "topics": "SROI"},
        content_type="application/json",
        headers=bearer(mentee),
    )
    assert logged.status_code == 201, logged.content
    session_id = logged.json()["sessions"][0]["id"]
    confirmed = client.post(
        f"/api/v1/mentoring/relationships/{relationship.pk}/sessions/{session_id}/confirm",
        headers=bearer(mentor),
    )
    assert confirmed.json()["sessions"][0]["is_confirmed"]
    asked = client.post(
        f"/api/v1/mentoring/relationships/{relationship.pk}/complete",
        headers=bearer(mentor),
    )
    assert asked.json()["completion_requested_by_id"] == mentor.pk
    completed = client.post(
        f"/api/v1/mentoring/relationships/{relationship.pk}/complete",
        headers=bearer(mentee),
    )
    assert completed.json()["status"] == "completed"


def test_a_member_cannot_see_another_programmes_runs_or_applications(
    client: Client, manager: User, user: User
) -> None:
    programme = ProgrammeFactory(managers=[manager])
    application = ApplicationFactory(programme=programme)
    run = MatchingRun.objects.create(programme=programme, number=1, mode="optimal", status="draft")

    assert client.get(f"/api/v1/mentoring/runs/{run.pk}", headers=bearer(user)).status_code == 404
    assert (
        client.post(f"/api/v1/mentoring/runs/{run.pk}/publish", headers=bearer(user)).status_code
        == 404
    )
    decided = client.post(
        f"/api/v1/mentoring/applications/{application.pk}/decision",
        {"decision": "accept"},
        content_type="application/json",
        headers=bearer(user),
    )
    assert decided.status_code == 404
    listed = client.get(
        f"/api/v1/mentoring/programmes/{programme.pk}/applications", headers=bearer(user)
    )
    assert listed.json()["items"] == []
    started = client.post(
        f"/api/v1/mentoring/programmes/{programme.pk}/runs",
        {},
        content_type="application/json",
        headers=bearer(user),
    )
    assert started.status_code == 403


def test_an_invitation_only_programme_is_invisible_to_others(
    client: Client, manager: User, user: User
) -> None:
    hidden = ProgrammeFactory(access=Programme.Access.INVITATION, managers=[manager])

    assert (
        client.get(f"/api/v1/mentoring/programmes/{hidden.pk}", headers=bearer(user)).status_code
        == 404
    )
    client.force_login(user)
    assert client.get(f"/mentoring/programmes/{hidden.pk}/").status_code == 404
    assert hidden.name not in client.get("/mentoring/").content.decode()


def test_enrolling_on_the_page_prefills_from_the_profile_and_saves(
    signed_in_client: Client, user: User
) -> None:
    from impactcircle.people.services import goal_add

    goal_add(
        actor=user,
        profile=user.profile,
        text="Lead a volunteering day",
        skill_names=["Facilitation"],
    )
    programme = ProgrammeFactory()

    page = signed_in_client.get(f"/mentoring/programmes/{programme.pk}/").content.decode()
    assert "Lead a volunteering day" in page
    response = signed_in_client.post(
        f"/mentoring/programmes/{programme.pk}/apply/mentee/",
        {
            "mentee-goals": "Lead a volunteering day",
            "mentee-goal_skills": "Facilitation",
            "mentee-work_start_hour": 8,
            "mentee-work_end_hour": 17,
        },
    )

    assert response.status_code == 302
    application = Application.objects.get(user=user, programme=programme)
    assert application.side == "mentee"
    assert list(application.goal_skills.values_list("name", flat=True)) == ["Facilitation"]


def test_a_closed_programme_says_its_enrolment_has_closed(
    signed_in_client: Client, user: User
) -> None:
    today = date.today()
    closed = ProgrammeFactory(
        enrolment_opens_on=today - timedelta(days=30),
        enrolment_closes_on=today - timedelta(days=2),
        starts_on=today - timedelta(days=1),
    )
    ApplicationFactory(user=user, programme=closed, side="mentee", status="accepted")
    other_closed = ProgrammeFactory(
        enrolment_opens_on=today - timedelta(days=30),
        enrolment_closes_on=today - timedelta(days=2),
        starts_on=today - timedelta(days=1),
    )

    for programme in (closed, other_closed):
        page = signed_in_client.get(f"/mentoring/programmes/{programme.pk}/").content.decode()
        assert "Enrolment is open" not in page
        closed_on = programme.enrolment_closes_on
        assert f"Enrolment closed on {closed_on.day} {closed_on:%b %Y}." in page
        assert "Apply as a" not in page


def test_a_programme_whose_enrolment_has_not_begun_says_when_it_opens(
    signed_in_client: Client,
) -> None:
    today = date.today()
    later = ProgrammeFactory(
        enrolment_opens_on=today + timedelta(days=3),
        enrolment_closes_on=today + timedelta(days=10),
        starts_on=today + timedelta(days=11),
    )

    page = signed_in_client.get(f"/mentoring/programmes/{later.pk}/").content.decode()

    opens, closes = later.enrolment_opens_on, later.enrolment_closes_on
    assert (
        f"Enrolment opens on {opens.day} {opens:%b %Y} and closes on {closes.day} {closes:%b %Y}."
        in page
    )
    assert "Apply as a" not in page


def test_an_open_programme_says_until_when_one_may_apply(signed_in_client: Client) -> None:
    programme = ProgrammeFactory()

    page = signed_in_client.get(f"/mentoring/programmes/{programme.pk}/").content.decode()

    closes = programme.enrolment_closes_on
    assert f"Enrolment is open until {closes.day} {closes:%b %Y}." in page
    assert "Apply as a mentee" in page


def test_withdrawing_on_the_page(signed_in_client: Client, user: User) -> None:
    application = ApplicationFactory(user=user, status="submitted")

    signed_in_client.post(f"/mentoring/applications/{application.pk}/withdraw/")

    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_someone_elses_application_cannot_be_withdrawn(
    signed_in_client: Client, other_user: User
) -> None:
    application = ApplicationFactory(user=other_user, status="submitted")

    assert (
        signed_in_client.post(f"/mentoring/applications/{application.pk}/withdraw/").status_code
        == 404
    )
    application.refresh_from_db()
    assert application.status == "submitted"


def test_managers_pages_are_refused_to_members(signed_in_client: Client, manager: User) -> None:
    """The programme is open (a member may know it: 403); its runs and others' applications are
    not theirs to know (404)."""
    programme = ProgrammeFactory(managers=[manager])
    run = MatchingRun.objects.create(programme=programme, number=1, mode="optimal", status="draft")
    application = ApplicationFactory(programme=programme)

    assert signed_in_client.get(f"/mentoring/programmes/{programme.pk}/manage/").status_code == 403
    assert signed_in_client.get(f"/mentoring/runs/{run.pk}/").status_code == 404
    assert signed_in_client.post(f"/mentoring/runs/{run.pk}/publish/").status_code == 404
    assert (
        signed_in_client.post(
            f"/mentoring/applications/{application.pk}/decide/", {"decision": "accept"}
        ).status_code
        == 404
    )
    assert signed_in_client.post(f"/mentoring/programmes/{programme.pk}/runs/").status_code == 403


def test_a_manager_decides_with_htmx(client: Client, manager: User) -> None:
    application = ApplicationFactory(
        programme=ProgrammeFactory(managers=[manager]), status="submitted"
    )
    client.force_login(manager)

    response = client.post(
        f"/mentoring/applications/{application.pk}/decide/",
        {"decision": "decline", "reason": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert (
        "A reason is required" in response.content.decode()
        or "Tell the applicant why" in response.content.decode()
    )

    response = client.post(
        f"/mentoring/applications/{application.pk}/decide/",
        {"decision": "accept"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="applications"')
    assert f'<tr id="application-{application.pk}"' in body
    application.refresh_from_db()
    assert application.status == "accepted"


def test_the_run_page_shows_pairs_with_reasons_in_bounded_queries(
    client: Client, manager: User, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    from impactcircle.mentorship.matching.services import run_start

    programme = ProgrammeFactory(managers=[manager])
    for number in range(6):
        ApplicationFactory(
            programme=programme, user=_ready_person("mentee", number, 2), side="mentee"
        )
    for number in range(3):
        ApplicationFactory(
            programme=programme, user=_ready_person("mentor", number, 5), side="mentor", capacity=2
        )
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=manager, programme=programme)
    client.force_login(manager)

    with django_assert_max_num_queries(15):  # 15: one for whether the draft is superseded
        page = client.get(f"/mentoring/runs/{run.pk}/")

    body = page.content.decode()
    assert "Draft" in body
    assert "6 of 6 mentees" in body
    assert "Publish this matching" in body
    assert body.count('<ul class="reasons"><li>') == 6  # every pair explains itself


def test_counts_of_one_are_singular_on_the_run_and_programme_pages(
    client: Client, manager: User
) -> None:
    programme = ProgrammeFactory(managers=[manager], meeting_every_days=1)
    run = MatchingRun.objects.create(
        programme=programme,
        number=1,
        status="draft",
        mode="optimal",
        summary={
            "matched": 1,
            "mentees": 1,
            "matched_percent": 100,
            "mentors_used": 1,
            "mentor_capacity": 1,
        },
    )
    client.force_login(manager)

    run_page = client.get(f"/mentoring/runs/{run.pk}/").content.decode()
    programme_page = client.get(f"/mentoring/programmes/{programme.pk}/").content.decode()

    assert "1 of 1 mentee (100%)" in run_page
    assert "1 mentor used; 1 place offered" in run_page
    assert "meets every day" in programme_page


def test_the_programme_list_needs_sign_in(client: Client, db: None) -> None:
    assert client.get("/mentoring/").status_code == 302


def test_a_published_match_explains_itself_to_the_mentee(
    client: Client, manager: User, django_capture_on_commit_callbacks
) -> None:
    from impactcircle.mentorship.matching.services import run_publish, run_start

    programme = ProgrammeFactory(managers=[manager])
    mentee = _ready_person("mentee", 1, 2)
    ApplicationFactory(programme=programme, user=mentee, side="mentee")
    ApplicationFactory(programme=programme, user=_ready_person("mentor", 1, 5), side="mentor")
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=manager, programme=programme)
    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=manager, run=run)
    (relationship,) = Relationship.objects.filter(source_run=run)
    client.force_login(mentee)

    page = client.get(f"/mentoring/relationships/{relationship.pk}/").content.decode()

    assert "Why you were matched" in page
    assert relationship.reasons
    for reason in relationship.reasons:  # the mentor hides nothing
        assert f"<li>{escape(reason['text'])}</li>" in page
