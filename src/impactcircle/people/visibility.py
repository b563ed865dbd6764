"""Who may see which optional part of a profile.

Each person chooses, per group of optional fields, between everyone, the people they are in a
programme with, and only themselves (administrators always see everything). The same rule is
applied in the directory, the search, the profile page and the API, through `visible_q` (for
queries) and `ViewerScope.can_see` (for objects already loaded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from impactcircle.accounts.models import User
from impactcircle.people.models import Profile, Visibility
from impactcircle.people.roles import is_administrator

# Modules that put people together in programmes (mentorship, learning) register a function that
# answers the ids of the people the viewer shares a programme with.
type PeerProvider = Callable[[User], set[int]]
_peer_providers: list[PeerProvider] = []


def register_programme_peer_provider(provider: PeerProvider) -> None:
    if provider not in _peer_providers:
        _peer_providers.append(provider)


def unregister_programme_peer_provider(provider: PeerProvider) -> None:
    if provider in _peer_providers:
        _peer_providers.remove(provider)


@dataclass(frozen=True)
class ViewerScope:
    """What one viewer may see: computed once per request (one query per peer provider)."""

    viewer_id: int
    is_admin: bool
    peer_ids: frozenset[int]

    def can_see(self, profile: Profile, group: str) -> bool:
        return self.may_see(profile.user_id, profile.visibility_of(group))

    def may_see(self, owner_id: int, visibility: str) -> bool:
        """Whether this viewer may see a group its owner set to `visibility`."""
        if self.is_admin or owner_id == self.viewer_id or visibility == Visibility.EVERYONE:
            return True
        return visibility == Visibility.PROGRAMME and owner_id in self.peer_ids

    def visible_q(self, group: str, prefix: str = "") -> Q:
        """A filter on profiles (or on a relation through `prefix`) for this group's visibility."""
        if self.is_admin:
            return Q()
        field = f"{prefix}{group}_visibility"
        rule = Q(**{field: Visibility.EVERYONE}) | Q(**{f"{prefix}user_id": self.viewer_id})
        if self.peer_ids:
            rule |= Q(**{field: Visibility.PROGRAMME, f"{prefix}user_id__in": self.peer_ids})
        return rule


def scope_for(viewer: User) -> ViewerScope:
    peers: set[int] = set()
    for provider in _peer_providers:
        peers |= provider(viewer)
    peers.discard(viewer.pk)
    return ViewerScope(
        viewer_id=viewer.pk, is_admin=is_administrator(viewer), peer_ids=frozenset(peers)
    )
