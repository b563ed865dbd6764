"""From a programme's enrolled pool to the engine's matching problem, in a fixed number of queries.

People cross into the engine as `impactcircle.engine.matching.Person` values, identified by their
user id (so that the reporting-line rule can compare ids with manager chains); the maps returned
beside the problem lead back to the applications.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Literal

from django.db.models import Prefetch, QuerySet

from impactcircle.engine.matching import CircleSettings, Mode, Person, Problem, Rules, Weights
from impactcircle.engine.text import default_embedder
from impactcircle.engine.text.embedder import FloatMatrix
from impactcircle.mentorship.models import Application, PairRule, Programme, Relationship, Side
from impactcircle.people.models import DevelopmentGoal, Profile, ProfileSkill, Visibility

ENGINE_PROFICIENCY = {1: 1, 2: 2, 3: 4, 4: 5}  # our 1–4 scale onto the engine's 1–5
# A skill a mentor offers on their application but does not hold on their profile counts as
# "proficient": they say they can mentor in it, and the profile's own level wins where it has one.
APPLICATION_SKILL_PROFICIENCY = ENGINE_PROFICIENCY[ProfileSkill.Proficiency.PROFICIENT]
NOT_SHARED = "Not shared"


@dataclass(frozen=True)
class Pool:
    """The problem and the way back from engine ids to applications."""

    problem: Problem
    mentee_applications: dict[str, Application]
    mentor_applications: dict[str, Application]


def active_mentee_ids(programme: Programme) -> QuerySet[Relationship, int]:
    """The people who are mentees in an active relationship of the programme (a subquery):
    matching leaves them out, and publishing refuses a draft that would pair them again."""
    return Relationship.objects.filter(
        programme=programme, status=Relationship.Status.ACTIVE, members__side=Side.MENTEE
    ).values_list("members__user_id", flat=True)


def accepted_applications(programme: Programme, side: str) -> QuerySet[Application]:
    """Accepted applications of one side, without mentees already in an active relationship."""
    applications = Application.objects.filter(
        programme=programme, side=side, status=Application.Status.ACCEPTED, user__is_active=True
    )
    if side == Side.MENTEE:
        applications = applications.exclude(user_id__in=active_mentee_ids(programme))
    return applications.select_related("user").prefetch_related("goal_skills", "cause_areas")


def _profiles(user_ids: set[int]) -> dict[int, Profile]:
    profiles = (
        Profile.objects.filter(user_id__in=user_ids)
        .select_related("department", "level")
        .prefetch_related(
            Prefetch("skill_levels", queryset=ProfileSkill.objects.select_related("skill")),
            "values",
            "cause_areas",
            "languages",
            Prefetch("goals", queryset=DevelopmentGoal.objects.prefetch_related("skills")),
        )
    )
    return {profile.user_id: profile for profile in profiles}


def _manager_chains(user_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """Every participant's management chain, from one query over the reporting lines."""
    manager_of = dict(
        Profile.objects.filter(manager__isnull=False).values_list("user_id", "manager_id")
    )
    chains: dict[int, tuple[str, ...]] = {}
    for user_id in user_ids:
        chain: list[str] = []
        current = manager_of.get(user_id)
        while current is not None and str(current) not in chain and len(chain) < 200:
            chain.append(str(current))
            current = manager_of.get(current)
        chains[user_id] = tuple(chain)
    return chains


def _hours(application: Application) -> tuple[int, int]:
    return (application.work_start_hour_utc, application.work_end_hour_utc)


def _audit_groups(profile: Profile, department: str) -> dict[str, str]:
    """The fairness audit's groups of one mentee: a level or location only when its owner shows
    it to everyone (the audit's figures reach programme managers); otherwise "Not shared".
    Department is always visible to colleagues."""
    level = profile.level.name if profile.level else "unknown"
    location = profile.country or "unknown"
    return {
        "department": department or "none",
        "location": location if profile.location_visibility == Visibility.EVERYONE else NOT_SHARED,
        "level": level if profile.level_visibility == Visibility.EVERYONE else NOT_SHARED,
    }


def _person(
    application: Application,
    profile: Profile | None,
    chain: tuple[str, ...],
    side: Literal["mentor", "mentee"],
    capacity: int,
) -> Person:
    user = application.user
    skills: dict[str, int] = {}
    values: frozenset[str] = frozenset()
    causes = {cause.name for cause in application.cause_areas.all()}
    # The application's skills count for this programme: a mentee's are goals to develop, a
    # mentor's are expertise offered (added to the profile's skills below).
    application_skills = {skill.name for skill in application.goal_skills.all()}
    goal_skills = application_skills if side == "mentee" else set()
    languages: tuple[str, ...] = ()
    level = 0
    groups: dict[str, str] = {}
    department = ""
    if profile is not None:
        skills = {
            level_.skill.name: ENGINE_PROFICIENCY[level_.proficiency]
            for level_ in profile.skill_levels.all()
        }
        values = frozenset(value.name for value in profile.values.all())
        causes |= {cause.name for cause in profile.cause_areas.all()}
        languages = tuple(language.code for language in profile.languages.all())
        level = profile.level.rank if profile.level else 0
        department = profile.department.name if profile.department else ""
        if side == "mentee":
            for goal in profile.goals.all():
                if not goal.is_achieved:
                    goal_skills |= {skill.name for skill in goal.skills.all()}
        groups = _audit_groups(profile, department)
    if side == "mentor":
        skills = dict.fromkeys(application_skills, APPLICATION_SKILL_PROFICIENCY) | skills
    return Person(
        id=str(user.pk),
        name=user.display_name,
        capacity=capacity,
        level=level,
        chain=chain,
        department=department,
        languages=languages,
        hours=_hours(application),
        values=values,
        causes=frozenset(causes),
        skills=skills,
        goal_skills=frozenset(goal_skills),
        groups=groups,
    )


def _texts(application: Application, profile: Profile | None, side: str) -> str:
    parts = [application.goals]
    if side == Side.MENTOR:
        parts += sorted(skill.name for skill in application.goal_skills.all())
    if profile is not None:
        if side == Side.MENTEE:
            parts += [goal.text for goal in profile.goals.all() if not goal.is_achieved]
        else:
            parts += [level.skill.name for level in profile.skill_levels.all()]
            parts.append(profile.bio[:500])
    return ". ".join(part for part in parts if part)


def engine_weights(programme: Programme) -> Weights:
    defaults = Weights().as_dict()
    chosen = {name: float(programme.weights.get(name, value)) for name, value in defaults.items()}
    return Weights(**chosen)


def engine_mode(programme: Programme) -> Mode:
    if programme.format == Programme.Format.GROUP_CIRCLE:
        return "circles"
    if programme.matching_mode == Programme.MatchingMode.STABLE:
        return "stable"
    return "optimal"


def build_pool(
    programme: Programme, *, weights: Weights | None = None, with_meaning: bool = True
) -> Pool:
    mentee_apps = list(accepted_applications(programme, Side.MENTEE))
    mentor_apps = list(accepted_applications(programme, Side.MENTOR))
    user_ids = {app.user_id for app in mentee_apps} | {app.user_id for app in mentor_apps}
    profiles = _profiles(user_ids)
    chains = _manager_chains(user_ids)
    circle = programme.format == Programme.Format.GROUP_CIRCLE
    mentees = [
        _person(app, profiles.get(app.user_id), chains[app.user_id], "mentee", 1)
        for app in mentee_apps
    ]
    mentors = [
        _person(
            app,
            profiles.get(app.user_id),
            chains[app.user_id],
            "mentor",
            programme.circle_max_size
            if circle
            else min(app.capacity, programme.max_mentees_per_mentor),
        )
        for app in mentor_apps
    ]
    if with_meaning and mentees and mentors:
        embedder = default_embedder()
        goal_vectors = embedder.embed(
            [_texts(app, profiles.get(app.user_id), Side.MENTEE) for app in mentee_apps]
        )
        expertise = embedder.embed(
            [_texts(app, profiles.get(app.user_id), Side.MENTOR) for app in mentor_apps]
        )
        mentees = [
            _with_vector(person, goal_vectors[i], "goal") for i, person in enumerate(mentees)
        ]
        mentors = [
            _with_vector(person, expertise[j], "expertise") for j, person in enumerate(mentors)
        ]
    rules_by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    mentee_users = {app.pk: str(app.user_id) for app in mentee_apps}
    mentor_users = {app.pk: str(app.user_id) for app in mentor_apps}
    for rule in PairRule.objects.filter(programme=programme):
        if rule.mentee_id in mentee_users and rule.mentor_id in mentor_users:
            rules_by_kind[rule.kind].append(
                (mentee_users[rule.mentee_id], mentor_users[rule.mentor_id])
            )
    problem = Problem(
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        weights=weights or engine_weights(programme),
        rules=Rules(
            exclude_same_reporting_line=programme.rule_not_same_reporting_line,
            require_common_language=programme.rule_common_language,
            min_overlap_hours=programme.rule_min_overlap_hours,
            level_rule="mentor_above" if programme.rule_min_level_gap >= 1 else "mentor_not_below",
            min_level_gap=max(programme.rule_min_level_gap, 1),
            reverse=programme.is_reverse,
        ),
        locked=tuple(rules_by_kind[PairRule.Kind.LOCK]),
        forbidden=tuple(rules_by_kind[PairRule.Kind.FORBID]),
        mode=engine_mode(programme),
        circles=CircleSettings(
            min_size=programme.circle_min_size, max_size=programme.circle_max_size
        ),
    )
    return Pool(
        problem=problem,
        mentee_applications={str(app.user_id): app for app in mentee_apps},
        mentor_applications={str(app.user_id): app for app in mentor_apps},
    )


def _with_vector(person: Person, vector: FloatMatrix, kind: str) -> Person:
    if kind == "goal":
        return replace(person, goal_vector=vector)
    return replace(person, expertise_vector=vector)
