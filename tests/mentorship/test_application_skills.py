"""An application's skills count for its programme: a mentor's are expertise they offer there,
a mentee's are goals they want to develop (issue 10, finding 3)."""

from __future__ import annotations

import pytest
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

from impactcircle.engine.matching import Weights, solve
from impactcircle.mentorship.explanations import stored_reasons
from impactcircle.mentorship.matching.problem import ENGINE_PROFICIENCY, build_pool
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.programmes.api import ApplicationIn
from impactcircle.mentorship.programmes.forms import ApplicationForm
from impactcircle.people.models import ProfileSkill
from impactcircle.people.services import skill_for_name

pytestmark = pytest.mark.django_db


def _apply(programme: Programme, side: str, name: str, skills: list[str]) -> Application:
    application = ApplicationFactory(
        programme=programme, side=side, user=UserFactory(first_name=name), capacity=1
    )
    application.goal_skills.set([skill_for_name(skill) for skill in skills])
    return application


@pytest.fixture
def programme(db: None) -> Programme:
    """One mentee who wants to grow in Impact measurement; Offering lists it only on the
    application, Profiled has another skill on the profile and nothing on the application."""
    programme = ProgrammeFactory(rule_min_level_gap=0)
    _apply(programme, "mentee", "Mina", ["Impact measurement"])
    _apply(programme, "mentor", "Offering", ["Impact measurement"])
    profiled = _apply(programme, "mentor", "Profiled", [])
    ProfileSkill.objects.create(
        profile=profiled.user.profile,
        skill=skill_for_name("Negotiation"),
        proficiency=ProfileSkill.Proficiency.EXPERT,
    )
    return programme


def _mentor(programme: Programme, name: str) -> str:
    return str(programme.applications.get(side="mentor", user__first_name=name).user_id)


def test_the_pool_counts_a_mentors_application_skill_as_expertise(programme: Programme) -> None:
    pool = build_pool(programme, weights=Weights(), with_meaning=False)
    mentors = {person.id: person for person in pool.problem.mentors}

    offering = mentors[_mentor(programme, "Offering")]
    profiled = mentors[_mentor(programme, "Profiled")]
    assert offering.skills == {
        "Impact measurement": ENGINE_PROFICIENCY[ProfileSkill.Proficiency.PROFICIENT]
    }
    assert offering.goal_skills == frozenset()
    assert profiled.skills == {"Negotiation": ENGINE_PROFICIENCY[ProfileSkill.Proficiency.EXPERT]}
    (mentee,) = pool.problem.mentees
    assert mentee.goal_skills == frozenset({"Impact measurement"})


def test_a_profile_skill_keeps_its_proficiency_when_the_application_lists_it_too(
    programme: Programme,
) -> None:
    offering = programme.applications.get(side="mentor", user__first_name="Offering")
    ProfileSkill.objects.create(
        profile=offering.user.profile,
        skill=skill_for_name("Impact measurement"),
        proficiency=ProfileSkill.Proficiency.LEARNING,
    )

    pool = build_pool(programme, weights=Weights(), with_meaning=False)

    person = next(p for p in pool.problem.mentors if p.id == str(offering.user_id))
    assert person.skills == {"Impact measurement": ENGINE_PROFICIENCY[1]}


def test_a_mentor_offering_the_goal_on_the_application_is_matched_and_named(
    programme: Programme,
) -> None:
    pool = build_pool(programme, weights=Weights(), with_meaning=False)

    result = solve(pool.problem, "optimal")

    (assignment,) = result.assignments
    assert assignment.mentor == _mentor(programme, "Offering")
    skills = next(reason for reason in assignment.explanation if reason.factor == "skills")
    assert "Impact measurement" in skills.text
    # The sentence may still say what the profile holds, so it stays behind the mentor's
    # skills visibility, as before.
    (stored,) = stored_reasons([skills], mentee_id=1, mentor_id=2)
    assert {"user_id": 2, "group": "skills"} in stored["reveals"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("side", "label"),
    [
        ("mentor", "Skills you can offer in this programme"),
        ("mentee", "Skills you want to develop"),
    ],
)
def test_the_application_form_labels_the_skills_by_side(
    programme: Programme, side: str, label: str
) -> None:
    form = ApplicationForm(programme=programme, side=side, profile=UserFactory().profile)

    assert form.fields["goal_skills"].label == label


def test_a_mentors_form_is_pre_filled_with_profile_skills_not_goals(programme: Programme) -> None:
    profiled = programme.applications.get(side="mentor", user__first_name="Profiled")

    form = ApplicationForm(programme=programme, side="mentor", profile=profiled.user.profile)

    assert form.initial["goal_skills"] == "Negotiation"


def test_the_api_schema_describes_the_skills_by_side() -> None:
    description = ApplicationIn.model_json_schema()["properties"]["goal_skills"]["description"]

    assert "Mentors: skills you can offer in this programme" in description
    assert "mentees: skills you want to develop" in description
