"""Fairness audit: matched rate and mean score per value of each mentee group attribute.

No group under ``min_group_size`` people (the house anonymity threshold, passed in by the caller
from its settings; 5 by default, never below 3) is labelled or counted. Small groups are folded
into "Other" together with the next-smallest groups until "Other" itself holds at least the
threshold (complementary suppression, the rule of ``impactcircle.core.anonymity``), so no folded
group can be recovered from the shown figures; when the attribute's people together are fewer
than the threshold, nothing is shown for it. Figures of "Other" are shown (it is large enough);
gaps are measured between labelled groups only.

The engine is pure and may not import ``core``; this is the same rule as
``core.anonymity.folded_groups``, and a test holds the two to the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_GROUP_FLOOR = 3
OTHER = "Other"


@dataclass(frozen=True, slots=True)
class GroupFigures:
    value: str
    people: int
    matched: int
    matched_rate: float
    mean_score: float | None


@dataclass(frozen=True, slots=True)
class AttributeAudit:
    attribute: str
    groups: tuple[GroupFigures, ...]  # labelled groups, then "Other" when anything was folded
    is_suppressed: bool  # fewer people than the threshold: nothing shown
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


def fold_small_groups(sizes: Mapping[str, int], threshold: int) -> frozenset[str] | None:
    """The group values folded into "Other", or None when all of them together are fewer than
    ``threshold``: every group of 1..threshold-1, then the next-smallest (ties by value) until
    the folded groups hold at least ``threshold`` together; then the empty groups too."""
    total = sum(sizes.values())
    if 0 < total < threshold:
        return None
    folded = {value for value, size in sizes.items() if 0 < size < threshold}
    rest = sorted((size, value) for value, size in sizes.items() if size and value not in folded)
    while folded and sum(sizes[value] for value in folded) < threshold:
        folded.add(rest.pop(0)[1])
    if folded:
        folded |= {value for value, size in sizes.items() if size == 0}
    return frozenset(folded)


def _figures(value: str, people: Sequence[str], score_of: Mapping[str, float]) -> GroupFigures:
    scores = [score_of[p] for p in people if p in score_of]
    return GroupFigures(
        value=value,
        people=len(people),
        matched=len(scores),
        matched_rate=round(len(scores) / len(people), 4),
        mean_score=round(sum(scores) / len(scores), 4) if scores else None,
    )


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
        by_value = members[attribute]
        folded = fold_small_groups({v: len(people) for v, people in by_value.items()}, threshold)
        if folded is None:
            attributes.append(AttributeAudit(attribute, (), True, None, None, None))
            continue
        labelled = [_figures(v, by_value[v], score_of) for v in sorted(by_value) if v not in folded]
        other = [mentee for value in sorted(folded) for mentee in by_value[value]]
        figures = labelled + ([_figures(OTHER, other, score_of)] if other else [])
        rates = [f.matched_rate for f in labelled]
        means = [f.mean_score for f in labelled if f.mean_score is not None]
        lowest = min(labelled, key=lambda f: f.matched_rate).value if len(labelled) > 1 else None
        attributes.append(
            AttributeAudit(
                attribute=attribute,
                groups=tuple(figures),
                is_suppressed=False,
                matched_rate_gap=round(max(rates) - min(rates), 4) if len(rates) > 1 else None,
                mean_score_gap=round(max(means) - min(means), 4) if len(means) > 1 else None,
                lowest_matched_rate=lowest,
            )
        )
    return FairnessAudit(min_group_size=threshold, attributes=tuple(attributes))
