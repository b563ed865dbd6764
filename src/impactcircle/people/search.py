"""The people directory's searchable type: each profile as up to three documents by audience.

`everyone` holds what every colleague may see (name, job title, department and the groups open
to everyone); `programme` adds the groups shared with programme peers; `private` holds all of it.
The programme and private documents are stored only when they add something. Each is built from
the same `view_of` the profile page uses, so search never knows more than a page would show.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

from django.db.models import Q

from impactcircle.core.search import (
    Document,
    SearchableType,
    register_searchable_type,
)
from impactcircle.people.models import Profile, Visibility
from impactcircle.people.selectors import (
    EVERYONE,
    PRIVATE,
    PROFILE_TYPE,
    PROGRAMME,
    DirectoryFilters,
    directory_queryset,
    profile_lines,
    profiles_with_details,
    view_of,
)
from impactcircle.people.visibility import ViewerScope


def _documents_of(profile: Profile) -> Iterator[Document]:
    owner = profile.user_id
    chosen = {profile.visibility_of(group) for group in Profile.OPTIONAL_GROUPS}
    scopes = [(EVERYONE, ViewerScope(viewer_id=0, is_admin=False, peer_ids=frozenset()))]
    if Visibility.PROGRAMME in chosen:
        scopes.append((PROGRAMME, ViewerScope(0, False, frozenset({owner}))))
    if Visibility.PRIVATE in chosen:
        scopes.append((PRIVATE, ViewerScope(owner, False, frozenset())))
    previous = None
    for audience, scope in scopes:
        person = view_of(profile, scope)
        lines = profile_lines(person)
        body = "\n".join(lines)
        if body != previous:  # only stored when it adds something the narrower one lacks
            meaning = ". ".join(line.split(": ", 1)[-1] for line in lines)
            yield Document(profile.pk, audience, owner, person.name, body, meaning)
        previous = body


def profile_documents(ids: Sequence[int]) -> Iterator[Document]:
    """The documents of these profiles (active people only: others leave tombstones)."""
    for profile in profiles_with_details().filter(pk__in=ids, user__is_active=True):
        yield from _documents_of(profile)


def _all_profile_ids() -> list[int]:
    return list(Profile.objects.filter(user__is_active=True).values_list("pk", flat=True))


def _filter_profiles(
    ids: Collection[int], filters: tuple[ViewerScope, DirectoryFilters]
) -> set[int]:
    scope, directory_filters = filters
    return set(
        directory_queryset(scope, directory_filters)
        .filter(Q(pk__in=list(ids)))
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
