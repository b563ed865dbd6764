""" "People in a programme with me" works for a real published programme: a mentee's fields
shared with programme peers are seen by their mentor, not by an unrelated person nor by the
mentee of another pair, unless the programme lets its participants see each other."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.factories import RelationshipFactory, UserFactory, bearer
from tests.mentorship.published_programme import (
    Pair,
    computed_run,
    enrol,
    open_programme,
    pair_of,
    person,
    programme_manager,
    publish,
)

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import Programme
from impactcircle.mentorship.programmes.enrolment import ApplicationDetails, application_submit
from impactcircle.mentorship.relationships.peers import programme_peer_ids
from impactcircle.mentorship.relationships.services import relationship_complete
from impactcircle.people.models import ProfileSkill, Skill, Visibility
from impactcircle.people.visibility import scope_for

pytestmark = pytest.mark.django_db

SKILL = "Carbon accounting"


def _published(capture: Any, **settings: object) -> tuple[Programme, Pair, Pair]:
    """Lea shares her skills with programme peers; she and Noor are matched with a mentor each."""
    manager = programme_manager()
    programme = open_programme(manager, **settings)
    lea = person("Lea", 2, skills_visibility=Visibility.PROGRAMME)
    ProfileSkill.objects.create(
        profile=lea.profile,
        skill=Skill.objects.create(name=SKILL),
        proficiency=ProfileSkill.Proficiency.PRACTISING,
    )
    noor = person("Noor", 2)
    for mentee in (lea, noor):
        enrol(manager, programme, mentee, "mentee")
    for name in ("Freya", "Omar"):
        enrol(manager, programme, person(name, 5), "mentor")
    publish(manager, computed_run(manager, programme, capture), capture)
    return programme, pair_of(lea, programme), pair_of(noor, programme)


def _sees_skill(client: Client, viewer: User, subject: User) -> tuple[bool, bool]:
    client.force_login(viewer)
    page = client.get(f"/people/{subject.pk}/").content.decode()
    api = client.get(f"/api/v1/people/{subject.pk}", headers=bearer(viewer)).json()
    return SKILL in page, api["skills"] is not None and SKILL in str(api["skills"])


def test_a_mentor_sees_what_their_mentee_shares_with_programme_peers(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _, lea, _ = _published(django_capture_on_commit_callbacks)

    assert _sees_skill(client, lea.mentor, lea.mentee) == (True, True)


def test_an_unrelated_person_and_another_pair_do_not_see_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _, lea, noor = _published(django_capture_on_commit_callbacks)
    outsider = UserFactory()

    for viewer in (outsider, noor.mentee, noor.mentor):
        assert _sees_skill(client, viewer, lea.mentee) == (False, False)


def test_participants_see_each_other_when_the_programme_says_so(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _, lea, noor = _published(django_capture_on_commit_callbacks, participants_see_each_other=True)

    assert _sees_skill(client, noor.mentee, lea.mentee) == (True, True)
    assert _sees_skill(client, noor.mentor, lea.mentee) == (True, True)
    assert _sees_skill(client, UserFactory(), lea.mentee) == (False, False)


def test_a_finished_relationship_keeps_its_members_peers(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _, lea, _ = _published(django_capture_on_commit_callbacks)
    relationship_complete(relationship=lea.relationship, actor=lea.mentor)

    assert _sees_skill(client, lea.mentor, lea.mentee) == (True, True)


def test_the_peers_of_a_circle_are_its_members() -> None:
    mentor, first, second = UserFactory(), UserFactory(), UserFactory()
    RelationshipFactory(mentor=mentor, mentees=[first, second], is_circle=True)
    RelationshipFactory(mentees=[first])  # another pair of the first mentee

    assert programme_peer_ids(second) == {mentor.pk, first.pk}
    assert mentor.pk in scope_for(first).peer_ids


def test_waiting_applicants_are_not_peers_of_the_participants() -> None:
    manager = programme_manager()
    programme = open_programme(manager, participants_see_each_other=True)
    accepted, waiting = person("Ada", 2), person("Ben", 2)
    enrol(manager, programme, accepted, "mentee")
    application_submit(
        actor=waiting, programme=programme, details=ApplicationDetails(side="mentee")
    )

    assert waiting.pk not in programme_peer_ids(accepted)
    assert accepted.pk not in programme_peer_ids(waiting)


def test_the_peers_are_found_in_one_query_whatever_the_number_of_relationships(
    django_assert_num_queries: Any,
) -> None:
    mentor = UserFactory()
    for _ in range(12):
        RelationshipFactory(mentor=mentor, mentees=[UserFactory(), UserFactory()])

    with django_assert_num_queries(1):
        peers = programme_peer_ids(mentor)

    assert len(peers) == 24


def test_the_setting_is_chosen_in_the_programme_form_and_the_api(client: Client) -> None:
    manager = programme_manager()
    client.force_login(manager)
    form = client.get("/mentoring/programmes/new/").content.decode()
    created = client.post(
        "/api/v1/mentoring/programmes",
        {
            "name": "Open circle",
            "enrolment_opens_on": "2027-01-01",
            "enrolment_closes_on": "2027-01-10",
            "starts_on": "2027-01-11",
            "ends_on": "2027-06-30",
            "participants_see_each_other": True,
        },
        content_type="application/json",
        headers=bearer(manager),
    )

    assert 'name="participants_see_each_other"' in form
    assert created.status_code == 201, created.content
    assert created.json()["participants_see_each_other"] is True
    assert Programme.objects.get(pk=created.json()["id"]).participants_see_each_other
