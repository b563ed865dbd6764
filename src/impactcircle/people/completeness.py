"""How complete a profile is, what is missing, and why it matters."""

from __future__ import annotations

from dataclasses import dataclass

from impactcircle.people.models import Profile


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


def completeness_of(profile: Profile) -> Completeness:
    """Expects a profile loaded with its skills, values, causes, languages and goals."""
    skills = list(profile.skill_levels.all())
    return Completeness(
        items=[
            CompletenessItem(
                "A short bio",
                bool(profile.bio.strip()),
                "Colleagues decide whether to reach out from a few lines about you.",
            ),
            CompletenessItem(
                "At least three skills",
                len(skills) >= 3,
                "Skills are how people find you as an expert and how mentors are matched.",
            ),
            CompletenessItem(
                "Your company values",
                bool(profile.values.all()),
                "Shared values weigh in every mentoring match.",
            ),
            CompletenessItem(
                "The causes you care about",
                bool(profile.cause_areas.all()),
                "Cause areas connect you with initiatives and like-minded colleagues.",
            ),
            CompletenessItem(
                "A development goal",
                bool(profile.goals.all()),
                "Goals let matching find the mentor who can help you grow.",
            ),
            CompletenessItem(
                "Languages you speak",
                bool(profile.languages.all()),
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
