"""The people directory's searchable type: each profile as up to three documents by audience.

`everyone` holds what every colleague may see (name, job title, department and the groups open
to everyone); `programme` adds the groups shared with programme peers; `private` holds all of it.
The programme and private documents are stored only when they add something. The lines are the
same ones `profile_lines` gives a viewer (selectors.py), without their labels, built here in
bulk: a fixed number of queries per batch, however many people, so that 100,000 profiles index
in about a minute.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

from impactcircle.accounts.models import display_name_of
from impactcircle.core.search import (
    Document,
    SearchableType,
    id_list,
    register_searchable_type,
)
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
    Profile,
    Visibility,
)
from impactcircle.people.profile_views import many_valued
from impactcircle.people.selectors import (
    EVERYONE,
    PRIVATE,
    PROFILE_TYPE,
    PROGRAMME,
    DirectoryFilters,
    directory_queryset,
)
from impactcircle.people.visibility import ViewerScope

_AUDIENCES = (
    (EVERYONE, {Visibility.EVERYONE}),
    (PROGRAMME, {Visibility.EVERYONE, Visibility.PROGRAMME}),
    (PRIVATE, {Visibility.EVERYONE, Visibility.PROGRAMME, Visibility.PRIVATE}),
)
_GROUPED = ("level", "location", "languages", "skills", "goals", "cause_areas", "values", "bio")


def _related_lines(ids: Sequence[int]) -> dict[str, dict[int, list[str]]]:
    """Lines of the many-valued groups of these profiles, read as the profile page reads them
    (`many_valued`, one query per group) and written as `profile_lines` writes them."""
    skills = many_valued("skills", ids)
    goals = many_valued("goals", ids)
    languages = many_valued("languages", ids)
    causes = many_valued("cause_areas", ids)
    values = many_valued("values", ids)
    return {
        "skills": {
            key: [skill_line(skill.name, skill.proficiency_label) for skill in found]
            for key, found in skills.items()
        },
        "goals": {
            key: [goal_line(goal.text) for goal in found if not goal.is_achieved]
            for key, found in goals.items()
        },
        "languages": {key: [languages_line(names)] for key, names in languages.items()},
        "cause_areas": {
            key: [cause_line(cause) for cause in found] for key, found in causes.items()
        },
        "values": {key: [value_line(name) for name in found] for key, found in values.items()},
    }


def profile_documents(ids: Sequence[int]) -> Iterator[Document]:
    """The documents of these profiles (active people only: others leave tombstones)."""
    visibility_fields = [f"{group}_visibility" for group in Profile.OPTIONAL_GROUPS]
    rows = Profile.objects.filter(pk__in=ids, user__is_active=True).values(
        "pk",
        "user_id",
        "user__first_name",
        "user__last_name",
        "user__email",
        "job_title",
        "department__name",
        "level__name",
        "city",
        "country",
        "bio",
        "open_to_mentor",
        *visibility_fields,
    )
    related = _related_lines(ids)
    for row in rows:
        profile_id = row["pk"]
        groups = {group: related.get(group, {}).get(profile_id, []) for group in _GROUPED}
        groups["level"] = [level_line(row["level__name"])] if row["level__name"] else []
        city, country = row["city"], row["country"]
        groups["location"] = [place_line(city, country)] if city or country else []
        groups["bio"] = [bio_line(row["bio"])] if row["bio"] else []
        groups["mentoring"] = [OPEN_TO_MENTOR] if row["open_to_mentor"] else []
        name = display_name_of(row["user__first_name"], row["user__last_name"], row["user__email"])
        previous = None
        for audience, allowed in _AUDIENCES:
            shown = {
                group: lines
                for group, lines in groups.items()
                if row[f"{group}_visibility"] in allowed
            }
            lines = assemble_lines(row["job_title"], row["department__name"], shown)
            facts = [split_line(line)[1] for line in lines]  # labels are in every profile
            body = "\n".join(facts)
            if body != previous:  # only stored when it adds something the narrower one lacks
                yield Document(profile_id, audience, row["user_id"], name, body, ". ".join(facts))
            previous = body


def _all_profile_ids() -> list[int]:
    return list(Profile.objects.filter(user__is_active=True).values_list("pk", flat=True))


def _filter_profiles(
    ids: Collection[int], filters: tuple[ViewerScope, DirectoryFilters]
) -> set[int]:
    scope, directory_filters = filters
    return set(
        directory_queryset(scope, directory_filters)
        .filter(pk__in=id_list(list(ids)))
        .order_by()
        .values_list("pk", flat=True)
    )


def register_people_search() -> None:
    register_searchable_type(
        SearchableType(
            name=PROFILE_TYPE,
            documents=profile_documents,
            all_ids=_all_profile_ids,
            audiences=(EVERYONE, PROGRAMME, PRIVATE),
            filter_objects=_filter_profiles,
            filters=(
                "skill",
                "cause_area",
                "value",
                "department",
                "location",
                "language",
                "open_to_mentor",
            ),
        )
    )
