"""Reads about people, always through the viewer's scope (see visibility.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.html import escape

from impactcircle.accounts.models import User
from impactcircle.core.errors import NotFound
from impactcircle.core.pagination import CappedPaginator
from impactcircle.core.search import DocumentAccess, QueryTerms, SearchHit, search
from impactcircle.people.lines import (
    OPEN_TO_MENTOR,
    assemble_lines,
    bio_line,
    cause_line,
    goal_line,
    languages_line,
    level_line,
    place_line,
    skill_line,
    split_line,
    value_line,
)
from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    Department,
    Language,
    Profile,
    ProfileSkill,
)
from impactcircle.people.profile_views import ProfileView, profile_views
from impactcircle.people.visibility import ViewerScope

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
PROFILE_TYPE = "people.profile"
EVERYONE, PROGRAMME, PRIVATE = "everyone", "programme", "private"


def time_zone_names(user_ids: Collection[int]) -> dict[int, str]:
    """Each person's IANA time zone, in one query (notifications send digests by it)."""
    return dict(Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "time_zone"))


def profile_of(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_view_for(scope: ViewerScope, user_id: int) -> ProfileView:
    view = next(iter(profile_views(scope, Q(user_id=user_id)).values()), None)
    if view is None:
        raise NotFound("No such person.")
    return view


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
    highlights: list[str] = field(default_factory=list)  # HTML: escaped, matched words marked


def profile_lines(person: ProfileView) -> list[str]:
    """What a viewer may see of a person, one fact a line (names excepted): the text that is
    searched (people/search.py builds the same lines in bulk) and from which every 'why this
    person matched' is taken."""
    groups: dict[str, list[str]] = {
        "level": [level_line(person.level)] if person.level else [],
        "location": [place_line(person.city or "", person.country or "")]
        if person.city or person.country
        else [],
        "languages": [languages_line(person.languages)] if person.languages else [],
        "skills": [
            skill_line(skill.name, skill.proficiency_label) for skill in person.skills or []
        ],
        "goals": [goal_line(goal.text) for goal in person.goals or [] if not goal.is_achieved],
        "cause_areas": [cause_line(cause) for cause in person.cause_areas or []],
        "values": [value_line(value) for value in person.values or []],
        "bio": [bio_line(person.bio)] if person.bio else [],
        "mentoring": [OPEN_TO_MENTOR]
        if person.mentoring and person.mentoring.get("open_to_mentor")
        else [],
    }
    return assemble_lines(person.job_title, person.department, groups)


def access_of(scope: ViewerScope) -> DocumentAccess:
    """Which profile documents a viewer may use: everyone's; the programme documents of their
    peers and their own; their own private document; all of them for an administrator."""
    if scope.is_admin:
        return DocumentAccess(everything=True)
    return DocumentAccess(
        open_audiences=frozenset({EVERYONE}),
        granted={
            PROGRAMME: frozenset(scope.peer_ids | {scope.viewer_id}),
            PRIVATE: frozenset({scope.viewer_id}),
        },
    )


def _holds(through: type[Model], field: str, value: object) -> Exists:
    """The profile has this row of a many-to-many table (its skill, cause, value, language).

    A correlated EXISTS, not `pk IN (…)`: SQLite then walks people in name order and probes the
    (profile, value) unique index for each, which stops after a page. With IN it built the list
    of every holder first and sorted them by name — 70–110 ms for a value or a language half
    the company holds, against 2–40 ms this way (the rarest filter); PostgreSQL plans both alike.
    """
    return Exists(through._default_manager.filter(profile_id=OuterRef("pk"), **{field: value}))


def directory_queryset(scope: ViewerScope, filters: DirectoryFilters) -> QuerySet[Profile]:
    """Active people passing every filter but the text (text goes through core.search)."""
    people = Profile.objects.filter(user__is_active=True)
    if filters.skill_id:
        people = people.filter(
            scope.visible_q("skills"), _holds(ProfileSkill, "skill_id", filters.skill_id)
        )
    if filters.cause_area_id:
        people = people.filter(
            scope.visible_q("cause_areas"),
            _holds(Profile.cause_areas.through, "causearea_id", filters.cause_area_id),
        )
    if filters.value_id:
        people = people.filter(
            scope.visible_q("values"),
            _holds(Profile.values.through, "companyvalue_id", filters.value_id),
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
            _holds(Profile.languages.through, "language_id", filters.language),
        )
    if filters.open_to_mentor:
        people = people.filter(scope.visible_q("mentoring"), open_to_mentor=True)
    # The order of the partial index on active users (accounts.User.Meta), all three columns
    # from the users' table: a page is an index walk, not a sort of every person.
    return people.order_by("user__last_name", "user__first_name", "user__id")


def _reasons(person: ProfileView, filters: DirectoryFilters, labels: dict[str, str]) -> list[str]:
    reasons: list[str] = []
    if filters.skill_id:
        reasons += [
            skill_line(skill.name, skill.proficiency_label)
            for skill in person.skills or []
            if skill.skill_id == filters.skill_id
        ]
    if filters.cause_area_id:
        reasons.append(cause_line(labels["cause_area"]))
    if filters.value_id:
        reasons.append(value_line(labels["value"]))
    if filters.department_id:
        reasons.append(f"Works in {person.department}")
    if filters.location.strip():
        reasons.append(place_line(person.city or "", person.country or ""))
    if filters.language:
        reasons.append(languages_line([labels["language"]]))
    if filters.open_to_mentor:
        reasons.append(OPEN_TO_MENTOR)
    return reasons


def _label(
    model: type[CauseArea] | type[CompanyValue] | type[Language], pk: int | str | None
) -> str:
    return str(model.objects.filter(pk=pk).first() or "") if pk else ""


def _closest_lines(lines_by_row: dict[int, list[str]], text: str) -> dict[int, str]:
    """For rows found by meaning alone, the line of each closest to the query (one batch)."""
    from impactcircle.engine.text import default_embedder

    keys = [(key, line) for key, lines in lines_by_row.items() for line in lines]
    if not keys:
        return {}
    vectors = default_embedder().embed([text] + [line for _key, line in keys])
    scores = vectors[1:] @ vectors[0]
    best: dict[int, tuple[float, str]] = {}
    for (key, line), score in zip(keys, scores.tolist(), strict=True):
        if key not in best or score > best[key][0]:
            best[key] = (score, line)
    return {key: line for key, (_score, line) in best.items()}


def _why_found(
    people: list[ProfileView], hits: list[SearchHit], text: str
) -> list[tuple[list[str], list[str]]]:
    """Per row, the reasons and highlights of a text search, taken only from what the viewer
    may see: the lines with a searched word, or else the line closest in meaning."""
    terms = QueryTerms.parse(text)
    found: list[tuple[list[str], list[str]]] = []
    by_meaning_only: dict[int, list[str]] = {}
    for position, (person, hit) in enumerate(zip(people, hits, strict=True)):
        reasons: list[str] = []
        highlights: list[str] = []
        if terms and terms.matches(person.name):
            reasons.append("Name matches")
            highlights.append(terms.mark(person.name))
        for line in profile_lines(person):
            label, fact = split_line(line)
            if terms and terms.matches(fact):
                shown = terms.excerpt(fact)
                reasons.append(label + shown)
                highlights.append(escape(label) + terms.mark(shown))
        if not reasons and hit.by_meaning:
            by_meaning_only[position] = profile_lines(person)
        found.append((reasons, highlights))
    for position, line in _closest_lines(by_meaning_only, text).items():
        found[position][0].append(f"Close in meaning: {terms.excerpt(line)}")
    return found


def directory_page(
    scope: ViewerScope, filters: DirectoryFilters, page_number: int, page_size: int = PAGE_SIZE
) -> tuple[Page[DirectoryRow], int]:
    """One page of the directory; every row says why it matched. A fixed number of queries.

    With text, people are ranked by core.search (words and meaning, within what the viewer may
    see) and the other filters narrow that list; without, they are listed by name.
    """
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    text = filters.text.strip()
    hits: list[SearchHit] = []
    if text:
        others = replace(filters, text="")
        # Without other filters nothing is left to check in the database: only active people
        # have documents, and the rows below are loaded for active people only (a person who
        # just left, whose documents the worker has not yet tombstoned, is dropped there).
        hits = search(
            PROFILE_TYPE,
            text,
            access_of(scope),
            filters=None if others.is_empty else (scope, others),
        )
        hit_pages = Paginator(hits, page_size)  # search stops at 1,000 itself
        hit_page = hit_pages.get_page(page_number)
        hits = list(hit_page.object_list)
        ids = [hit.object_id for hit in hits]
        paginator: Paginator[Any] = hit_pages
        number = hit_page.number
    else:
        id_pages = CappedPaginator(
            directory_queryset(scope, filters).values_list("pk", flat=True), page_size
        )
        id_page = id_pages.get_page(page_number)
        ids = list(id_page.object_list)
        paginator, number = id_pages, id_page.number
    loaded = profile_views(scope, Q(pk__in=ids))
    labels = {
        "cause_area": _label(CauseArea, filters.cause_area_id),
        "value": _label(CompanyValue, filters.value_id),
        "language": _label(Language, filters.language),
    }
    people = [loaded[pk] for pk in ids if pk in loaded]
    why = (
        _why_found(people, [hit for hit in hits if hit.object_id in loaded], text)
        if text
        else [([], []) for _person in people]
    )
    rows = [
        DirectoryRow(
            person=person,
            reasons=reasons + _reasons(person, filters, labels),
            highlights=highlights,
        )
        for person, (reasons, highlights) in zip(people, why, strict=True)
    ]
    return Page(rows, number, paginator), paginator.count


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
