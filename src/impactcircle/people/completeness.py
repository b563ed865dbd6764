"""How complete a profile is, what is missing, and why it matters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from impactcircle.people.models import DevelopmentGoal, Profile, ProfileSkill

# What completeness counts of a profile's related rows: name → model with a profile_id.
_COUNTED: dict[str, type[Model]] = {
    "skills": ProfileSkill,
    "values": Profile.values.through,
    "cause_areas": Profile.cause_areas.through,
    "goals": DevelopmentGoal,
    "languages": Profile.languages.through,
}


@dataclass(frozen=True)
class CompletenessItem:
    label: str
    is_done: bool
    why: str


@dataclass(frozen=True)
class Completeness:
    items: list[CompletenessItem]

    @property
    def percent(self) -> int:
        return round(100 * sum(item.is_done for item in self.items) / len(self.items))

    @property
    def missing(self) -> list[CompletenessItem]:
        return [item for item in self.items if not item.is_done]


def with_related_counts(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """The profiles, each with how many skills, values, causes, goals and languages it has,
    in the same query (the home page's card needs the numbers, not the rows)."""
    counts = {
        f"{name}_count": Coalesce(
            Subquery(
                model._default_manager.filter(profile_id=OuterRef("pk"))
                .order_by()
                .values("profile_id")
                .annotate(total=Count("*"))
                .values("total"),
                output_field=IntegerField(),
            ),
            0,
        )
        for name, model in _COUNTED.items()
    }
    return profiles.annotate(**counts)


def _count(profile: Profile, name: str) -> int:
    return int(getattr(profile, f"{name}_count"))


def completeness_of(profile: Profile) -> Completeness:
    """Of a profile loaded through `with_related_counts`."""
    return Completeness(
        items=[
            CompletenessItem(
                "A short bio",
                bool(profile.bio.strip()),
                "Colleagues decide whether to reach out from a few lines about you.",
            ),
            CompletenessItem(
                "At least three skills",
                _count(profile, "skills") >= 3,
                "Skills are how people find you as an expert and how mentors are matched.",
            ),
            CompletenessItem(
                "Your company values",
                _count(profile, "values") > 0,
                "Shared values weigh in every mentoring match.",
            ),
            CompletenessItem(
                "The causes you care about",
                _count(profile, "cause_areas") > 0,
                "Cause areas connect you with initiatives and like-minded colleagues.",
            ),
            CompletenessItem(
                "A development goal",
                _count(profile, "goals") > 0,
                "Goals let matching find the mentor who can help you grow.",
            ),
            CompletenessItem(
                "Languages you speak",
                _count(profile, "languages") > 0,
                "Matching only pairs people who share a language.",
            ),
            CompletenessItem(
                "Your city and country",
                bool(profile.city and profile.country),
                "Helps with time zones, local events and meeting in person.",
            ),
            CompletenessItem(
                "Your time zone",
                profile.time_zone != "UTC" or bool(profile.country),
                "Meetings and matches respect your working hours.",
            ),
            CompletenessItem(
                "Mentoring availability",
                profile.open_to_mentor
                or profile.open_to_be_mentored
                or profile.open_to_reverse_mentor,
                "Say whether you would mentor, be mentored, or both.",
            ),
            CompletenessItem(
                "A photo",
                bool(profile.photo),
                "A face makes a first conversation easier (initials are shown otherwise).",
            ),
        ]
    )
