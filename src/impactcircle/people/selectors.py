"""Reads about people, always through the viewer's scope (see visibility.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.core.errors import NotFound
from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    Department,
    DevelopmentGoal,
    Language,
    Profile,
    ProfileSkill,
)
from impactcircle.people.visibility import ViewerScope

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def time_zone_names(user_ids: Collection[int]) -> dict[int, str]:
    """Each person's IANA time zone, in one query (notifications send digests by it)."""
    return dict(Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "time_zone"))


def profile_of(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _profiles_with_details() -> QuerySet[Profile]:
    return Profile.objects.select_related(
        "user", "department", "level", "manager"
    ).prefetch_related(
        Prefetch("skill_levels", queryset=ProfileSkill.objects.select_related("skill")),
        "values",
        "cause_areas",
        "languages",
        Prefetch("goals", queryset=DevelopmentGoal.objects.prefetch_related("skills")),
    )


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

    profile: Profile
    user_id: int
    name: str
    email: str
    job_title: str
    department: str | None
    manager_id: int | None
    manager_name: str | None
    employment_status: str
    is_own: bool
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


def view_of(profile: Profile, scope: ViewerScope) -> ProfileView:
    """Build what the scope may see from a profile loaded with `_profiles_with_details`."""
    user = profile.user
    manager = profile.manager
    shown: dict[str, object] = {}
    hidden: list[str] = []
    for group in Profile.OPTIONAL_GROUPS:
        if not scope.can_see(profile, group):
            hidden.append(group)
            continue
        match group:
            case "level":
                shown["level"] = profile.level.name if profile.level else ""
            case "hire_date":
                shown["hire_date"] = profile.hire_date
            case "location":
                shown["city"], shown["country"] = profile.city, profile.country
                shown["time_zone"] = profile.time_zone
            case "languages":
                shown["languages"] = [language.name for language in profile.languages.all()]
            case "bio":
                shown["bio"] = profile.bio
            case "photo":
                shown["has_photo"] = bool(profile.photo)
            case "skills":
                shown["skills"] = [
                    SkillView(
                        level.skill_id,
                        level.skill.name,
                        level.proficiency,
                        level.get_proficiency_display(),
                    )
                    for level in profile.skill_levels.all()
                ]
            case "values":
                shown["values"] = [value.name for value in profile.values.all()]
            case "cause_areas":
                shown["cause_areas"] = [str(cause) for cause in profile.cause_areas.all()]
            case "goals":
                shown["goals"] = [
                    GoalView(
                        goal.pk,
                        goal.text,
                        [skill.name for skill in goal.skills.all()],
                        goal.is_achieved,
                    )
                    for goal in profile.goals.all()
                ]
            case "mentoring":
                shown["mentoring"] = {
                    "hours_per_month": profile.mentoring_hours_per_month,
                    "open_to_mentor": profile.open_to_mentor,
                    "open_to_be_mentored": profile.open_to_be_mentored,
                    "open_to_reverse_mentor": profile.open_to_reverse_mentor,
                }
    return ProfileView(
        profile=profile,
        user_id=user.pk,
        name=user.display_name,
        email=user.email,
        job_title=profile.job_title,
        department=profile.department.name if profile.department else None,
        manager_id=manager.pk if manager else None,
        manager_name=manager.display_name if manager else None,
        employment_status=profile.get_employment_status_display(),
        is_own=scope.viewer_id == user.pk,
        hidden_groups=hidden,
        **shown,  # type: ignore[arg-type]  # keys are ProfileView fields, built just above
    )


def profile_view_for(scope: ViewerScope, user_id: int) -> ProfileView:
    profile = _profiles_with_details().filter(user_id=user_id, user__is_active=True).first()
    if profile is None:
        raise NotFound("No such person.")
    return view_of(profile, scope)


@dataclass(frozen=True, kw_only=True)
class DirectoryFilters:
    text: str = ""
    skill_id: int | None = None
    cause_area_id: int | None = None
    value_id: int | None = None
    department_id: int | None = None
    location: str = ""
    language: str = ""
    open_to_mentor: bool = False

    @property
    def is_empty(self) -> bool:
        return self == DirectoryFilters()


@dataclass(frozen=True)
class DirectoryRow:
    person: ProfileView
    reasons: list[str]


def _directory_queryset(scope: ViewerScope, filters: DirectoryFilters) -> QuerySet[Profile]:
    people = Profile.objects.filter(user__is_active=True)
    text = filters.text.strip()
    if text:
        by_text = (
            Q(user__first_name__icontains=text)
            | Q(user__last_name__icontains=text)
            | Q(job_title__icontains=text)
            | Q(department__name__icontains=text)
        )
        skill_match = Profile.objects.filter(
            scope.visible_q("skills"), skill_levels__skill__name__icontains=text
        ).values("pk")
        people = people.filter(by_text | Q(pk__in=skill_match))
    if filters.skill_id:
        people = people.filter(
            scope.visible_q("skills"),
            pk__in=ProfileSkill.objects.filter(skill_id=filters.skill_id).values("profile_id"),
        )
    if filters.cause_area_id:
        people = people.filter(
            scope.visible_q("cause_areas"),
            pk__in=Profile.cause_areas.through.objects.filter(
                causearea_id=filters.cause_area_id
            ).values("profile_id"),
        )
    if filters.value_id:
        people = people.filter(
            scope.visible_q("values"),
            pk__in=Profile.values.through.objects.filter(companyvalue_id=filters.value_id).values(
                "profile_id"
            ),
        )
    if filters.department_id:
        people = people.filter(department_id=filters.department_id)
    if filters.location.strip():
        place = filters.location.strip()
        people = people.filter(
            scope.visible_q("location"), Q(city__icontains=place) | Q(country__iexact=place)
        )
    if filters.language:
        people = people.filter(
            scope.visible_q("languages"),
            pk__in=Profile.languages.through.objects.filter(language_id=filters.language).values(
                "profile_id"
            ),
        )
    if filters.open_to_mentor:
        people = people.filter(scope.visible_q("mentoring"), open_to_mentor=True)
    return people.order_by("user__last_name", "user__first_name", "pk")


def _reasons(person: ProfileView, filters: DirectoryFilters, labels: dict[str, str]) -> list[str]:
    reasons: list[str] = []
    text = filters.text.strip().lower()
    if text:
        if text in person.name.lower():
            reasons.append("Name matches")
        if text in person.job_title.lower():
            reasons.append(f"Job title: {person.job_title}")
        if person.department and text in person.department.lower():
            reasons.append(f"Department: {person.department}")
        reasons += [
            f"Skill: {skill.name} ({skill.proficiency_label.lower()})"
            for skill in person.skills or []
            if text in skill.name.lower()
        ]
    if filters.skill_id:
        reasons += [
            f"Skill: {skill.name} ({skill.proficiency_label.lower()})"
            for skill in person.skills or []
            if skill.skill_id == filters.skill_id
        ]
    if filters.cause_area_id:
        reasons.append(f"Cares about {labels['cause_area']}")
    if filters.value_id:
        reasons.append(f"Lives the value {labels['value']}")
    if filters.department_id:
        reasons.append(f"Works in {person.department}")
    if filters.location.strip():
        reasons.append(
            f"Based in {', '.join(part for part in (person.city, person.country) if part)}"
        )
    if filters.language:
        reasons.append(f"Speaks {labels['language']}")
    if filters.open_to_mentor:
        reasons.append("Open to mentor")
    return reasons


def _label(
    model: type[CauseArea] | type[CompanyValue] | type[Language], pk: int | str | None
) -> str:
    return str(model.objects.filter(pk=pk).first() or "") if pk else ""


def directory_page(
    scope: ViewerScope, filters: DirectoryFilters, page_number: int, page_size: int = PAGE_SIZE
) -> tuple[Page[DirectoryRow], int]:
    """One page of the directory; every row says why it matched. A fixed number of queries."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    paginator = Paginator(
        _directory_queryset(scope, filters).values_list("pk", flat=True), page_size
    )
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    loaded = {profile.pk: profile for profile in _profiles_with_details().filter(pk__in=ids)}
    labels = {
        "cause_area": _label(CauseArea, filters.cause_area_id),
        "value": _label(CompanyValue, filters.value_id),
        "language": _label(Language, filters.language),
    }
    rows = []
    for pk in ids:
        person = view_of(loaded[pk], scope)
        rows.append(DirectoryRow(person=person, reasons=_reasons(person, filters, labels)))
    return Page(rows, page.number, paginator), paginator.count  # type: ignore[arg-type]  # a page of rows over the ids' paginator


def department_tree() -> list[tuple[Department, int]]:
    """Every department with its depth, parents before children, in two queries at most."""
    departments = list(Department.objects.all())
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    ordered: list[tuple[Department, int]] = []
    stack = [(department, 0) for department in reversed(children.get(None, []))]
    while stack:
        department, depth = stack.pop()
        ordered.append((department, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(department.pk, [])))
    return ordered
