"""The demo's mentorship: running programmes matched through the real services, the demo member
in them, activity at various stages, determinism, and the benchmark's large programme."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from impactcircle.accounts.models import User
from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL
from impactcircle.demo.company import build_demo_organisation
from impactcircle.demo.mentorship import build_large_programme
from impactcircle.mentorship.dashboard.selectors import programme_dashboard
from impactcircle.mentorship.models import (
    Application,
    CheckIn,
    MatchingRun,
    MentoringSession,
    Milestone,
    Programme,
    Relationship,
    RelationshipGoal,
    RelationshipMember,
)
from impactcircle.mentorship.policies import programme_managers

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", people=300, seed=2026)


def _programme(name: str) -> Programme:
    return Programme.objects.get(name=name)


def test_the_demo_has_four_programmes_managed_by_the_administrator(demo: None) -> None:
    administrator = User.objects.get(email=DEMO_ADMIN_EMAIL)

    formats = dict(Programme.objects.values_list("name", "format"))

    assert formats == {
        "Climate leaders mentoring 2026": "one_on_one",
        "Circular economy circles": "group_circle",
        "Reverse mentoring: digital and sustainability": "reverse",
        "Climate leaders mentoring 2027": "one_on_one",
    }
    assert all(
        administrator in programme_managers(programme) for programme in Programme.objects.all()
    )


def test_the_running_programmes_were_matched_and_published_by_the_services(demo: None) -> None:
    for name in (
        "Climate leaders mentoring 2026",
        "Circular economy circles",
        "Reverse mentoring: digital and sustainability",
    ):
        programme = _programme(name)
        run = programme.matching_runs.get()
        assert run.status == MatchingRun.Status.PUBLISHED
        assert run.summary["matched"] > 0
        relationships = programme.relationships.all()
        assert relationships.count() > 0
        assert all(r.source_run_id == run.pk for r in relationships)
        assert all(r.started_on == programme.starts_on for r in relationships)
    assert _programme("Circular economy circles").relationships.filter(is_circle=True).exists()


def test_applications_were_decided_with_reasons(demo: None) -> None:
    declined = Application.objects.filter(status=Application.Status.DECLINED)
    waitlisted = Application.objects.filter(status=Application.Status.WAITLISTED)

    assert declined.exists()
    assert waitlisted.exists()
    assert all(application.decision_reason for application in declined)


def test_the_demo_member_is_a_matched_mentee_with_a_session_and_applies_to_the_open_cohort(
    demo: None,
) -> None:
    member = User.objects.get(email=DEMO_MEMBER_EMAIL)

    membership = RelationshipMember.objects.select_related("relationship__programme").get(
        user=member
    )
    relationship = membership.relationship
    assert membership.side == "mentee"
    assert relationship.programme.name == "Climate leaders mentoring 2026"
    assert relationship.reasons  # the match explains itself
    assert relationship.last_session_on is not None
    sessions = relationship.sessions.all()
    assert sessions.count() == 2
    assert sessions.filter(confirmations__isnull=True).exclude(logged_by=member).exists()
    open_cohort = _programme("Climate leaders mentoring 2027")
    assert Application.objects.get(programme=open_cohort, user=member).status == "submitted"


def test_the_open_cohort_has_room_for_more_mentees(demo: None) -> None:
    cohort = _programme("Climate leaders mentoring 2027")
    accepted = cohort.applications.filter(status="accepted")

    places = sum(accepted.filter(side="mentor").values_list("capacity", flat=True))

    assert places > accepted.filter(side="mentee").count() + 1


def test_activity_is_at_various_stages(demo: None) -> None:
    assert MentoringSession.objects.filter(confirmations__isnull=False).exists()
    assert MentoringSession.objects.filter(confirmations__isnull=True).exists()
    progress = set(RelationshipGoal.objects.values_list("progress", flat=True))
    assert {0, 100} & progress
    assert len(progress) >= 3
    assert Milestone.objects.filter(is_done=True).exists()
    assert Milestone.objects.filter(is_done=False).exists()
    assert CheckIn.objects.filter(score__isnull=False).exists()
    assert CheckIn.objects.filter(score__isnull=True).exists()


def test_a_couple_of_relationships_are_at_risk(demo: None) -> None:
    dashboard = programme_dashboard(_programme("Climate leaders mentoring 2026"))

    # The demo silences two pairs on purpose; a low check-in round may add one or two more, and
    # "a couple" must never grow into the whole programme.
    assert 1 <= len(dashboard.at_risk) <= 4
    assert dashboard.check_ins.answers is None or dashboard.check_ins.answers >= 5


def test_the_administrator_sees_the_demo_dashboard(demo: None, client: Client) -> None:
    client.force_login(User.objects.get(email=DEMO_ADMIN_EMAIL))
    programme = _programme("Climate leaders mentoring 2026")

    response = client.get(f"/mentoring/programmes/{programme.pk}/dashboard/")

    assert response.status_code == 200
    assert "No confirmed session for" in response.content.decode()


def _mentorship_snapshot() -> list[tuple[object, ...]]:
    return sorted(
        (r.programme.name, r.score, tuple(sorted(m.user.email for m in r.members.all())))
        for r in Relationship.objects.select_related("programme").prefetch_related("members__user")
    )


def test_the_demo_mentorship_is_deterministic_for_a_seed() -> None:
    build_demo_organisation(people=300, seed=7)
    first = _mentorship_snapshot()
    sessions = list(MentoringSession.objects.order_by("pk").values_list("held_on", "topics"))
    Programme.objects.all().delete()
    User.objects.exclude(email__in=[DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL]).delete()

    build_demo_organisation(people=300, seed=7)

    assert _mentorship_snapshot() == first
    assert list(MentoringSession.objects.order_by("pk").values_list("held_on", "topics")) == (
        sessions
    )


def test_a_large_programme_can_be_built_for_the_benchmark(demo: None) -> None:
    administrator = User.objects.get(email=DEMO_ADMIN_EMAIL)

    programme = build_large_programme(manager=administrator, mentees=120, mentors=30, seed=1)

    accepted = programme.applications.filter(status="accepted")
    assert accepted.filter(side="mentee").count() == 120
    assert accepted.filter(side="mentor").count() == 30
    assert administrator in programme_managers(programme)
