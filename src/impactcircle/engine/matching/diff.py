"""What changed between two results (the what-if view): who moved, score deltas, totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["newly_matched", "newly_unmatched", "moved", "rescored"]


@dataclass(frozen=True, slots=True)
class Change:
    mentee: str
    kind: ChangeKind
    mentor_before: str | None
    mentor_after: str | None
    score_before: float | None
    score_after: float | None

    @property
    def score_delta(self) -> float:
        return (self.score_after or 0.0) - (self.score_before or 0.0)


@dataclass(frozen=True, slots=True)
class ResultDiff:
    """`changes`: every mentee whose partner or score moved; `unchanged`: the mentees matched
    to the same mentor in both (their score may have moved: that is listed as "rescored")."""

    changes: tuple[Change, ...]
    unchanged: int
    matched_before: int
    matched_after: int
    total_before: float
    total_after: float

    @property
    def total_delta(self) -> float:
        return self.total_after - self.total_before


def diff_assignments(
    before: Mapping[str, tuple[str, float]], after: Mapping[str, tuple[str, float]]
) -> ResultDiff:
    """Compare two ``{mentee: (mentor, score)}`` maps (scores within 1e-9 count as equal)."""
    changes: list[Change] = []
    unchanged = 0
    for mentee in sorted(set(before) | set(after)):
        old, new = before.get(mentee), after.get(mentee)
        kind: ChangeKind
        if old is None and new is not None:
            kind = "newly_matched"
        elif new is None and old is not None:
            kind = "newly_unmatched"
        elif old is not None and new is not None and old[0] != new[0]:
            kind = "moved"
        else:
            unchanged += 1  # the same mentor: unchanged, whatever the score did
            if old is None or new is None or abs(old[1] - new[1]) <= 1e-9:
                continue
            kind = "rescored"
        changes.append(
            Change(
                mentee=mentee,
                kind=kind,
                mentor_before=old[0] if old else None,
                mentor_after=new[0] if new else None,
                score_before=old[1] if old else None,
                score_after=new[1] if new else None,
            )
        )
    return ResultDiff(
        changes=tuple(changes),
        unchanged=unchanged,
        matched_before=len(before),
        matched_after=len(after),
        total_before=float(sum(score for _, score in before.values())),
        total_after=float(sum(score for _, score in after.values())),
    )
