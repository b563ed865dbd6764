"""Hard rules: which mentee–mentor pairs may never be proposed, vectorised over blocks.

A pair is excluded when any of these holds:

- ``same_reporting_line``: either person is in the other's management chain, or they share a
  direct manager (and a person never mentors themselves);
- ``no_common_language``: both list languages and none is shared;
- ``too_few_shared_hours``: their UTC working windows overlap by fewer than ``min_overlap_hours``;
- ``level``: ``mentor_above`` needs the mentor at least ``min_level_gap`` (default 1) levels
  above the mentee,
  ``mentor_not_below`` at the same level or above (mirrored for reverse mentoring);
- ``forbidden``: the pair is listed in ``forbidden``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.features import FeatureSpace
from impactcircle.engine.matching.problem import Problem, Rules

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _pair_keys(problem: Problem, rows: IntArray, cols: IntArray) -> IntArray:
    return np.unique(rows * len(problem.mentors) + cols)


def _same_manager(mentee_codes: IntArray, mentor_codes: IntArray) -> tuple[IntArray, IntArray]:
    """All (mentee, mentor) index pairs with equal codes (a sort-merge join)."""
    order = np.argsort(mentor_codes, kind="stable")
    ordered = mentor_codes[order]
    low = np.searchsorted(ordered, mentee_codes, side="left")
    high = np.searchsorted(ordered, mentee_codes, side="right")
    counts = high - low
    rows = np.repeat(np.arange(len(mentee_codes), dtype=np.int64), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return rows, order[np.repeat(low, counts) + offsets].astype(np.int64)


def reporting_line_pairs(problem: Problem) -> tuple[IntArray, IntArray]:
    """Index pairs excluded by the reporting-line rule (and self-pairs), in O(people × depth)."""
    mentee_index = {p.id: i for i, p in enumerate(problem.mentees)}
    mentor_index = {p.id: j for j, p in enumerate(problem.mentors)}
    pairs = [(i, mentor_index[p.id]) for i, p in enumerate(problem.mentees) if p.id in mentor_index]
    if problem.rules.exclude_same_reporting_line:
        pairs += [
            (mentee_index[manager], j)
            for j, mentor in enumerate(problem.mentors)
            for manager in mentor.chain
            if manager in mentee_index
        ]
        pairs += [
            (i, mentor_index[manager])
            for i, mentee in enumerate(problem.mentees)
            for manager in mentee.chain
            if manager in mentor_index
        ]
    listed = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    if not problem.rules.exclude_same_reporting_line:
        return listed[:, 0], listed[:, 1]
    codes: dict[str, int] = {}
    mentee_codes = np.array(
        [codes.setdefault(p.chain[0], len(codes)) if p.chain else -1 for p in problem.mentees],
        dtype=np.int64,
    )
    mentor_codes = np.array(
        [codes.setdefault(p.chain[0], len(codes)) if p.chain else -2 for p in problem.mentors],
        dtype=np.int64,
    )
    rows, cols = _same_manager(mentee_codes, mentor_codes)
    return np.concatenate([listed[:, 0], rows]), np.concatenate([listed[:, 1], cols])


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The hard rules of one problem, ready to mask score blocks or check pairs."""

    rules: Rules
    features: FeatureSpace
    excluded_keys: IntArray
    forbidden_keys: IntArray

    @classmethod
    def build(cls, problem: Problem, features: FeatureSpace) -> RuleSet:
        mentee_index = {p.id: i for i, p in enumerate(problem.mentees)}
        mentor_index = {p.id: j for j, p in enumerate(problem.mentors)}
        forbidden_rows = np.array([mentee_index[e] for e, _ in problem.forbidden], dtype=np.int64)
        forbidden_cols = np.array([mentor_index[m] for _, m in problem.forbidden], dtype=np.int64)
        forbidden_keys = _pair_keys(problem, forbidden_rows, forbidden_cols)
        line_keys = _pair_keys(problem, *reporting_line_pairs(problem))
        return cls(
            rules=problem.rules,
            features=features,
            excluded_keys=np.union1d(line_keys, forbidden_keys),
            forbidden_keys=forbidden_keys,
        )

    @property
    def _sign(self) -> int:
        return -1 if self.rules.reverse else 1

    def _level_ok(self, gap: IntArray) -> BoolArray:
        if self.rules.level_rule == "mentor_above":
            return gap >= self.rules.min_level_gap
        if self.rules.level_rule == "mentor_not_below":
            return gap >= 0
        return np.ones(gap.shape, dtype=np.bool_)

    def mask_rows(self, scores: npt.NDArray[np.float32], rows: IntArray) -> None:
        """Set the scores of pairs excluded by a sparse rule to ``-inf``, in place.

        The sparse rules are the reporting line, self-pairs and forbidden pairs; the others are
        already penalty columns of the features. ``rows`` must be sorted; ``scores`` has one
        row per entry of ``rows`` and one column per mentor.
        """
        fs = self.features
        n = fs.n_mentors
        if len(rows) == 0:
            return
        low, high = np.searchsorted(self.excluded_keys, [rows[0] * n, (rows[-1] + 1) * n])
        keys = self.excluded_keys[low:high]
        owners = keys // n
        position = np.searchsorted(rows, owners)
        hit = rows[np.minimum(position, len(rows) - 1)] == owners
        scores[position[hit], keys[hit] % n] = -np.inf

    def violations(self, mentees: IntArray, mentors: IntArray) -> dict[str, BoolArray]:
        """For each rule, which of the given pairs break it."""
        fs = self.features
        n = fs.n_mentors
        out: dict[str, BoolArray] = {}
        keys = mentees * n + mentors
        out["forbidden"] = np.isin(keys, self.forbidden_keys)
        out["same_reporting_line"] = np.isin(keys, self.excluded_keys) & ~out["forbidden"]
        a, b = fs.mentee_languages[mentees], fs.mentor_languages[mentors]
        out["no_common_language"] = (
            ((a & b) == 0) & (a != 0) & (b != 0)
            if self.rules.require_common_language
            else np.zeros(len(mentees), dtype=np.bool_)
        )
        shared = np.bitwise_count(fs.mentee_hours[mentees] & fs.mentor_hours[mentors])
        out["too_few_shared_hours"] = shared < self.rules.min_overlap_hours
        gap = self._sign * (fs.mentor_levels[mentors] - fs.mentee_levels[mentees])
        out["level"] = ~self._level_ok(gap)
        return out

    def feasible(self, mentees: IntArray, mentors: IntArray) -> BoolArray:
        bad = np.zeros(len(mentees), dtype=np.bool_)
        for broken in self.violations(mentees, mentors).values():
            bad |= broken
        return ~bad
