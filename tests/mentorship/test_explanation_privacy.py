"""Matching explanations never show a viewer a profile field its owner hid from them.

Lea wants to grow in stakeholder coaching and hides her development goals; Freya, an expert in
it, hides her skills and her values ("only me"). Both value radical candour. Matching still uses
all of it, but a non-administrator programme manager, the mentee herself (for what Freya hid)
and anyone else read the explanation without the hidden fields, on the run page, the run's
matches API, the recommendations page and API, and the relationship page and API; an
administrator reads it all.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.factories import UserFactory, bearer
from tests.mentorship.published_programme import (
    computed_run,
    enrol,
    open_programme,
    person,
    programme_manager,
    publish,
)

from impactcircle.accounts.models import User
from impactcircle.mentorship.explanations import (
    explanation_reader,
    stored_reasons,
    visible_reasons,
)
from impactcircle.mentorship.models import MatchingRun, Programme, Relationship
from impactcircle.people.models import CompanyValue, Profile, ProfileSkill, Skill, Visibility

pytestmark = pytest.mark.django_db

VALUE = "Radical candour"
SKILL = "Stakeholder coaching"
WEIGHTS = {"values": 50.0, "skills": 50.0, "causes": 0.0, "meaning": 0.0, "hours": 0.0}
WEIGHTS |= {"language": 0.0, "level": 0.0}


def _people() -> tuple[User, User]:
    value = CompanyValue.objects.create(name=VALUE)
    lea = person("Lea", 2, goals_visibility=Visibility.PRIVATE)
    freya = person(
        "Freya",
        5,
        skills_visibility=Visibility.PRIVATE,
        values_visibility=Visibility.PRIVATE,
    )
    for someone in (lea, freya):
        someone.profile.values.add(value)
    ProfileSkill.objects.create(
        profile=freya.profile,
        skill=Skill.objects.create(name=SKILL),
        proficiency=ProfileSkill.Proficiency.EXPERT,
    )
    return lea, freya


def _enrolled(manager: User, **settings: object) -> tuple[Programme, User, User]:
    programme = open_programme(manager, weights=WEIGHTS, **settings)
    lea, freya = _people()
    enrol(manager, programme, lea, "mentee", goal_skills=(SKILL,))
    enrol(manager, programme, freya, "mentor")
    return programme, lea, freya


@pytest.fixture
def manager(db: None) -> User:
    return programme_manager()


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def run(manager: User, django_capture_on_commit_callbacks: Any) -> MatchingRun:
    programme, _, _ = _enrolled(manager)
    return computed_run(manager, programme, django_capture_on_commit_callbacks)


def _mentions(text: str) -> tuple[bool, bool]:
    return VALUE in text, SKILL in text


def test_the_engine_explains_the_pair_with_both_hidden_fields(run: MatchingRun) -> None:
    (match,) = run.matches.all()
    texts = [reason["text"] for reason in match.reasons]

    assert f"both value {VALUE}" in texts
    assert f"Lea Example wants to grow in {SKILL}; Freya Example is an expert" in texts
    values = next(reason for reason in match.reasons if reason["factor"] == "values")
    assert {(item["user_id"], item["group"]) for item in values["reveals"]} == {
        (match.mentee.user_id, "values"),
        (match.mentor.user_id, "values"),
    }


def test_a_programme_manager_reads_the_run_page_without_hidden_fields(
    client: Client, manager: User, run: MatchingRun
) -> None:
    client.force_login(manager)

    page = client.get(f"/mentoring/runs/{run.pk}/").content.decode()

    assert "Lea Example" in page
    assert _mentions(page) == (False, False)


def test_an_administrator_reads_the_whole_run_page(
    client: Client, admin: User, run: MatchingRun
) -> None:
    client.force_login(admin)

    page = client.get(f"/mentoring/runs/{run.pk}/").content.decode()

    assert _mentions(page) == (True, True)


def test_the_run_matches_api_leaves_out_hidden_fields_for_a_programme_manager(
    client: Client, manager: User, admin: User, run: MatchingRun
) -> None:
    path = f"/api/v1/mentoring/runs/{run.pk}/matches"
    for_manager = client.get(path, headers=bearer(manager))
    for_admin = client.get(path, headers=bearer(admin))

    assert for_manager.status_code == 200, for_manager.content
    (item,) = for_manager.json()["items"]
    assert item["mentee_user_id"] == run.matches.get().mentee.user_id
    assert _mentions(for_manager.content.decode()) == (False, False)
    assert _mentions(for_admin.content.decode()) == (True, True)


def test_the_reasons_a_viewer_may_see_stay(client: Client, manager: User, run: MatchingRun) -> None:
    match = run.matches.select_related("mentor").get()
    Profile.objects.filter(user_id=match.mentor.user_id).update(values_visibility="everyone")
    Profile.objects.filter(user_id=match.mentee.user_id).update(values_visibility="everyone")

    reasons = client.get(
        f"/api/v1/mentoring/runs/{run.pk}/matches", headers=bearer(manager)
    ).json()["items"][0]["reasons"]

    assert reasons == [f"both value {VALUE}"]  # the skills reason stays hidden


@pytest.fixture
def pair(manager: User, run: MatchingRun, django_capture_on_commit_callbacks: Any) -> Relationship:
    (relationship,) = publish(manager, run, django_capture_on_commit_callbacks)
    return relationship


def _relationship_texts(client: Client, viewer: User, relationship: Relationship) -> str:
    client.force_login(viewer)
    page = client.get(f"/mentoring/relationships/{relationship.pk}/")
    api = client.get(f"/api/v1/mentoring/relationships/{relationship.pk}", headers=bearer(viewer))
    assert page.status_code == api.status_code == 200
    return page.content.decode() + api.content.decode()


def test_the_mentee_does_not_read_what_her_mentor_hid_on_the_relationship_page(
    client: Client, pair: Relationship
) -> None:
    lea = pair.members.get(side="mentee").user

    assert _mentions(_relationship_texts(client, lea, pair)) == (False, False)


def test_the_programme_manager_does_not_read_hidden_fields_on_the_relationship_page(
    client: Client, manager: User, pair: Relationship
) -> None:
    assert _mentions(_relationship_texts(client, manager, pair)) == (False, False)


def test_an_administrator_reads_the_whole_relationship_explanation(
    client: Client, admin: User, pair: Relationship
) -> None:
    texts = _relationship_texts(client, admin, pair)

    assert "Why you were matched" in texts
    assert _mentions(texts) == (True, True)


def test_values_shared_with_programme_peers_reach_the_mentee_not_the_manager(
    client: Client, manager: User, pair: Relationship
) -> None:
    freya = pair.members.get(side="mentor").user
    Profile.objects.filter(user=freya).update(values_visibility=Visibility.PROGRAMME)
    lea = pair.members.get(side="mentee").user

    assert _mentions(_relationship_texts(client, lea, pair)) == (True, False)
    assert _mentions(_relationship_texts(client, manager, pair)) == (False, False)


def _recommendation_texts(client: Client, mentee: User, programme: Programme) -> str:
    client.force_login(mentee)
    page = client.get(f"/mentoring/programmes/{programme.pk}/mentors/")
    api = client.get(
        f"/api/v1/mentoring/self-selection/programmes/{programme.pk}/recommendations",
        headers=bearer(mentee),
    )
    assert page.status_code == api.status_code == 200
    assert "Freya Example" in page.content.decode()
    return page.content.decode() + api.content.decode()


def test_recommendations_leave_out_what_the_mentor_hid(client: Client, manager: User) -> None:
    programme, lea, _ = _enrolled(manager, matching_mode="self_selection")

    assert _mentions(_recommendation_texts(client, lea, programme)) == (False, False)


def test_recommendations_show_what_the_mentor_shares(client: Client, manager: User) -> None:
    programme, lea, freya = _enrolled(manager, matching_mode="self_selection")
    Profile.objects.filter(user=freya).update(
        values_visibility=Visibility.EVERYONE, skills_visibility=Visibility.EVERYONE
    )

    texts = _recommendation_texts(client, lea, programme)

    assert f"both value {VALUE}" in texts
    # her own goals always count as visible to her
    assert f"Lea Example wants to grow in {SKILL}; Freya Example is an expert" in texts


def test_sentences_stored_before_the_structure_are_shown_to_administrators_only(
    manager: User, admin: User
) -> None:
    old = ["both value Sustainability"]

    assert visible_reasons(old, explanation_reader(manager, [old])) == []
    assert visible_reasons(old, explanation_reader(admin, [old])) == old


def test_a_reason_revealing_nothing_is_shown_to_everyone(manager: User) -> None:
    from impactcircle.engine.matching.result import Reason

    stored = stored_reasons(
        [Reason(factor="hours", points=3.0, text="4 shared working hours")],
        mentee_id=manager.pk + 1000,
        mentor_id=manager.pk + 1001,
    )

    assert visible_reasons(stored, explanation_reader(manager, [stored])) == [
        "4 shared working hours"
    ]


@pytest.mark.parametrize("pairs", [2, 8])
def test_the_run_page_reads_visibility_in_a_fixed_number_of_queries(
    pairs: int,
    client: Client,
    manager: User,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    programme = open_programme(manager, weights=WEIGHTS)
    value = CompanyValue.objects.create(name=VALUE)
    for number in range(pairs):
        mentee, mentor = person(f"Mentee{number}", 2), person(f"Mentor{number}", 5)
        for someone in (mentee, mentor):
            someone.profile.values.add(value)
        Profile.objects.filter(user=mentor).update(values_visibility=Visibility.PRIVATE)
        enrol(manager, programme, mentee, "mentee")
        enrol(manager, programme, mentor, "mentor")
    run = computed_run(manager, programme, django_capture_on_commit_callbacks)
    client.force_login(manager)

    with django_assert_max_num_queries(16):
        page = client.get(f"/mentoring/runs/{run.pk}/").content.decode()

    assert run.matches.count() == pairs
    assert VALUE not in page


def test_closeness_in_meaning_is_hidden_with_the_mentors_bio(manager: User) -> None:
    from impactcircle.engine.matching.result import Reason

    mentee, mentor = person("Ida", 2), person("Jon", 5, bio_visibility=Visibility.PRIVATE)
    text = "their goals and expertise are close in meaning (similarity 0.81)"
    stored = stored_reasons(
        [Reason(factor="meaning", points=8.1, text=text)],
        mentee_id=mentee.pk,
        mentor_id=mentor.pk,
    )

    assert visible_reasons(stored, explanation_reader(manager, [stored])) == []
    assert visible_reasons(stored, explanation_reader(mentor, [stored])) == [text]
