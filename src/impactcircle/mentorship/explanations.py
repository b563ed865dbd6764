"""Matching explanations: stored with what they reveal, filtered for each viewer in one place.

The engine explains a pair in plain words ("both value Sustainability", "Lea wants to grow in
Coaching; Freya is advanced"). Each sentence is about profile fields of the two people, and a
person may have hidden those fields from the viewer. Matching may use what a person shared with
the programme, but an explanation never shows a viewer more than the people's own visibility
choices allow them to see.

A reason is stored (in `ProposedMatch.reasons`, `Relationship.reasons`) as

    {"factor": "values", "text": "both value Sustainability",
     "reveals": [{"user_id": 7, "group": "values"}, {"user_id": 9, "group": "values"}]}

and `visible_reasons` keeps a reason only when the viewer may see every group it reveals (their
own fields always count as visible to them). Reasons stored before this shape, as plain
sentences, reveal something unknown: they are shown to administrators only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from impactcircle.accounts.models import User
from impactcircle.engine.matching.result import Reason
from impactcircle.people.models import Profile
from impactcircle.people.visibility import ViewerScope, scope_for

type PairSide = Literal["mentee", "mentor"]

# Which profile group of which side each of the engine's factors names in its sentence.
FACTOR_REVEALS: Mapping[str, tuple[tuple[PairSide, str], ...]] = {
    "values": (("mentee", "values"), ("mentor", "values")),
    "causes": (("mentee", "cause_areas"), ("mentor", "cause_areas")),
    # The mentor's skills in the pool are the profile's and the application's together; the
    # sentence does not say which, so it always counts as revealing the profile's skills.
    "skills": (("mentee", "goals"), ("mentor", "skills")),
    "language": (("mentee", "languages"), ("mentor", "languages")),
    "level": (("mentee", "level"), ("mentor", "level")),
    # "Their goals and expertise are close in meaning" names no value, but it says something
    # about the texts it compares: the mentee's goals, the mentor's skills and bio.
    "meaning": (("mentee", "goals"), ("mentor", "skills"), ("mentor", "bio")),
    # A count of shared working hours (from the applications, in UTC) and a score given in the
    # input name no profile field.
    "hours": (),
    "given_score": (),
}


@dataclass(frozen=True)
class StoredReason:
    """One reason as read back: `reveals` is None when unknown (a sentence stored as text)."""

    factor: str
    text: str
    reveals: tuple[tuple[int, str], ...] | None


def stored_reasons(
    explanation: Iterable[Reason], *, mentee_id: int, mentor_id: int
) -> list[dict[str, object]]:
    """The engine's reasons of one pair in their stored (JSON) shape, with what each reveals."""
    ids: dict[PairSide, int] = {"mentee": mentee_id, "mentor": mentor_id}
    out: list[dict[str, object]] = []
    for reason in explanation:
        entry: dict[str, object] = {"factor": reason.factor, "text": reason.text}
        sides = FACTOR_REVEALS.get(reason.factor)
        if sides is not None:  # an unknown factor is stored without "reveals": admins only
            entry["reveals"] = [{"user_id": ids[side], "group": group} for side, group in sides]
        out.append(entry)
    return out


def _reveal(item: object) -> tuple[int, str] | None:
    if isinstance(item, Mapping):
        user_id, group = item.get("user_id"), item.get("group")
        if isinstance(user_id, int) and isinstance(group, str):
            return (user_id, group)
    return None


def _parsed(item: object) -> StoredReason | None:
    if isinstance(item, str):
        return StoredReason(factor="", text=item, reveals=None)
    if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
        return None
    factor = item.get("factor")
    raw = item.get("reveals")
    reveals: tuple[tuple[int, str], ...] | None = None
    if isinstance(raw, list):
        found = [_reveal(entry) for entry in raw]
        if all(entry is not None for entry in found):
            reveals = tuple(entry for entry in found if entry is not None)
    return StoredReason(
        factor=factor if isinstance(factor, str) else "", text=str(item["text"]), reveals=reveals
    )


def parse_reasons(raw: object) -> list[StoredReason]:
    """Stored reasons in either shape (structured, or the older list of sentences)."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return []
    return [reason for reason in map(_parsed, raw) if reason is not None]


@dataclass(frozen=True)
class ExplanationReader:
    """One viewer's scope and the visibility choices of the people some explanations are about."""

    scope: ViewerScope
    profiles: Mapping[int, Profile]

    def may_see(self, user_id: int, group: str) -> bool:
        if self.scope.is_admin or user_id == self.scope.viewer_id:
            return True
        if group not in Profile.OPTIONAL_GROUPS:
            return False
        profile = self.profiles.get(user_id)
        return profile is not None and self.scope.can_see(profile, group)

    def shows(self, reason: StoredReason) -> bool:
        if reason.reveals is None:
            return self.scope.is_admin
        return all(self.may_see(user_id, group) for user_id, group in reason.reveals)


def explanation_reader(
    viewer: User, explanations: Iterable[object], *, scope: ViewerScope | None = None
) -> ExplanationReader:
    """Read the visibility of everyone the explanations reveal, in one query (plus the scope)."""
    scope = scope if scope is not None else scope_for(viewer)
    user_ids = {
        user_id
        for raw in explanations
        for reason in parse_reasons(raw)
        for user_id, _ in reason.reveals or ()
    }
    user_ids.discard(scope.viewer_id)
    profiles: dict[int, Profile] = {}
    if user_ids and not scope.is_admin:
        visibility_fields = [f"{group}_visibility" for group in Profile.OPTIONAL_GROUPS]
        profiles = {
            profile.user_id: profile
            for profile in Profile.objects.filter(user_id__in=user_ids).only(
                "user_id", *visibility_fields
            )
        }
    return ExplanationReader(scope=scope, profiles=profiles)


def visible_reasons(reasons: object, reader: ExplanationReader) -> list[str]:
    """The sentences of stored reasons that the reader's viewer may see, in their order."""
    return [reason.text for reason in parse_reasons(reasons) if reader.shows(reason)]


def visible_reasons_for(viewer: User, reasons: object) -> list[str]:
    """`visible_reasons` for one explanation (the relationship page, one recommendation); no
    query when there is nothing to explain."""
    if not parse_reasons(reasons):
        return []
    return visible_reasons(reasons, explanation_reader(viewer, [reasons]))
