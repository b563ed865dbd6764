from __future__ import annotations

import pytest
from tests.factories import UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.search import index_now
from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    Department,
    Profile,
    ProfileSkill,
    Skill,
)
from impactcircle.people.selectors import PROFILE_TYPE


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory(
        email="ada@example.com",
        first_name="Ada",
        last_name="Admin",
        is_superuser=True,
        is_staff=True,
    )


@pytest.fixture
def sustainability(db: None) -> Department:
    return Department.objects.create(name="Sustainability")


@pytest.fixture
def impact_measurement(db: None) -> Skill:
    return Skill.objects.create(name="Impact measurement", is_curated=True)


def make_person(
    email: str,
    *,
    first_name: str,
    last_name: str,
    skill: Skill | None = None,
    proficiency: int = ProfileSkill.Proficiency.EXPERT,
    **profile_fields: object,
) -> User:
    person = UserFactory(email=email, first_name=first_name, last_name=last_name)
    Profile.objects.filter(user=person).update(**profile_fields)
    if skill is not None:
        ProfileSkill.objects.create(profile=person.profile, skill=skill, proficiency=proficiency)
    # Rows written directly skip the services, so index the way their on-commit task would.
    index_now(PROFILE_TYPE, [person.profile.pk])
    return person


@pytest.fixture
def climate_action(db: None) -> CauseArea:
    return CauseArea.objects.get(sdg_number=13)


@pytest.fixture
def integrity(db: None) -> CompanyValue:
    return CompanyValue.objects.create(name="Integrity")
