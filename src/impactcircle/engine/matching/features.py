"""Per-person feature vectors whose inner products make up the compatibility score.

Every factor but ``meaning`` is exactly an inner product of a mentee vector and a mentor vector,
already multiplied by its weight, so a whole block of pair scores is one matrix product:

- ``values`` / ``causes``: share of the mentee's values (cause areas) the mentor shares.
  Mentee vector: one-hot / count; mentor vector: one-hot.
- ``skills``: how well the mentor covers the mentee's goal skills, proficiency 1..5 counting
  as 0.2..1.0. Mentee: one-hot of goal skills / count; mentor: proficiency / 5.
- ``hours``: share of the mentee's UTC working hours the mentor also works.
  Mentee: 24-hour mask / hours; mentor: 24-hour mask.
- ``language``: 1 when the mentor speaks the mentee's first language.
- ``level``: a table of the level gap (mentor above the mentee, or below for reverse mentoring):
  gap 1–2 → 1.0, 3 → 0.6, 4+ → 0.3, 0 → 0.2, wrong side → 0.
  Mentee: the table row of their level; mentor: one-hot of their level.

``meaning`` is the cosine of the mentee's goal embedding and the mentor's expertise embedding,
negative values counted as 0, computed by a second matrix product and clipped.

The hard rules on languages, working hours and levels are folded into the same product as
penalty columns: a mentee row holds ``-PENALTY`` for every kind of mentor (language set, hour
mask, level) it may not meet, the mentor row is a one-hot of its kind. A pair that breaks one
of these rules therefore scores below ``INFEASIBLE`` and no mask pass over the block is needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.problem import (
    FACTORS,
    Person,
    Problem,
    ProblemError,
    Rules,
    Weights,
)

FloatMatrix = npt.NDArray[np.float32]
ALL_HOURS = (1 << 24) - 1
MAX_LANGUAGES = 64
PENALTY = 10_000.0
INFEASIBLE = -PENALTY / 2


def level_factor(gap: int) -> float:
    """The level factor for ``gap`` = levels the mentor is above the mentee (or below, reversed)."""
    if gap in (1, 2):
        return 1.0
    if gap == 3:
        return 0.6
    if gap >= 4:
        return 0.3
    if gap == 0:
        return 0.2
    return 0.0


@lru_cache(maxsize=1024)
def hour_mask(hours: tuple[int, int] | None) -> int:
    """A 24-bit mask of the UTC hours in the window; ``None`` means always available."""
    if hours is None:
        return ALL_HOURS
    start, end = hours[0] % 24, hours[1] % 24
    if start == end:
        return ALL_HOURS if hours[0] != hours[1] else 0
    mask = 0
    hour = start
    while hour != end:
        mask |= 1 << hour
        hour = (hour + 1) % 24
    return mask


def _vocabulary(items: Iterable[Iterable[str]]) -> dict[str, int]:
    words = sorted({word for group in items for word in group})
    return {word: index for index, word in enumerate(words)}


def _share_matrix(
    sets: Sequence[Iterable[str]], vocab: dict[str, int], normalise: bool
) -> FloatMatrix:
    matrix = np.zeros((len(sets), len(vocab)), dtype=np.float32)
    columns = [[vocab[word] for word in group if word in vocab] for group in sets]
    rows = np.repeat(np.arange(len(sets)), [len(c) for c in columns])
    flat = np.fromiter((c for cs in columns for c in cs), dtype=np.int64, count=len(rows))
    if normalise:
        sizes = np.array([max(len(c), 1) for c in columns], dtype=np.float32)
        matrix[rows, flat] = 1.0 / sizes[rows]
    else:
        matrix[rows, flat] = 1.0
    return matrix


def _unit_rows(vectors: list[npt.NDArray[np.float32] | None], dim: int) -> FloatMatrix:
    matrix = np.zeros((len(vectors), dim), dtype=np.float32)
    present = [row for row, vector in enumerate(vectors) if vector is not None]
    if present and dim:
        matrix[present] = np.stack([vectors[row] for row in present])  # type: ignore[misc]  # None filtered out above
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


@dataclass(frozen=True, slots=True)
class FeatureSpace:
    """Weighted feature matrices plus the compact arrays the hard rules need."""

    mentee_linear: FloatMatrix
    mentor_linear: FloatMatrix
    mentee_goal: FloatMatrix
    mentor_expertise: FloatMatrix
    meaning_weight: float
    factor_slices: dict[str, slice]
    mentee_languages: npt.NDArray[np.uint64]
    mentor_languages: npt.NDArray[np.uint64]
    mentee_hours: npt.NDArray[np.uint32]
    mentor_hours: npt.NDArray[np.uint32]
    mentee_levels: npt.NDArray[np.int64]
    mentor_levels: npt.NDArray[np.int64]

    @property
    def n_mentees(self) -> int:
        return int(self.mentee_linear.shape[0])

    @property
    def n_mentors(self) -> int:
        return int(self.mentor_linear.shape[0])

    def score_rows(self, rows: npt.NDArray[np.int64]) -> FloatMatrix:
        """Exact scores of the given mentees against every mentor.

        Pairs that break the language, hours or level rule score below ``INFEASIBLE``; the
        sparse rules (reporting line, forbidden pairs) are applied by ``RuleSet.mask_rows``.
        """
        return self.score_pairs(rows, slice(None))

    def score_pairs(
        self, rows: npt.NDArray[np.int64] | slice, cols: npt.NDArray[np.int64] | slice
    ) -> FloatMatrix:
        """Dense block of exact scores for mentees ``rows`` × mentors ``cols``."""
        scores = self.mentee_linear[rows] @ self.mentor_linear[cols].T
        if self.meaning_weight and self.mentee_goal.shape[1]:
            cosine = self.mentee_goal[rows] @ self.mentor_expertise[cols].T
            np.maximum(cosine, 0.0, out=cosine)
            scores += np.float32(self.meaning_weight) * cosine
        return scores.astype(np.float32, copy=False)

    def score_mentors(self, cols: npt.NDArray[np.int64]) -> FloatMatrix:
        """Exact scores of the given mentors (rows) against every mentee (columns)."""
        scores = self.mentor_linear[cols] @ self.mentee_linear.T
        if self.meaning_weight and self.mentee_goal.shape[1]:
            cosine = self.mentor_expertise[cols] @ self.mentee_goal.T
            np.maximum(cosine, 0.0, out=cosine)
            scores += np.float32(self.meaning_weight) * cosine
        return scores.astype(np.float32, copy=False)

    def mentee_profiles(self) -> FloatMatrix:
        """Unit vectors describing each mentee (goal embedding and weighted linear features)."""
        linear = self.mentee_linear / np.maximum(
            np.linalg.norm(self.mentee_linear, axis=1, keepdims=True), 1e-12
        )
        profiles = np.hstack([self.mentee_goal, linear]).astype(np.float32)
        norms = np.linalg.norm(profiles, axis=1, keepdims=True)
        np.divide(profiles, norms, out=profiles, where=norms > 0)
        return profiles

    def contributions(
        self, mentees: npt.NDArray[np.int64], mentors: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """Points per factor (columns in ``FACTORS`` order) for the pairs given by index."""
        out = np.zeros((len(mentees), len(FACTORS)), dtype=np.float64)
        chunk = 65536
        for begin in range(0, len(mentees), chunk):
            rows = mentees[begin : begin + chunk]
            cols = mentors[begin : begin + chunk]
            for column, name in enumerate(FACTORS):
                if name == "meaning":
                    cosine = np.einsum(
                        "ij,ij->i", self.mentee_goal[rows], self.mentor_expertise[cols]
                    )
                    values = self.meaning_weight * np.maximum(cosine, 0.0)
                else:
                    part = self.factor_slices[name]
                    values = np.einsum(
                        "ij,ij->i",
                        self.mentee_linear[rows, part],
                        self.mentor_linear[cols, part],
                    )
                out[begin : begin + len(rows), column] = values
        return out

    def pair_scores(
        self, mentees: npt.NDArray[np.int64], mentors: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        return np.asarray(self.contributions(mentees, mentors).sum(axis=1), dtype=np.float64)


def _language_bits(people: Sequence[Person], vocab: dict[str, int]) -> npt.NDArray[np.uint64]:
    bits = np.zeros(len(people), dtype=np.uint64)
    for row, person in enumerate(people):
        value = 0
        for language in person.languages:
            value |= 1 << vocab[language]
        bits[row] = value
    return bits


def rule_penalties(
    rules: Rules,
    mentee_languages: npt.NDArray[np.uint64],
    mentor_languages: npt.NDArray[np.uint64],
    mentee_hours: npt.NDArray[np.uint32],
    mentor_hours: npt.NDArray[np.uint32],
    mentee_levels: npt.NDArray[np.int64],
    mentor_levels: npt.NDArray[np.int64],
) -> tuple[FloatMatrix, FloatMatrix]:
    """Penalty columns (mentee side, mentor side) for the language, hours and level rules."""
    mentee_blocks: list[FloatMatrix] = []
    mentor_blocks: list[FloatMatrix] = []
    if rules.require_common_language:
        kinds, kind_of = np.unique(mentor_languages, return_inverse=True)
        a, b = mentee_languages[:, None], kinds[None, :]
        broken = ((a & b) == 0) & (a != 0) & (b != 0)
        mentee_blocks.append(np.where(broken, -PENALTY, 0.0).astype(np.float32))
        mentor_blocks.append(np.eye(len(kinds), dtype=np.float32)[kind_of])
    if rules.min_overlap_hours > 0:
        kinds_h, kind_of_h = np.unique(mentor_hours, return_inverse=True)
        shared = np.bitwise_count(mentee_hours[:, None] & kinds_h[None, :])
        broken_h = shared < rules.min_overlap_hours
        mentee_blocks.append(np.where(broken_h, -PENALTY, 0.0).astype(np.float32))
        mentor_blocks.append(np.eye(len(kinds_h), dtype=np.float32)[kind_of_h])
    if rules.level_rule != "any":
        kinds_l, kind_of_l = np.unique(mentor_levels, return_inverse=True)
        gap = (-1 if rules.reverse else 1) * (kinds_l[None, :] - mentee_levels[:, None])
        least = rules.min_level_gap if rules.level_rule == "mentor_above" else 0
        mentee_blocks.append(np.where(gap < least, -PENALTY, 0.0).astype(np.float32))
        mentor_blocks.append(np.eye(len(kinds_l), dtype=np.float32)[kind_of_l])
    if not mentee_blocks:
        return (
            np.zeros((len(mentee_levels), 0), dtype=np.float32),
            np.zeros((len(mentor_levels), 0), dtype=np.float32),
        )
    return np.hstack(mentee_blocks), np.hstack(mentor_blocks)


def build_features(problem: Problem) -> FeatureSpace:
    """Encode the people of a profile problem; cost is linear in people × vocabulary."""
    mentees, mentors = problem.mentees, problem.mentors
    weights: Weights = problem.weights
    everyone = (*mentees, *mentors)
    languages = _vocabulary(person.languages for person in everyone)
    if len(languages) > MAX_LANGUAGES:
        raise ProblemError(f"at most {MAX_LANGUAGES} distinct languages are supported")
    value_vocab = _vocabulary(person.values for person in everyone)
    cause_vocab = _vocabulary(person.causes for person in everyone)
    skill_vocab = _vocabulary(
        [*(person.goal_skills for person in mentees), *(person.skills for person in mentors)]
    )

    blocks_mentee: list[FloatMatrix] = []
    blocks_mentor: list[FloatMatrix] = []
    slices: dict[str, slice] = {}
    offset = 0

    def add(name: str, mentee_part: FloatMatrix, mentor_part: FloatMatrix) -> None:
        nonlocal offset
        weight = np.float32(getattr(weights, name))
        blocks_mentee.append(mentee_part * weight)
        blocks_mentor.append(mentor_part)
        slices[name] = slice(offset, offset + mentee_part.shape[1])
        offset += mentee_part.shape[1]

    add(
        "values",
        _share_matrix([p.values for p in mentees], value_vocab, normalise=True),
        _share_matrix([p.values for p in mentors], value_vocab, normalise=False),
    )
    add(
        "causes",
        _share_matrix([p.causes for p in mentees], cause_vocab, normalise=True),
        _share_matrix([p.causes for p in mentors], cause_vocab, normalise=False),
    )
    proficiency = np.zeros((len(mentors), len(skill_vocab)), dtype=np.float32)
    for row, person in enumerate(mentors):
        for skill, level in person.skills.items():
            proficiency[row, skill_vocab[skill]] = min(max(level, 0), 5) / 5.0
    add(
        "skills",
        _share_matrix([p.goal_skills for p in mentees], skill_vocab, normalise=True),
        proficiency,
    )

    mentee_hours = np.array([hour_mask(p.hours) for p in mentees], dtype=np.uint32)
    mentor_hours = np.array([hour_mask(p.hours) for p in mentors], dtype=np.uint32)
    hour_bits = np.arange(24, dtype=np.uint32)
    mentee_hour_matrix = ((mentee_hours[:, None] >> hour_bits) & 1).astype(np.float32)
    counts = mentee_hour_matrix.sum(axis=1, keepdims=True)
    mentee_hour_matrix /= np.maximum(counts, 1.0)
    mentor_hour_matrix = ((mentor_hours[:, None] >> hour_bits) & 1).astype(np.float32)
    add("hours", mentee_hour_matrix, mentor_hour_matrix)

    add(
        "language",
        _share_matrix([p.languages[:1] for p in mentees], languages, normalise=False),
        _share_matrix([p.languages for p in mentors], languages, normalise=False),
    )

    mentee_levels = np.array([p.level for p in mentees], dtype=np.int64)
    mentor_levels = np.array([p.level for p in mentors], dtype=np.int64)
    low = int(min(mentee_levels.min(initial=0), mentor_levels.min(initial=0)))
    high = int(max(mentee_levels.max(initial=0), mentor_levels.max(initial=0)))
    span = high - low + 1
    sign = -1 if problem.rules.reverse else 1
    table = np.array(
        [[level_factor(sign * (b - a)) for b in range(span)] for a in range(span)],
        dtype=np.float32,
    )
    mentor_onehot = np.zeros((len(mentors), span), dtype=np.float32)
    mentor_onehot[np.arange(len(mentors)), mentor_levels - low] = 1.0
    add("level", table[mentee_levels - low], mentor_onehot)
    mentee_languages = _language_bits(mentees, languages)
    mentor_languages = _language_bits(mentors, languages)
    penalty_mentee, penalty_mentor = rule_penalties(
        problem.rules,
        mentee_languages,
        mentor_languages,
        mentee_hours,
        mentor_hours,
        mentee_levels,
        mentor_levels,
    )
    blocks_mentee.append(penalty_mentee)
    blocks_mentor.append(penalty_mentor)
    slices["rules"] = slice(offset, offset + penalty_mentee.shape[1])

    dims = {
        len(v)
        for p in everyone
        for v in (p.goal_vector, p.expertise_vector)
        if v is not None and len(v)
    }
    if len(dims) > 1:
        raise ProblemError(f"embeddings have different lengths: {sorted(dims)}")
    dim = dims.pop() if dims else 0
    return FeatureSpace(
        mentee_linear=np.ascontiguousarray(np.hstack(blocks_mentee)),
        mentor_linear=np.ascontiguousarray(np.hstack(blocks_mentor)),
        mentee_goal=_unit_rows([p.goal_vector for p in mentees], dim),
        mentor_expertise=_unit_rows([p.expertise_vector for p in mentors], dim),
        meaning_weight=float(weights.meaning),
        factor_slices=slices,
        mentee_languages=mentee_languages,
        mentor_languages=mentor_languages,
        mentee_hours=mentee_hours,
        mentor_hours=mentor_hours,
        mentee_levels=mentee_levels,
        mentor_levels=mentor_levels,
    )
