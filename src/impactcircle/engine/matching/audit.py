"""Fairness audit: matched rate and mean score per value of each mentee group attribute.

Groups smaller than ``min_group_size`` (the house anonymity threshold, 5 by default, never
below 3) are counted but their figures are withheld and they take no part in the gaps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_GROUP_FLOOR = 3


@dataclass(frozen=True, slots=True)
class GroupFigures:
    value: str
    people: int
    matched: int | None
    matched_rate: float | None
    mean_score: float | None
    suppressed: bool


@dataclass(frozen=True, slots=True)
class AttributeAudit:
    attribute: str
    groups: tuple[GroupFigures, ...]
    matched_rate_gap: float | None
    mean_score_gap: float | None
    lowest_matched_rate: str | None


@dataclass(frozen=True, slots=True)
class FairnessAudit:
    min_group_size: int
    attributes: tuple[AttributeAudit, ...]

    @property
    def largest_matched_rate_gap(self) -> float | None:
        gaps = [a.matched_rate_gap for a in self.attributes if a.matched_rate_gap is not None]
        return max(gaps) if gaps else None


def audit_fairness(
    groups_of: Mapping[str, Mapping[str, str]],
    score_of: Mapping[str, float],
    mentees: Sequence[str],
    min_group_size: int = 5,
) -> FairnessAudit:
    """Audit over ``mentees``; ``score_of`` holds the score of every matched mentee."""
    threshold = max(min_group_size, MIN_GROUP_FLOOR)
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for mentee in mentees:
        for attribute, value in groups_of.get(mentee, {}).items():
            members[attribute][value].append(mentee)
    attributes: list[AttributeAudit] = []
    for attribute in sorted(members):
        figures: list[GroupFigures] = []
        for value in sorted(members[attribute]):
            people = members[attribute][value]
            if len(people) < threshold:
                figures.append(GroupFigures(value, len(people), None, None, None, True))
                continue
            scores = [score_of[p] for p in people if p in score_of]
            figures.append(
                GroupFigures(
                    value=value,
                    people=len(people),
                    matched=len(scores),
                    matched_rate=round(len(scores) / len(people), 4),
                    mean_score=round(sum(scores) / len(scores), 4) if scores else None,
                    suppressed=False,
                )
            )
        shown = [f for f in figures if not f.suppressed]
        rates = [f.matched_rate for f in shown if f.matched_rate is not None]
        means = [f.mean_score for f in shown if f.mean_score is not None]
        lowest = min(shown, key=lambda f: f.matched_rate or 0.0).value if len(shown) > 1 else None
        attributes.append(
            AttributeAudit(
                attribute=attribute,
                groups=tuple(figures),
                matched_rate_gap=round(max(rates) - min(rates), 4) if len(rates) > 1 else None,
                mean_score_gap=round(max(means) - min(means), 4) if len(means) > 1 else None,
                lowest_matched_rate=lowest,
            )
        )
    return FairnessAudit(min_group_size=threshold, attributes=tuple(attributes))
