"""A person as one viewer may see them (`ProfileView`), loaded for many people at once.

Every page and API answer that shows people reads them here: the directory's 25 rows, a
profile page, the API. Rows come as plain values, one query for the profiles and one per
many-valued group that at least one of them shows this viewer (skills, values, causes,
languages, goals and their skills): no model instances, so a directory page of 25 people costs
a few milliseconds of Python instead of building some 600 objects. A group the viewer may not
see is never read into the view: it is None and named in `hidden_groups`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q

from impactcircle.accounts.models import display_name_of
from impactcircle.people.models import (
    DevelopmentGoal,
    EmploymentStatus,
    Profile,
    ProfileSkill,
)
from impactcircle.people.visibility import ViewerScope


@dataclass(frozen=True)
class SkillView:
    skill_id: int
    name: str
    proficiency: int
    proficiency_label: str


@dataclass(frozen=True)
class GoalView:
    goal_id: int
    text: str
    skills: list[str]
    is_achieved: bool


@dataclass(frozen=True)
class ProfileView:
    """A profile as one viewer may see it: hidden groups are None, never loaded into a page."""

    profile_id: int
    user_id: int
    name: str
    # The viewer's own address only: no page shows a colleague's, not even to administrators.
    email: str | None
    job_title: str
    department: str | None
    manager_id: int | None
    manager_name: str | None
    employment_status: str
    is_own: bool
    updated_at: datetime
    level: str | None = None
    hire_date: date | None = None
    city: str | None = None
    country: str | None = None
    time_zone: str | None = None  # part of the location group: it tells where a person is
    languages: list[str] | None = None
    bio: str | None = None
    has_photo: bool | None = None
    skills: list[SkillView] | None = None
    values: list[str] | None = None
    cause_areas: list[str] | None = None
    goals: list[GoalView] | None = None
    mentoring: dict[str, object] | None = None
    hidden_groups: list[str] = field(default_factory=list)


_VISIBILITY_FIELDS = tuple(f"{group}_visibility" for group in Profile.OPTIONAL_GROUPS)
_FIELDS = (
    "pk",
    "user_id",
    "user__first_name",
    "user__last_name",
    "user__email",
    "job_title",
    "department__name",
    "manager_id",
    "manager__first_name",
    "manager__last_name",
    "manager__email",
    "employment_status",
    "level__name",
    "hire_date",
    "city",
    "country",
    "time_zone",
    "bio",
    "photo",
    "open_to_mentor",
    "open_to_be_mentored",
    "open_to_reverse_mentor",
    "mentoring_hours_per_month",
    "updated_at",
    *_VISIBILITY_FIELDS,
)
_PROFICIENCY = dict(ProfileSkill.Proficiency.choices)
_STATUS = dict(EmploymentStatus.choices)
# The many-valued groups, each read in one query for the profiles that show it.
_MANY = ("languages", "skills", "values", "cause_areas", "goals")


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    by_profile: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for profile_id, *rest in rows:
        by_profile[profile_id].append(tuple(rest))
    return by_profile


def many_valued(group: str, ids: Collection[int]) -> dict[int, list[Any]]:
    """One group's values per profile, in the order the profile page lists them."""
    if group == "languages":
        languages = (
            Profile.languages.through.objects.filter(profile_id__in=ids)
            .order_by("language__name")
            .values_list("profile_id", "language__name")
        )
        return {key: [name for (name,) in values] for key, values in _grouped(languages).items()}
    if group == "values":
        company_values = (
            Profile.values.through.objects.filter(profile_id__in=ids)
            .order_by("companyvalue__position", "companyvalue__name")
            .values_list("profile_id", "companyvalue__name")
        )
        return {
            key: [name for (name,) in values] for key, values in _grouped(company_values).items()
        }
    if group == "cause_areas":
        causes = (
            Profile.cause_areas.through.objects.filter(profile_id__in=ids)
            .order_by("causearea__sdg_number", "causearea__name")
            .values_list("profile_id", "causearea__sdg_number", "causearea__name")
        )
        return {
            key: [f"SDG {number}: {name}" if number else name for number, name in values]
            for key, values in _grouped(causes).items()
        }
    if group == "skills":
        skills = (
            ProfileSkill.objects.filter(profile_id__in=ids)
            .order_by("-proficiency", "skill__name")
            .values_list("profile_id", "skill_id", "skill__name", "proficiency")
        )
        return {
            key: [
                SkillView(skill_id, name, proficiency, str(_PROFICIENCY[proficiency]))
                for skill_id, name, proficiency in values
            ]
            for key, values in _grouped(skills).items()
        }
    goals = _grouped(
        DevelopmentGoal.objects.filter(profile_id__in=ids)
        .order_by("is_achieved", "-created_at", "pk")
        .values_list("profile_id", "pk", "text", "is_achieved")
    )
    goal_ids = [goal[0] for values in goals.values() for goal in values]
    skills_of = _grouped(
        DevelopmentGoal.skills.through.objects.filter(developmentgoal_id__in=goal_ids)
        .order_by("skill__name")
        .values_list("developmentgoal_id", "skill__name")
    )
    return {
        key: [
            GoalView(pk, text, [name for (name,) in skills_of.get(pk, [])], is_achieved)
            for pk, text, is_achieved in values
        ]
        for key, values in goals.items()
    }


def _shown(
    row: dict[str, Any], group: str, many: dict[str, dict[int, list[Any]]]
) -> dict[str, Any]:
    """The fields of one visible group."""
    match group:
        case "level":
            return {"level": row["level__name"] or ""}
        case "hire_date":
            return {"hire_date": row["hire_date"]}
        case "location":
            return {"city": row["city"], "country": row["country"], "time_zone": row["time_zone"]}
        case "bio":
            return {"bio": row["bio"]}
        case "photo":
            return {"has_photo": bool(row["photo"])}
        case "mentoring":
            return {
                "mentoring": {
                    "hours_per_month": row["mentoring_hours_per_month"],
                    "open_to_mentor": row["open_to_mentor"],
                    "open_to_be_mentored": row["open_to_be_mentored"],
                    "open_to_reverse_mentor": row["open_to_reverse_mentor"],
                }
            }
    return {group: many[group].get(row["pk"], [])}


def profile_views(scope: ViewerScope, people: Q) -> dict[int, ProfileView]:
    """The active people matching `people` (a filter on profiles), as `scope` may see them,
    by profile id: one query, plus one per many-valued group that one of them shows."""
    rows = list(Profile.objects.filter(people, user__is_active=True).order_by().values(*_FIELDS))
    visible = {
        row["pk"]: {
            group
            for group in Profile.OPTIONAL_GROUPS
            if scope.may_see(row["user_id"], row[f"{group}_visibility"])
        }
        for row in rows
    }
    many = {
        group: many_valued(group, [pk for pk, groups in visible.items() if group in groups])
        for group in _MANY
        if any(group in groups for groups in visible.values())
    }
    views: dict[int, ProfileView] = {}
    for row in rows:
        shown: dict[str, Any] = {}
        for group in visible[row["pk"]]:
            shown.update(_shown(row, group, many))
        manager_id = row["manager_id"]
        views[row["pk"]] = ProfileView(
            profile_id=row["pk"],
            user_id=row["user_id"],
            name=display_name_of(
                row["user__first_name"], row["user__last_name"], row["user__email"]
            ),
            email=row["user__email"] if scope.viewer_id == row["user_id"] else None,
            job_title=row["job_title"],
            department=row["department__name"],
            manager_id=manager_id,
            manager_name=display_name_of(
                row["manager__first_name"], row["manager__last_name"], row["manager__email"]
            )
            if manager_id
            else None,
            employment_status=str(_STATUS.get(row["employment_status"], row["employment_status"])),
            is_own=scope.viewer_id == row["user_id"],
            updated_at=row["updated_at"],
            hidden_groups=[g for g in Profile.OPTIONAL_GROUPS if g not in visible[row["pk"]]],
            **shown,
        )
    return views
