from __future__ import annotations

import statistics
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from impactcircle.accounts.models import User
from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL
from impactcircle.demo.hierarchy import SPAN_MAX
from impactcircle.demo.reference import LOCATIONS, SUSTAINABILITY_SKILLS
from impactcircle.people.models import (
    Department,
    DevelopmentGoal,
    Profile,
    ProfileSkill,
)

pytestmark = pytest.mark.django_db

PEOPLE = 300


@pytest.fixture
def company() -> list[Profile]:
    call_command("demo", people=PEOPLE, seed=2026)
    return list(Profile.objects.select_related("user", "manager", "level", "department"))


def _snapshot() -> list[tuple[object, ...]]:
    profiles = Profile.objects.select_related("user", "manager", "level", "department")
    return sorted(
        (
            p.user.email,
            p.user.first_name,
            p.department.name if p.department else None,
            p.manager.email if p.manager else None,
            p.level.rank if p.level else None,
            p.job_title,
            p.city,
            tuple(sorted(p.skill_levels.values_list("skill__name", "proficiency"))),
        )
        for p in profiles
    )


def test_a_seed_always_builds_the_same_company() -> None:
    call_command("demo", people=80, seed=11)
    first = _snapshot()
    User.objects.all().delete()

    call_command("demo", people=80, seed=11)

    assert _snapshot() == first


def test_another_seed_builds_another_company() -> None:
    call_command("demo", people=80, seed=11)
    first = _snapshot()
    User.objects.all().delete()

    call_command("demo", people=80, seed=12)

    assert _snapshot() != first


def test_everyone_but_the_ceo_has_a_manager_and_every_chain_reaches_the_ceo(
    company: list[Profile],
) -> None:
    manager_of = {p.user_id: p.manager_id for p in company}
    tops = [person for person, manager in manager_of.items() if manager is None]

    assert len(company) == PEOPLE
    assert len(tops) == 1
    for person in manager_of:
        seen = {person}
        while manager_of[person] is not None:
            person = manager_of[person]
            assert person not in seen, "a manager chain loops"
            seen.add(person)
        assert person == tops[0]


def test_managers_outrank_their_reports(company: list[Profile]) -> None:
    rank_of = {p.user_id: p.level.rank for p in company if p.level}

    for profile in company:
        if profile.manager_id is not None:
            assert rank_of[profile.manager_id] > rank_of[profile.user_id]


def test_the_ceo_is_at_the_top_level(company: list[Profile]) -> None:
    ceo = next(p for p in company if p.manager_id is None)

    assert ceo.level is not None
    assert ceo.level.rank == 8
    assert ceo.job_title == "Chief Executive Officer"


def test_span_of_control_is_realistic(company: list[Profile]) -> None:
    spans = Counter(p.manager_id for p in company if p.manager_id is not None)

    assert max(spans.values()) <= SPAN_MAX
    assert 4 <= statistics.median(spans.values()) <= 8


def test_departments_form_a_tree_under_one_company(company: list[Profile]) -> None:
    parent_of = dict(Department.objects.values_list("pk", "parent_id"))
    roots = [pk for pk, parent in parent_of.items() if parent is None]

    assert len(roots) == 1
    for department in parent_of:
        seen = {department}
        while parent_of[department] is not None:
            department = parent_of[department]
            assert department not in seen, "a department is its own ancestor"
            seen.add(department)
    assert {"Sustainability & CSR", "HR & People", "Engineering"} <= set(
        Department.objects.values_list("name", flat=True)
    )


def test_a_manager_works_in_the_same_department_or_its_parent(company: list[Profile]) -> None:
    by_user = {p.user_id: p for p in company}
    administrator = User.objects.get(email=DEMO_ADMIN_EMAIL).pk

    for profile in company:
        if profile.manager_id is None or profile.user_id == administrator:
            continue
        manager = by_user[profile.manager_id]
        assert profile.department is not None
        assert manager.department_id in {profile.department_id, profile.department.parent_id}


def test_time_zones_are_valid_and_match_the_city(company: list[Profile]) -> None:
    zone_of_city = {location.city: location.time_zone for location in LOCATIONS}

    for profile in company:
        zoneinfo.ZoneInfo(profile.time_zone)
        assert profile.time_zone == zone_of_city[profile.city]
    assert len({p.time_zone for p in company}) >= 6


def test_people_speak_the_language_of_their_city_and_most_speak_english(
    company: list[Profile],
) -> None:
    main_language = {location.city: location.languages[0] for location in LOCATIONS}
    spoken = {p.pk: set(p.languages.values_list("code", flat=True)) for p in company}

    assert all(main_language[p.city] in spoken[p.pk] for p in company)
    assert sum("en" in codes for codes in spoken.values()) > 0.8 * len(company)


def test_most_sustainability_people_have_a_sustainability_skill(company: list[Profile]) -> None:
    team = [
        p
        for p in company
        if p.department
        and "Sustainability & CSR" in {p.department.name, getattr(p.department.parent, "name", "")}
    ]
    with_skill = [
        p
        for p in team
        if set(p.skill_levels.values_list("skill__name", flat=True)) & SUSTAINABILITY_SKILLS
    ]

    assert len(team) >= 5
    assert len(with_skill) >= 0.9 * len(team)


def test_engineers_have_engineering_skills(company: list[Profile]) -> None:
    engineers = ProfileSkill.objects.filter(profile__department__name="Engineering")

    assert engineers.filter(skill__name="Python").exists()
    assert not engineers.filter(skill__name="Carbon accounting").exists()


def test_seniors_are_more_expert_and_more_often_open_to_mentor(company: list[Profile]) -> None:
    def mean_proficiency(low: int, high: int) -> float:
        levels = ProfileSkill.objects.filter(
            profile__level__rank__gte=low, profile__level__rank__lte=high
        ).values_list("proficiency", flat=True)
        return statistics.mean(levels)

    seniors = [p for p in company if p.level and p.level.rank >= 5]
    juniors = [p for p in company if p.level and p.level.rank <= 2]

    assert mean_proficiency(5, 8) > mean_proficiency(1, 2) + 0.8
    assert statistics.mean(p.open_to_mentor for p in seniors) > statistics.mean(
        p.open_to_mentor for p in juniors
    )
    assert statistics.mean(p.open_to_be_mentored for p in juniors) > 0.4


def test_profiles_carry_values_causes_goals_and_a_few_privacy_choices(
    company: list[Profile],
) -> None:
    assert all(p.values.exists() and p.cause_areas.exists() for p in company[:50])
    assert DevelopmentGoal.objects.filter(skills__isnull=False).count() > PEOPLE // 5
    assert any(p.skills_visibility != "everyone" or p.bio_visibility != "everyone" for p in company)
    statuses = Counter(p.employment_status for p in company)
    assert statuses["active"] > 0.9 * PEOPLE
    assert statuses["on_leave"] + statuses["left"] > 0


def test_the_demo_member_has_a_complete_profile_in_sustainability(company: list[Profile]) -> None:
    dana = Profile.objects.get(user__email=DEMO_MEMBER_EMAIL)

    assert dana.user.get_full_name() == "Dana Demo"
    assert dana.department is not None
    assert "Sustainability & CSR" in {dana.department.name, dana.department.parent.name}
    assert dana.manager is not None
    assert all((dana.job_title, dana.bio, dana.city, dana.hire_date))
    assert dana.skill_levels.exists()
    assert dana.values.exists()
    assert dana.cause_areas.exists()
    assert dana.languages.exists()
    assert dana.employment_status == "active"


def test_the_administrator_has_a_profile_in_the_people_team(company: list[Profile]) -> None:
    ada = Profile.objects.get(user__email=DEMO_ADMIN_EMAIL)

    assert ada.department is not None
    assert "HR & People" in {ada.department.name, ada.department.parent.name}
    assert ada.user.is_superuser
    assert ada.manager is not None
    assert ada.skill_levels.exists()


def test_emails_are_unique_and_use_the_example_domain(company: list[Profile]) -> None:
    emails = [p.user.email for p in company]

    assert len(set(emails)) == len(emails)
    assert all(email.endswith("@example.com") and email.isascii() for email in emails)


def test_building_again_adds_no_twins(company: list[Profile]) -> None:
    counts = (
        User.objects.count(),
        Department.objects.count(),
        ProfileSkill.objects.count(),
        Profile.values.through.objects.count(),
        DevelopmentGoal.objects.count(),
    )

    call_command("demo", people=PEOPLE, seed=2026)
    call_command("demo", people=PEOPLE + 50, seed=99)

    assert (
        User.objects.count(),
        Department.objects.count(),
        ProfileSkill.objects.count(),
        Profile.values.through.objects.count(),
        DevelopmentGoal.objects.count(),
    ) == counts


def test_building_again_says_that_nothing_was_added(company: list[Profile]) -> None:
    output = StringIO()

    call_command("demo", people=PEOPLE, seed=2026, stdout=output)

    assert "no colleagues were added" in output.getvalue()


@pytest.mark.parametrize("people", [2, 3, 5, 12, 60])
def test_a_small_company_is_still_coherent(people: int) -> None:
    call_command("demo", people=people, seed=4)

    profiles = list(Profile.objects.select_related("level", "manager__profile__level"))
    assert len(profiles) == User.objects.count() == people
    assert sum(p.manager_id is None for p in profiles) == 1
    for profile in profiles:
        if profile.manager is not None:
            assert profile.manager.profile.level.rank > profile.level.rank
    dana = Profile.objects.get(user__email=DEMO_MEMBER_EMAIL)
    assert dana.manager is not None
    assert dana.department is not None
    assert dana.department.name == "Sustainability & CSR"
