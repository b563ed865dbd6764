"""The matching problem as frozen dataclasses: people, weights, hard rules, locks, modes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

Mode = Literal["optimal", "stable", "greedy", "circles"]
MODES: tuple[Mode, ...] = ("optimal", "stable", "greedy", "circles")
LevelRule = Literal["mentor_above", "mentor_not_below", "any"]
Vector = npt.NDArray[np.float32]


class ProblemError(ValueError):
    """Invalid problem input; the message names the offending entry."""


@dataclass(frozen=True, slots=True)
class Person:
    """A mentee or a mentor as the engine sees them.

    ``hours`` is the working window in UTC as ``(start, end)`` whole hours in 0..24; a window
    with ``end < start`` wraps past midnight. ``chain`` lists the ids of the person's managers,
    direct manager first, up to the top. ``skills`` maps a skill to a proficiency 1..5;
    ``goal_skills`` are the skills a mentee wants to grow. ``languages`` are ordered by
    preference. ``groups`` are attributes used only by the fairness audit.
    """

    id: str
    name: str = ""
    capacity: int = 1
    level: int = 0
    chain: tuple[str, ...] = ()
    department: str = ""
    languages: tuple[str, ...] = ()
    hours: tuple[int, int] | None = None
    values: frozenset[str] = frozenset()
    causes: frozenset[str] = frozenset()
    skills: Mapping[str, int] = field(default_factory=dict)
    goal_skills: frozenset[str] = frozenset()
    goal_vector: Vector | None = None
    expertise_vector: Vector | None = None
    groups: Mapping[str, str] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Weights:
    """Points per factor; the defaults add up to 100, so a perfect pair scores 100."""

    values: float = 15.0
    causes: float = 15.0
    skills: float = 25.0
    meaning: float = 20.0
    hours: float = 10.0
    language: float = 5.0
    level: float = 10.0

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in FACTORS}

    @property
    def total(self) -> float:
        return float(sum(self.as_dict().values()))


FACTORS: tuple[str, ...] = ("values", "causes", "skills", "meaning", "hours", "language", "level")


@dataclass(frozen=True, slots=True)
class Rules:
    """Hard rules: a pair that breaks one is never proposed.

    ``reverse`` is reverse mentoring: the "mentor" is the junior side, so the level rule and the
    level factor are mirrored. With ``mentor_above``, the mentor must be at least
    ``min_level_gap`` levels above the mentee (below, for reverse mentoring).
    """

    exclude_same_reporting_line: bool = True
    require_common_language: bool = True
    min_overlap_hours: int = 1
    level_rule: LevelRule = "mentor_above"
    min_level_gap: int = 1
    reverse: bool = False


@dataclass(frozen=True, slots=True)
class CircleSettings:
    """Group mentoring: every formed circle has between ``min_size`` and ``max_size`` mentees."""

    min_size: int = 3
    max_size: int = 6
    theme_weight: float = 0.25


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything a solver needs.

    Either profiles (``pair_scores is None``: scores come from the factors and rules) or explicit
    ``pair_scores`` as ``(mentee id, mentor id, score)``: then only the listed pairs are allowed
    and ``preferences`` (optional) give each side's ranking for the ``stable`` mode.
    """

    mentees: tuple[Person, ...]
    mentors: tuple[Person, ...]
    weights: Weights = Weights()
    rules: Rules = Rules()
    locked: tuple[tuple[str, str], ...] = ()
    forbidden: tuple[tuple[str, str], ...] = ()
    mode: Mode = "optimal"
    pair_scores: tuple[tuple[str, str, float], ...] | None = None
    preferences: Mapping[str, tuple[str, ...]] | None = None
    circles: CircleSettings = CircleSettings()
    maximize_matches: bool = False
    candidates_per_mentee: int = 25

    @property
    def uses_profiles(self) -> bool:
        return self.pair_scores is None
