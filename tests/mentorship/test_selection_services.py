"""Self-selection through the services: recommendations, shortlist, requests, capacity, expiry."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from impactcircle.mentorship.models import (
    MentorRequest,
    MentorShortlist,
    Programme,
    Relationship,
    RelationshipMember,
)
from impactcircle.mentorship.selection.selectors import recommendations_for
from impactcircle.mentorship.selection.services import (
    pair_fit,
    request_accept,
    request_decline,
    request_send,
    request_withdraw,
    requests_expire,
    shortlist_clear,
    shortlist_mark,
)
from impactcircle.notifications.models import Notification
from impactcircle.people.models import Profile, ProfileSkill, Skill

pytestmark = pytest.mark.django_db


def self_selection_programme(**overrides: object) -> Programme:
    values: dict[str, object] = {
        "matching_mode": "self_selection",
        "rule_min_level_gap": 0,
        "request_expires_after_days": 5,
    }
    values.update(overrides)
    return ProgrammeFactory(**values)


def enrol(programme: Programme, side: str, capacity: int = 1, **user: object) -> User:
    person = UserFactory(**user)
    ApplicationFactory(programme=programme, user=person, side=side, capacity=capacity)
    return person


@pytest.fixture
def programme(db: None) -> Programme:
    return self_selection_programme()


def test_recommendations_rank_mentors_by_the_engine_score_with_reasons(
    programme: Programme,
) -> None:
    mentee = enrol(programme, "mentee")
    plain = enrol(programme, "mentor", first_name="Plain")
    expert = enrol(programme, "mentor", first_name="Expert")
    skill = Skill.objects.create(name="Impact measurement")
    programme.applications.get(user=mentee).goal_skills.add(skill)
    profile, _ = Profile.objects.get_or_create(user=expert)
    ProfileSkill.objects.create(profile=profile, skill=skill, proficiency=4)

    shown = recommendations_for(mentee, programme.pk).shown
    assert [r.mentor for r in shown] == [expert, plain]
    assert shown[0].score > shown[1].score
    assert any("Impact measurement" in reason for reason in shown[0].reasons)
    assert "not in the same reporting line" in shown[0].rules_kept


def test_the_recommended_score_is_the_pairs_engine_score(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    (shown,) = recommendations_for(mentee, programme.pk).shown
    score, reasons = pair_fit(programme, mentee, mentor)
    assert shown.score == score
    assert list(shown.reasons) == [reason["text"] for reason in reasons]  # nothing hidden


def test_a_full_mentor_is_not_recommended(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    full = enrol(programme, "mentor")
    Relationship.objects.create(programme=programme, status="active")
    relationship = Relationship.objects.get()
    relationship.members.create(user=full, side="mentor")
    relationship.members.create(user=UserFactory(), side="mentee")
    assert recommendations_for(mentee, programme.pk).shown == ()


def test_a_mentor_breaking_a_hard_rule_is_not_recommended(db: None) -> None:
    programme = self_selection_programme(rule_min_level_gap=1)
    mentee = enrol(programme, "mentee")
    enrol(programme, "mentor")  # same (no) level: the level rule excludes them
    assert recommendations_for(mentee, programme.pk).shown == ()


def test_dismissed_mentors_are_hidden_and_can_be_restored(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    shortlist_mark(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk, kind="dismiss")
    found = recommendations_for(mentee, programme.pk)
    assert found.shown == ()
    assert [r.mentor for r in found.dismissed] == [mentor]
    shortlist_clear(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    assert [r.mentor for r in recommendations_for(mentee, programme.pk).shown] == [mentor]


def test_a_bookmark_shows_on_the_recommendation(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    shortlist_mark(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk, kind="bookmark")
    assert recommendations_for(mentee, programme.pk).shown[0].is_bookmarked


def test_only_self_selection_programmes_have_recommendations(db: None) -> None:
    programme = ProgrammeFactory(matching_mode="optimal")
    mentee = enrol(programme, "mentee")
    with pytest.raises(NotFound):
        recommendations_for(mentee, programme.pk)


def test_a_request_reaches_the_mentor(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request = request_send(
        actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk, message="Hello"
    )
    assert request.status == "pending"
    assert request.expires_at > timezone.now() + timedelta(days=4)
    assert Notification.objects.filter(recipient=mentor, category="mentoring").exists()


def test_a_twin_of_a_pending_request_is_a_conflict(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    with pytest.raises(Conflict, match="already asked"):
        request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    assert MentorRequest.objects.count() == 1


def test_requests_are_only_between_people_enrolled_in_the_programme(
    programme: Programme,
) -> None:
    mentee = enrol(programme, "mentee")
    outsider = UserFactory()
    elsewhere = enrol(self_selection_programme(), "mentor")
    with pytest.raises(NotFound):
        request_send(actor=mentee, programme_id=programme.pk, mentor_id=elsewhere.pk)
    mentor = enrol(programme, "mentor")
    with pytest.raises(NotFound):
        request_send(actor=outsider, programme_id=programme.pk, mentor_id=mentor.pk)


def test_accepting_creates_the_relationship_and_tells_both(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    relationship = request_accept(actor=mentor, request_id=request.pk)
    assert relationship.status == "active"
    assert relationship.score is not None
    assert set(relationship.members.values_list("user_id", "side")) == {
        (mentor.pk, "mentor"),
        (mentee.pk, "mentee"),
    }
    request.refresh_from_db()
    assert request.status == "accepted"
    assert Notification.objects.filter(recipient=mentee, message__contains="accepted").exists()
    assert Notification.objects.filter(recipient=mentor, message__contains="You now").exists()


def test_accepting_withdraws_the_mentees_other_pending_requests(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    first, second = enrol(programme, "mentor"), enrol(programme, "mentor")
    chosen = request_send(actor=mentee, programme_id=programme.pk, mentor_id=first.pk)
    other = request_send(actor=mentee, programme_id=programme.pk, mentor_id=second.pk)
    request_accept(actor=first, request_id=chosen.pk)
    other.refresh_from_db()
    assert other.status == "withdrawn"


def test_only_the_mentor_accepts(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    with pytest.raises(Forbidden):
        request_accept(actor=mentee, request_id=request.pk)
    with pytest.raises(NotFound):
        request_accept(actor=UserFactory(), request_id=request.pk)


def test_a_mentor_never_goes_beyond_capacity(programme: Programme) -> None:
    mentor = enrol(programme, "mentor", capacity=1)
    first, second = enrol(programme, "mentee"), enrol(programme, "mentee")
    a = request_send(actor=first, programme_id=programme.pk, mentor_id=mentor.pk)
    b = request_send(actor=second, programme_id=programme.pk, mentor_id=mentor.pk)
    request_accept(actor=mentor, request_id=a.pk)
    with pytest.raises(Conflict, match="no room left"):
        request_accept(actor=mentor, request_id=b.pk)
    b.refresh_from_db()
    assert b.status == "pending"


def test_declining_tells_the_mentee_the_reason(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    with pytest.raises(InvalidInput):
        request_decline(actor=mentor, request_id=request.pk, reason=" ")
    declined = request_decline(actor=mentor, request_id=request.pk, reason="Too busy this term")
    assert declined.status == "declined"
    assert declined.decline_reason == "Too busy this term"
    assert Notification.objects.filter(
        recipient=mentee, message__contains="Too busy this term"
    ).exists()
    with pytest.raises(Conflict):
        request_accept(actor=mentor, request_id=request.pk)


def test_the_mentee_can_withdraw_and_ask_again(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    assert request_withdraw(actor=mentee, request_id=request.pk).status == "withdrawn"
    again = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    assert again.status == "pending"


def test_a_request_expires_and_the_mentee_moves_on(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    silent = enrol(programme, "mentor")
    nextone = enrol(programme, "mentor")
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=silent.pk)
    assert requests_expire(timezone.now() + timedelta(days=4)) == 0
    assert requests_expire(timezone.now() + timedelta(days=5, minutes=1)) == 1
    request.refresh_from_db()
    assert request.status == "expired"
    assert Notification.objects.filter(recipient=mentee, message__contains="in time").exists()
    assert [r.mentor for r in recommendations_for(mentee, programme.pk).shown] == [nextone]
    assert MentorShortlist.objects.get(mentee=mentee, mentor=silent).kind == "dismiss"


def test_an_expired_request_can_no_longer_be_accepted(programme: Programme) -> None:
    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    MentorRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Conflict, match="expired"):
        request_accept(actor=mentor, request_id=request.pk)


def test_the_expiry_job_is_registered() -> None:
    from impactcircle.core.schedule import periodic_jobs

    assert "mentorship.expire_requests" in {job.name for job in periodic_jobs()}


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_accepts_never_exceed_capacity() -> None:
    programme = self_selection_programme()
    mentor = enrol(programme, "mentor", capacity=1)
    first, second = enrol(programme, "mentee"), enrol(programme, "mentee")
    requests = [
        request_send(actor=person, programme_id=programme.pk, mentor_id=mentor.pk)
        for person in (first, second)
    ]
    pair_fit(programme, first, mentor)  # load the text model once, before the race
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def accept(request_id: int) -> None:
        try:
            start.wait()
            outcomes.append(request_accept(actor=mentor, request_id=request_id))
        except Exception as error:  # the loser's Conflict is the point of the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r.pk,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(isinstance(o, Relationship) for o in outcomes) == 1
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1, outcomes
    assert "no room left" in conflicts[0].message
    assert RelationshipMember.objects.filter(user=mentor, side="mentor").count() == 1
    assert sorted(MentorRequest.objects.values_list("status", flat=True)) == [
        "accepted",
        "pending",
    ]


def test_the_hourly_task_expires_late_requests(programme: Programme) -> None:
    from impactcircle.mentorship.selection.tasks import expire_mentor_requests

    mentee = enrol(programme, "mentee")
    mentor = enrol(programme, "mentor")
    request = request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
    late = (timezone.now() + timedelta(days=6)).isoformat()
    assert expire_mentor_requests.call(scheduled_for=late) == {"expired": 1}
    request.refresh_from_db()
    assert request.status == "expired"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_identical_requests_make_one() -> None:
    programme = self_selection_programme()
    mentor = enrol(programme, "mentor")
    mentee = enrol(programme, "mentee")
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def send() -> None:
        try:
            start.wait()
            outcomes.append(
                request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk)
            )
        except Exception as error:  # the twin's Conflict is the point of the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(isinstance(o, MentorRequest) for o in outcomes) == 1, outcomes
    assert [o.message for o in outcomes if isinstance(o, Conflict)] == [
        f"You already asked {mentor.display_name} and are waiting for an answer."
    ]
    assert MentorRequest.objects.count() == 1
