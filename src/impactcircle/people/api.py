"""API: the directory, profiles, the organisation's reference lists and roles."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from annotated_types import Interval
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StrictBool

from impactcircle.accounts.models import User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.errors import InvalidInput, NotFound
from impactcircle.core.form_errors import invalid_input_from
from impactcircle.core.input_bounds import BoundedId, PageNumber, PageSize, refuse_yes_no
from impactcircle.core.pagination import CappedPaginator
from impactcircle.core.search import MAX_QUERY_LENGTH
from impactcircle.people import organisation_services, services
from impactcircle.people.forms import DirectorySearchForm
from impactcircle.people.models import CauseArea, CompanyValue, Department, Level, Profile, Skill
from impactcircle.people.profile_views import ProfileView
from impactcircle.people.roles import Role, roles_of
from impactcircle.people.selectors import (
    DirectoryFilters,
    directory_page,
    profile_of,
    profile_view_for,
)
from impactcircle.people.visibility import scope_for

router = Router(tags=["people"])


class NamedOut(Schema):
    id: int
    name: str


class SkillOut(Schema):
    skill_id: int
    name: str
    proficiency: int
    proficiency_label: str


class DevelopmentGoalOut(Schema):
    goal_id: int
    text: str
    skills: list[str]
    is_achieved: bool


class ProfileOut(Schema):
    """A person as the caller may see them, as the profile page shows them: fields they may not
    see are null and listed in `hidden_groups`."""

    user_id: int
    name: str
    email: str | None = Field(
        description="The caller's own address; null for anyone else, as on every page"
    )
    job_title: str
    department: str | None
    manager_id: int | None
    manager_name: str | None
    employment_status: str
    time_zone: str | None = Field(description="Null when the location group is hidden")
    level: str | None
    hire_date: date | None
    city: str | None
    country: str | None
    languages: list[str] | None
    bio: str | None
    has_photo: bool | None
    skills: list[SkillOut] | None
    values: list[str] | None
    cause_areas: list[str] | None
    goals: list[DevelopmentGoalOut] | None
    mentoring: dict[str, Any] | None
    hidden_groups: list[str]


class DirectoryItemOut(Schema):
    person: ProfileOut
    reasons: list[str] = Field(description="Why this person matched, from what the caller may see")
    highlights: list[str] = Field(
        description="With text: the matched lines as HTML, escaped, the matched words in <mark>"
    )


class DirectoryOut(Schema):
    items: list[DirectoryItemOut]
    count: int = Field(description="People listed (at most 1,000: see `more`)")
    more: bool = Field(
        description="More people match than are listed: add a filter or words to narrow"
    )
    page: int
    pages: int


class DirectoryQuery(Schema):
    """Filters as the directory page takes them: one that cannot be applied (words beyond the
    limit, an id or language code that names nothing) answers 422, never everyone."""

    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="Words to search for")
    skill: BoundedId | None = None
    cause_area: BoundedId | None = None
    value: BoundedId | None = None
    department: BoundedId | None = None
    location: str = Field("", max_length=80, description="City or two-letter country code")
    language: str = Field("", description="A language code from the organisation's list")
    open_to_mentor: bool = False
    page: PageNumber = 1
    page_size: PageSize = 25  # more than 100 is capped at 100


class ProfileIn(Schema):
    bio: str | None = None
    city: str | None = None
    country: str | None = None
    time_zone: str | None = None
    languages: list[str] | None = None
    value_ids: list[int] | None = None
    cause_area_ids: list[int] | None = None
    # Strict: a JSON number or true/false only, as the schema says (not false for 0, nor 0, 1
    # or "yes" for a yes/no).
    mentoring_hours_per_month: (
        Annotated[int, Interval(ge=0, le=80), BeforeValidator(refuse_yes_no)] | None
    ) = None
    open_to_mentor: StrictBool | None = None
    open_to_be_mentored: StrictBool | None = None
    open_to_reverse_mentor: StrictBool | None = None
    visibility: dict[str, str] | None = None  # {group: "everyone" | "programme" | "private"}


class OrganisationIn(Schema):
    job_title: str = ""
    department_id: int | None = None
    manager_id: int | None = None
    level_id: int | None = None
    hire_date: date | None = None
    employment_status: str = "active"
    status_since: date | None = None


class SkillIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    proficiency: int = Field(2, ge=1, le=4)


class DevelopmentGoalIn(Schema):
    text: str = Field(min_length=1, max_length=300)
    skills: list[str] = []


class DepartmentIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    parent_id: int | None = None


class DepartmentOut(Schema):
    id: int
    name: str
    parent_id: int | None


class LevelIn(Schema):
    name: str = Field(min_length=1, max_length=40)
    rank: int = Field(ge=0)


class LevelOut(Schema):
    id: int
    name: str
    rank: int


class SkillTaxonomyOut(Schema):
    id: int
    name: str
    is_curated: bool


class MergeIn(Schema):
    into_id: int


class NamedIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    description: str = ""


class CauseAreaOut(Schema):
    id: int
    name: str
    sdg_number: int | None


class RoleChangeIn(Schema):
    role: Role
    action: Literal["grant", "revoke"]


class RolesOut(Schema):
    user_id: int
    roles: list[Role]


def _view(request: AuthenticatedRequest, user_id: int) -> ProfileView:
    return profile_view_for(scope_for(request.user), user_id)


def _directory_filters(query: DirectoryQuery) -> DirectoryFilters:
    """The filters, checked by the page's form (the same lists, limits and messages)."""
    fields = {"q", "skill", "cause_area", "value", "department", "location", "language"}
    data = {
        name: "" if value is None else str(value)
        for name, value in query.dict(include=fields).items()
    }
    form = DirectorySearchForm({**data, "open_to_mentor": "on" if query.open_to_mentor else ""})
    if not form.is_valid():
        raise invalid_input_from(form)
    return form.filters()


@router.get("/people", response=DirectoryOut)
def search_people(request: AuthenticatedRequest, filters: Query[DirectoryQuery]) -> dict[str, Any]:
    page, total = directory_page(
        scope_for(request.user), _directory_filters(filters), filters.page, filters.page_size
    )
    return {
        "items": list(page.object_list),
        "count": total,
        "more": isinstance(page.paginator, CappedPaginator) and page.paginator.is_capped,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.get("/people/me", response=ProfileOut)
def my_profile(request: AuthenticatedRequest) -> ProfileView:
    return _view(request, request.user.pk)


@router.patch("/people/me", response=ProfileOut)
def update_my_profile(request: AuthenticatedRequest, payload: ProfileIn) -> ProfileView:
    actor = request.user
    services.profile_update(
        actor=actor,
        profile=profile_of(actor),
        request=request,
        changes=services.ProfileChanges(
            bio=payload.bio,
            city=payload.city,
            country=payload.country,
            time_zone=payload.time_zone,
            language_codes=payload.languages,
            value_ids=payload.value_ids,
            cause_area_ids=payload.cause_area_ids,
            mentoring_hours_per_month=payload.mentoring_hours_per_month,
            open_to_mentor=payload.open_to_mentor,
            open_to_be_mentored=payload.open_to_be_mentored,
            open_to_reverse_mentor=payload.open_to_reverse_mentor,
            visibility=payload.visibility,
        ),
    )
    return _view(request, actor.pk)


@router.post("/people/me/skills", response=ProfileOut)
def set_my_skill(request: AuthenticatedRequest, payload: SkillIn) -> ProfileView:
    actor = request.user
    services.profile_skill_set(
        actor=actor,
        profile=profile_of(actor),
        skill_name=payload.name,
        proficiency=payload.proficiency,
    )
    return _view(request, actor.pk)


@router.delete("/people/me/skills/{skill_id}", response=ProfileOut)
def remove_my_skill(request: AuthenticatedRequest, skill_id: int) -> ProfileView:
    actor = request.user
    services.profile_skill_remove(actor=actor, profile=profile_of(actor), skill_id=skill_id)
    return _view(request, actor.pk)


@router.post("/people/me/goals", response=ProfileOut)
def add_my_goal(request: AuthenticatedRequest, payload: DevelopmentGoalIn) -> ProfileView:
    actor = request.user
    services.goal_add(
        actor=actor, profile=profile_of(actor), text=payload.text, skill_names=payload.skills
    )
    return _view(request, actor.pk)


@router.delete("/people/me/goals/{goal_id}", response=ProfileOut)
def remove_my_goal(request: AuthenticatedRequest, goal_id: int) -> ProfileView:
    actor = request.user
    services.goal_remove(actor=actor, profile=profile_of(actor), goal_id=goal_id)
    return _view(request, actor.pk)


@router.get("/people/{user_id}", response=ProfileOut)
def get_person(request: AuthenticatedRequest, user_id: int) -> ProfileView:
    return _view(request, user_id)


def _optional[T: (Department, Level, User)](model: type[T], pk: int | None, field: str) -> T | None:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(f"No such {field}.", fields={f"{field}_id": ["Unknown id."]})
    return found


@router.put("/people/{user_id}/organisation", response=ProfileOut)
def set_organisation(
    request: AuthenticatedRequest, user_id: int, payload: OrganisationIn
) -> ProfileView:
    organisation_services.require_administrator(request.user)
    profile = (
        Profile.objects.filter(user_id=user_id, user__is_active=True).select_related("user").first()
    )
    if profile is None:
        raise NotFound("No such person.")
    organisation_services.profile_set_organisation(
        actor=request.user,
        profile=profile,
        request=request,
        department=_optional(Department, payload.department_id, "department"),
        manager=_optional(User, payload.manager_id, "manager"),
        level=_optional(Level, payload.level_id, "level"),
        job_title=payload.job_title,
        hire_date=payload.hire_date,
        employment_status=payload.employment_status,
        status_since=payload.status_since,
    )
    return _view(request, user_id)


@router.get("/departments", response=list[DepartmentOut])
def list_departments(request: AuthenticatedRequest) -> list[Department]:
    return list(Department.objects.all())


@router.post("/departments", response={201: DepartmentOut})
def create_department(request: AuthenticatedRequest, payload: DepartmentIn) -> Status[Department]:
    parent = _optional(Department, payload.parent_id, "parent")
    return Status(
        201,
        organisation_services.department_save(actor=request.user, name=payload.name, parent=parent),
    )


@router.get("/levels", response=list[LevelOut])
def list_levels(request: AuthenticatedRequest) -> list[Level]:
    return list(Level.objects.all())


@router.post("/levels", response={201: LevelOut})
def create_level(request: AuthenticatedRequest, payload: LevelIn) -> Status[Level]:
    return Status(
        201,
        organisation_services.level_create(
            actor=request.user, name=payload.name, rank=payload.rank
        ),
    )


@router.get("/skills", response=list[SkillTaxonomyOut])
def list_skills(request: AuthenticatedRequest, q: str = "") -> list[Skill]:
    return list(Skill.objects.filter(name__icontains=q.strip())[:200])


@router.post("/skills/{skill_id}/merge", response=SkillTaxonomyOut)
def merge_skill(request: AuthenticatedRequest, skill_id: int, payload: MergeIn) -> Skill:
    source = get_object_or_404(Skill, pk=skill_id)
    target = get_object_or_404(Skill, pk=payload.into_id)
    return services.skill_merge(actor=request.user, source=source, target=target, request=request)


@router.get("/values", response=list[NamedOut])
def list_values(request: AuthenticatedRequest) -> list[CompanyValue]:
    return list(CompanyValue.objects.all())


@router.post("/values", response={201: NamedOut})
def create_value(request: AuthenticatedRequest, payload: NamedIn) -> Status[CompanyValue]:
    return Status(
        201,
        services.company_value_create(
            actor=request.user, name=payload.name, description=payload.description
        ),
    )


@router.get("/cause-areas", response=list[CauseAreaOut])
def list_cause_areas(request: AuthenticatedRequest) -> list[CauseArea]:
    return list(CauseArea.objects.all())


@router.post("/cause-areas", response={201: CauseAreaOut})
def create_cause_area(request: AuthenticatedRequest, payload: NamedIn) -> Status[CauseArea]:
    return Status(
        201,
        services.cause_area_create(
            actor=request.user, name=payload.name, description=payload.description
        ),
    )


@router.get("/roles/{user_id}", response=RolesOut)
def get_roles(request: AuthenticatedRequest, user_id: int) -> dict[str, Any]:
    organisation_services.require_administrator(request.user)
    person = get_object_or_404(User, pk=user_id)
    return {"user_id": person.pk, "roles": roles_of(person)}


@router.post("/roles/{user_id}", response=RolesOut)
def change_role(
    request: AuthenticatedRequest, user_id: int, payload: RoleChangeIn
) -> dict[str, Any]:
    actor = request.user
    organisation_services.require_administrator(actor)
    person = get_object_or_404(User, pk=user_id, is_active=True)
    change = (
        organisation_services.role_grant
        if payload.action == "grant"
        else organisation_services.role_revoke
    )
    change(actor=actor, user=person, role=payload.role, request=request)
    person = User.objects.get(pk=user_id)
    return {"user_id": person.pk, "roles": roles_of(person)}
