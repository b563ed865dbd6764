"""The home page's profile card: completeness from counts, in one query."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from tests.people.conftest import make_person

from impactcircle.people.completeness import completeness_of, with_related_counts
from impactcircle.people.home import profile_card
from impactcircle.people.models import (
    CompanyValue,
    DevelopmentGoal,
    Language,
    Profile,
    ProfileSkill,
    Skill,
)

pytestmark = pytest.mark.django_db


def _filled_in_part() -> Profile:
    person = make_person("half@example.com", first_name="Hal", last_name="Filled")
    profile = person.profile
    for number in range(3):
        ProfileSkill.objects.create(profile=profile, skill=Skill.objects.create(name=f"S{number}"))
    profile.values.add(CompanyValue.objects.create(name="Courage"))
    profile.languages.add(Language.objects.get(code="en"), Language.objects.get(code="fr"))
    DevelopmentGoal.objects.create(profile=profile, text="Learn to facilitate")
    return profile


def test_counts_in_one_query_tell_what_is_filled_in() -> None:
    profile = _filled_in_part()

    counted = completeness_of(with_related_counts(Profile.objects.filter(pk=profile.pk)).get())

    done = {item.label for item in counted.items if item.is_done}
    assert {
        "At least three skills",
        "Your company values",
        "A development goal",
        "Languages you speak",
    } <= done
    assert "The causes you care about" not in done


def test_the_card_costs_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    profile = _filled_in_part()
    request = RequestFactory().get("/")
    request.user = profile.user

    with django_assert_num_queries(1):
        card = profile_card(request)

    assert card is not None
    missing = {item.label for item in card.context["completeness"].missing}
    assert "The causes you care about" in missing
    assert not missing & {"At least three skills", "Your company values", "Languages you speak"}
