"""The programme dashboard: its figures, who may see it, the anonymity threshold, the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import plotly
import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.mentorship.dashboard.export import spreadsheet_safe
from impactcircle.mentorship.dashboard.selectors import check_in_figures, programme_dashboard
from impactcircle.mentorship.dashboard.static import PlotlyFinder
from impactcircle.mentorship.models import (
    Application,
    CheckIn,
    FlashBooking,
    FlashSlot,
    MentoringSession,
    Milestone,
    PrivateNote,
    Programme,
    Relationship,
    RelationshipGoal,
    SessionConfirmation,
)
from impactcircle.mentorship.relationships.services import relationship_create

pytestmark = pytest.mark.django_db

PRIVATE = "Private: my worries about the reorganisation"


def _pair(programme: Programme, *, started_days_ago: int = 10) -> Relationship:
    mentor, mentee = UserFactory(), UserFactory()
    application = ApplicationFactory(programme=programme, user=mentee, side="mentee")
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(days=started_days_ago + 4)
    )
    ApplicationFactory(programme=programme, user=mentor, side="mentor")
    relationship = relationship_create(programme=programme, mentor=mentor, mentees=[mentee])
    Relationship.objects.filter(pk=relationship.pk).update(
        started_on=date.today() - timedelta(days=started_days_ago)
    )
    relationship.refresh_from_db()
    return relationship


def _confirmed_session(relationship: Relationship, *, days_ago: int = 2) -> MentoringSession:
    members = list(relationship.members.order_by("side"))  # mentee, mentor
    session = MentoringSession.objects.create(
        relationship=relationship,
        held_on=date.today() - timedelta(days=days_ago),
        duration_minutes=45,
        topics="Impact measurement",
        logged_by=members[0].user,
    )
    PrivateNote.objects.create(session=session, author=members[0].user, body=PRIVATE)
    SessionConfirmation.objects.create(session=session, user=members[1].user)
    Relationship.objects.filter(pk=relationship.pk).update(last_session_on=session.held_on)
    return session


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(first_name="Mara", last_name="Manager")


@pytest.fixture
def programme(manager: User) -> Programme:
    programme = ProgrammeFactory(name="Climate leaders", managers=[manager])
    quiet = _pair(programme, started_days_ago=40)  # silent for 40 days: at risk
    busy = _pair(programme, started_days_ago=10)
    _confirmed_session(busy)
    _confirmed_session(busy, days_ago=5)
    goal = RelationshipGoal.objects.create(relationship=busy, title="Baseline", progress=60)
    Milestone.objects.create(goal=goal, title="Draft", is_done=True)
    Milestone.objects.create(goal=goal, title="Publish")
    RelationshipGoal.objects.create(relationship=quiet, title="Start", progress=0)
    ApplicationFactory(programme=programme, side="mentee", status="declined")
    ApplicationFactory(programme=programme, side="mentee", status="waitlisted")
    return programme


def test_the_dashboard_counts_the_funnel_sessions_goals_and_risks(programme: Programme) -> None:
    dashboard = programme_dashboard(programme)

    mentees, mentors = dashboard.funnel
    assert mentees.counts == (4, 2, 2, 2, 0)  # applied, accepted, matched, active, completed
    assert mentors.counts == (2, 2, 2, 2, 0)
    assert dashboard.matched_percent == 100.0
    assert dashboard.median_days_to_match == 4.0
    assert dashboard.relationships == 2
    assert dashboard.sessions_per_relationship == 1.0  # (0 + 2) / 2
    assert dict(dashboard.session_histogram)["2"] == 1
    assert dashboard.goal_progress_mean == 30.0
    assert (dashboard.milestones_done, dashboard.milestones) == (1, 2)
    assert [risk.reasons for risk in dashboard.at_risk] == [("No confirmed session for 40 days",)]


def test_the_manager_sees_the_dashboard_with_its_charts(
    client: Client, manager: User, programme: Programme, django_assert_max_num_queries
) -> None:
    client.force_login(manager)
    with django_assert_max_num_queries(25):
        response = client.get(f"/mentoring/programmes/{programme.pk}/dashboard/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="funnel-figure" type="application/json"' in html
    assert "vendor/plotly/plotly.min.js" in html
    assert "mentorship/dashboard.js" in html
    assert "No confirmed session for 40 days" in html
    assert PRIVATE not in html
    assert "<style" not in html  # CSP: style-src 'self' only


def test_a_count_of_one_milestone_is_singular_on_the_dashboard(
    client: Client, manager: User
) -> None:
    programme = ProgrammeFactory(managers=[manager])
    goal = RelationshipGoal.objects.create(relationship=_pair(programme), title="Baseline")
    Milestone.objects.create(goal=goal, title="Draft", is_done=True)
    client.force_login(manager)

    html = client.get(f"/mentoring/programmes/{programme.pk}/dashboard/").content.decode()

    assert "over 1 goal; 1 of 1 milestone done" in html


def test_the_query_count_does_not_grow_with_the_relationships(
    client: Client, manager: User, programme: Programme, django_assert_max_num_queries
) -> None:
    for _ in range(15):
        relationship = _pair(programme)
        _confirmed_session(relationship)
        CheckIn.objects.create(
            relationship=relationship, user=relationship.members.first().user,
            due_on=date.today(), score=4, answered_at=timezone.now(),
        )  # fmt: skip
    client.force_login(manager)
    with django_assert_max_num_queries(25):
        response = client.get(f"/mentoring/programmes/{programme.pk}/dashboard/")
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["unrelated member", "member of the programme"])
def test_anyone_but_its_managers_is_refused(client: Client, programme: Programme, who: str) -> None:
    """The programme is open, so they may know it exists (403); they may not see its figures."""
    if who == "unrelated member":
        person = UserFactory()
    else:
        person = programme.relationships.first().members.first().user
    client.force_login(person)

    page = client.get(f"/mentoring/programmes/{programme.pk}/dashboard/")
    assert page.status_code == 403
    assert b"Enrolment funnel" not in page.content
    assert client.get(f"/mentoring/programmes/{programme.pk}/dashboard.csv").status_code == 403


def test_a_manager_of_another_programme_is_refused(client: Client, programme: Programme) -> None:
    other_manager = UserFactory()
    ProgrammeFactory(managers=[other_manager])
    client.force_login(other_manager)
    assert client.get(f"/mentoring/programmes/{programme.pk}/dashboard/").status_code == 403


def test_a_dashboard_of_a_programme_one_cannot_see_is_404(client: Client, user: User) -> None:
    hidden = ProgrammeFactory(access=Programme.Access.INVITATION, managers=[UserFactory()])
    client.force_login(user)
    assert client.get(f"/mentoring/programmes/{hidden.pk}/dashboard/").status_code == 404


def test_visitors_are_sent_to_sign_in(client: Client, programme: Programme) -> None:
    response = client.get(f"/mentoring/programmes/{programme.pk}/dashboard/")
    assert response.status_code == 302


def test_check_in_scores_of_fewer_than_five_people_are_not_shown(
    client: Client, manager: User, programme: Programme
) -> None:
    relationship = programme.relationships.first()
    for number, member in enumerate(relationship.members.all()):
        CheckIn.objects.create(
            relationship=relationship, user=member.user, due_on=date.today(),
            score=1 + number, answered_at=timezone.now(),
        )  # fmt: skip
    client.force_login(manager)

    html = client.get(f"/mentoring/programmes/{programme.pk}/dashboard/").content.decode()

    assert "Fewer than 5 answers so far" in html
    assert "check-ins-figure" not in html


def test_a_score_of_fewer_than_five_is_folded_with_the_next_smallest_and_the_mean_hidden() -> None:
    figures = check_in_figures({4: 7, 5: 6, 2: 1})

    shown = {score_bin.label: score_bin.count for score_bin in figures.bins}
    # Score 2 alone in "Other" would be recoverable (14 − 7 − 6); score 5, the next-smallest,
    # joins it, and so do the scores nobody gave, so "Other" holds 7 answers that could be
    # spread over 1, 2, 3 and 5 in many ways.
    assert shown == {"1": None, "2": None, "3": None, "4": 7, "5": None, "Other": 7}
    assert figures.mean is None  # mean and counts together would solve for the folded scores
    assert figures.answers == 14


def test_the_score_threshold_comes_from_the_settings(settings) -> None:
    settings.ANONYMITY_MIN_GROUP_SCORES = 8

    figures = check_in_figures({3: 7, 4: 9, 5: 9})

    shown = {score_bin.label: score_bin.count for score_bin in figures.bins}
    # 7 answers of 3 are under 8: they fold with the 9 answers of 4 (the next-smallest, before 5).
    assert shown == {"1": None, "2": None, "3": None, "4": None, "5": 9, "Other": 16}


def test_scores_all_in_groups_of_five_show_with_their_mean() -> None:
    figures = check_in_figures({3: 5, 4: 5})

    assert figures.mean == 3.5
    assert figures.answers == 10
    assert all(score_bin.count is not None for score_bin in figures.bins)


def test_the_csv_holds_the_figures_and_no_names_or_notes(
    client: Client, manager: User, programme: Programme
) -> None:
    client.force_login(manager)

    response = client.get(f"/mentoring/programmes/{programme.pk}/dashboard.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["section", "item", "side", "value"]
    assert ["funnel", "Applied", "mentee", "4"] in rows
    assert ["matching", "Median days to match", "mentee", "4"] in rows
    assert PRIVATE not in body
    for member in programme.relationships.first().members.select_related("user"):
        assert member.user.last_name not in body


def test_plotly_is_found_in_the_installed_package_for_collectstatic() -> None:
    found = finders.find("vendor/plotly/plotly.min.js")
    listed = [(getattr(storage, "prefix", ""), path) for path, storage in PlotlyFinder().list(None)]

    assert found is not None
    assert Path(found).read_bytes()[:40].startswith(b"/**\n* plotly.js v")
    assert Path(plotly.__file__).parent in Path(found).parents
    assert listed == [("vendor/plotly", "plotly.min.js")]


def test_empty_csv_cells_stay_empty_and_only_formulas_get_a_quote(
    client: Client, manager: User, programme: Programme
) -> None:
    client.force_login(manager)

    body = client.get(f"/mentoring/programmes/{programme.pk}/dashboard.csv").content.decode()

    rows = list(csv.reader(io.StringIO(body)))
    started = next(row for row in rows if row[1] == "Relationships started")
    assert started[2] == ""
    assert all(cell != "'" for row in rows for cell in row)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("", ""),
        ("3", "3"),
        ("Lea's goal", "Lea's goal"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
    ],
)
def test_a_csv_cell_is_quoted_only_when_a_spreadsheet_would_read_a_formula(
    cell: str, written: str
) -> None:
    assert spreadsheet_safe(cell) == written


@pytest.fixture
def flash(manager: User) -> Programme:
    """Three accepted mentees and a mentor: one talked last week, one books next week, one
    cancelled, and a slot is still open."""
    programme = ProgrammeFactory(name="Flash week", format="flash", managers=[manager])
    mentor = ApplicationFactory(programme=programme, side="mentor").user
    held, coming, cancelled = (
        ApplicationFactory(programme=programme, side="mentee").user for _ in range(3)
    )
    now = timezone.now()

    def slot(days: int, status: str) -> FlashSlot:
        starts = now + timedelta(days=days)
        return FlashSlot.objects.create(
            programme=programme,
            mentor=mentor,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
            time_zone="UTC",
            status=status,
        )

    FlashBooking.objects.create(slot=slot(-7, "booked"), member=held)
    FlashBooking.objects.create(slot=slot(7, "booked"), member=coming)
    FlashBooking.objects.create(slot=slot(8, "open"), member=cancelled, status="cancelled")
    slot(9, "open")
    return programme


def test_a_flash_dashboard_counts_bookings_not_matches(
    client: Client, manager: User, flash: Programme
) -> None:
    dashboard = programme_dashboard(flash)

    assert dashboard.flash is not None
    assert dashboard.flash.booked_mentees == 2
    assert dashboard.flash.booked_percent == 66.7
    assert (dashboard.flash.sessions_booked, dashboard.flash.sessions_held) == (2, 1)
    assert dashboard.flash.open_slots == 2
    client.force_login(manager)
    html = client.get(f"/mentoring/programmes/{flash.pk}/dashboard/").content.decode()
    assert "Matched" not in html.split("At a glance")[1].split("</dl>")[0]
    assert "66.7% of accepted mentees booked a session (2 of 3)" in html
    assert "2 booked, 1 held; 2 open slots" in html
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/mentoring/programmes/{flash.pk}/dashboard.csv").content.decode()
            )
        )
    )
    assert ["flash", "Mentees who booked a session (%)", "mentee", "66.7"] in rows
    assert ["flash", "Sessions held", "", "1"] in rows
    assert not any(row[:2] == ["matching", "Matched mentees (%)"] for row in rows)


def test_a_dashboard_of_another_format_has_no_flash_figures(programme: Programme) -> None:
    assert programme_dashboard(programme).flash is None
