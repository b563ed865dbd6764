"""Plain-word explanations: the factors that earned a pair its points, largest first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.features import hour_mask
from impactcircle.engine.matching.problem import FACTORS, Person
from impactcircle.engine.matching.result import Reason

MIN_POINTS = 0.005
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
PROFICIENCY_WORDS = {
    5: "is an expert",
    4: "is advanced",
    3: "is proficient",
    2: "has working knowledge",
    1: "knows the basics",
}


def _listing(words: Iterable[str], most: int = 3) -> str:
    items = sorted(words)
    if len(items) > most:
        shown = items[:most]
        return f"{', '.join(shown)} and {len(items) - most} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _count(number: int, noun: str) -> str:
    word = NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)
    return f"{word} {noun}{'' if number == 1 else 's'}"


def _sentence(factor: str, mentee: Person, mentor: Person, reverse: bool, similarity: float) -> str:
    a, b = mentee.display_name, mentor.display_name
    if factor == "values":
        return f"both value {_listing(mentee.values & mentor.values)}"
    if factor == "causes":
        return f"both work on {_listing(mentee.causes & mentor.causes)}"
    if factor == "skills":
        covered = sorted(
            (s for s in mentee.goal_skills if mentor.skills.get(s, 0) > 0),
            key=lambda s: (-mentor.skills[s], s),
        )
        top = covered[0]
        words = PROFICIENCY_WORDS.get(min(max(mentor.skills[top], 1), 5), "knows it")
        more = f" (and {_count(len(covered) - 1, 'more goal skill')})" if len(covered) > 1 else ""
        return f"{a} wants to grow in {top}; {b} {words}{more}"
    if factor == "meaning":
        return f"their goals and expertise are close in meaning (similarity {similarity:.2f})"
    if factor == "hours":
        shared = (hour_mask(mentee.hours) & hour_mask(mentor.hours)).bit_count()
        return f"{shared} shared working hour{'' if shared == 1 else 's'}"
    if factor == "language":
        return f"{b} speaks {a}'s first language, {mentee.languages[0]}"
    gap = mentor.level - mentee.level
    if gap == 0:
        return f"{b} and {a} are at the same level"
    side = "above" if gap > 0 else "below"
    suffix = " (reverse mentoring)" if reverse else ""
    return f"{b} is {_count(abs(gap), 'level')} {side} {a}{suffix}"


def explain_pair(
    mentee: Person,
    mentor: Person,
    contributions: npt.NDArray[np.float64],
    reverse: bool = False,
    meaning_weight: float = 0.0,
    limit: int = 3,
) -> tuple[Reason, ...]:
    """The ``limit`` largest contributing factors of one pair (points > 0 only)."""
    return explain_pairs(
        [mentee], [mentor], contributions[None, :], reverse, meaning_weight, limit
    )[0]


def explain_pairs(
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    contributions: npt.NDArray[np.float64],
    reverse: bool = False,
    meaning_weight: float = 0.0,
    limit: int = 3,
) -> list[tuple[Reason, ...]]:
    """Explanations of many pairs at once (one row of ``contributions`` per pair)."""
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :limit]
    points = np.take_along_axis(contributions, order, axis=1)
    out: list[tuple[Reason, ...]] = []
    for mentee, mentor, columns, values in zip(
        mentees, mentors, order.tolist(), points.tolist(), strict=True
    ):
        reasons = []
        for column, value in zip(columns, values, strict=True):
            if value < MIN_POINTS:
                break
            factor = FACTORS[column]
            similarity = value / meaning_weight if meaning_weight else 0.0
            text = _sentence(factor, mentee, mentor, reverse, similarity)
            reasons.append(Reason(factor=factor, points=round(value, 2), text=text))
        out.append(tuple(reasons))
    return out


def explain_given_score(score: float) -> tuple[Reason, ...]:
    if score <= 0:
        return ()
    return (Reason(factor="given_score", points=round(score, 4), text="score given in the input"),)
