"""What every solver returns: assignments with explanations, unmatched people, totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from impactcircle.engine.matching.audit import FairnessAudit
from impactcircle.engine.matching.problem import Mode

UNMATCHED_REASONS: Mapping[str, str] = {
    "no_feasible_mentor": "no mentor is compatible under the rules",
    "capacity_exhausted": "every compatible mentor is already at capacity",
    "not_selected": "a compatible mentor had room, but this pair did not improve the result",
    "circle_dissolved": "their circle could not reach its minimum size and was dissolved",
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One factor of a score: its points and a sentence in plain words."""

    factor: str
    points: float
    text: str


@dataclass(frozen=True, slots=True)
class Assignment:
    mentee: str
    mentor: str
    score: float
    locked: bool = False
    explanation: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Unmatched:
    mentee: str
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Circle:
    mentor: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    mode: Mode
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    certificate: Mapping[str, object]
    mentor_load: Mapping[str, int] = field(default_factory=dict)
    circles: tuple[Circle, ...] = ()
    audit: FairnessAudit | None = None
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def matched(self) -> int:
        return len(self.assignments)

    def mentor_of(self) -> dict[str, str]:
        return {a.mentee: a.mentor for a in self.assignments}
