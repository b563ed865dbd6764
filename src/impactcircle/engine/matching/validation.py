"""Consistency checks on a problem; every error names the offending entry."""

from __future__ import annotations

import math
from collections import Counter

from impactcircle.engine.matching.problem import MODES, Problem, ProblemError


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(identifier for identifier, seen in Counter(ids).items() if seen > 1)


def check_problem(problem: Problem, mode: str | None = None) -> None:
    """Raise ``ProblemError`` for the first inconsistency (``mode`` overrides the problem's)."""
    mode = mode or problem.mode
    mentee_ids = [p.id for p in problem.mentees]
    mentor_ids = [p.id for p in problem.mentors]
    for side, ids in (("mentee", mentee_ids), ("mentor", mentor_ids)):
        if repeated := _duplicates(ids):
            raise ProblemError(f"{side} id {repeated[0]!r} appears more than once")
    mentees, mentors = set(mentee_ids), set(mentor_ids)
    if mode not in MODES:
        raise ProblemError(f"mode {mode!r} is not one of {', '.join(MODES)}")
    for leader in problem.mentors:
        if leader.capacity < 0:
            raise ProblemError(f"mentor {leader.id!r}: capacity {leader.capacity} is negative")
    for person in (*problem.mentees, *problem.mentors):
        if person.hours is not None and not all(0 <= h <= 24 for h in person.hours):
            raise ProblemError(f"{person.id!r}: working hours must lie within 0..24")
        for skill, level in person.skills.items():
            if not 1 <= level <= 5:
                raise ProblemError(f"{person.id!r}: skill {skill!r} proficiency must be 1..5")
    rules = problem.rules
    if rules.level_rule not in ("mentor_above", "mentor_not_below", "any"):
        raise ProblemError(f"rules: level_rule {rules.level_rule!r} is not supported")
    if not 1 <= rules.min_level_gap <= 20:
        raise ProblemError("rules: min_level_gap must be within 1..20")
    if not 0 <= rules.min_overlap_hours <= 24:
        raise ProblemError("rules: min_overlap_hours must be within 0..24")
    for factor, weight in problem.weights.as_dict().items():
        if not math.isfinite(weight) or weight < 0:
            raise ProblemError(f"weights: {factor} must be a non-negative number")
    if problem.candidates_per_mentee < 1:
        raise ProblemError("candidates_per_mentee must be at least 1")
    circles = problem.circles
    if mode == "circles" and not 1 <= circles.min_size <= circles.max_size:
        raise ProblemError("circles: need 1 <= min_size <= max_size")
    if not 0 <= circles.theme_weight <= 1:
        raise ProblemError("circles: theme_weight must be within 0..1")

    def known(kind: str, pair: tuple[str, str]) -> None:
        mentee, mentor = pair
        if mentee not in mentees:
            raise ProblemError(f"{kind} pair {list(pair)}: unknown mentee {mentee!r}")
        if mentor not in mentors:
            raise ProblemError(f"{kind} pair {list(pair)}: unknown mentor {mentor!r}")

    for pair in problem.forbidden:
        known("forbidden", pair)
    forbidden = set(problem.forbidden)
    listed: set[tuple[str, str]] = set()
    if problem.pair_scores is not None:
        for mentee, mentor, score in problem.pair_scores:
            known("pair_scores", (mentee, mentor))
            if not math.isfinite(score):
                raise ProblemError(f"pair_scores {[mentee, mentor]}: score must be finite")
            if (mentee, mentor) in listed:
                raise ProblemError(f"pair_scores {[mentee, mentor]}: listed more than once")
            listed.add((mentee, mentor))
    locked_mentees: set[str] = set()
    load: Counter[str] = Counter()
    capacity = {p.id: p.capacity for p in problem.mentors}
    for pair in problem.locked:
        known("locked", pair)
        mentee, mentor = pair
        if pair in forbidden:
            raise ProblemError(f"locked pair {list(pair)} is also forbidden")
        if mentee in locked_mentees:
            raise ProblemError(f"locked pair {list(pair)}: mentee {mentee!r} is locked twice")
        if problem.pair_scores is not None and pair not in listed:
            raise ProblemError(f"locked pair {list(pair)} is not among pair_scores")
        locked_mentees.add(mentee)
        load[mentor] += 1
        limit = circles.max_size if mode == "circles" else capacity[mentor]
        if load[mentor] > limit:
            raise ProblemError(
                f"locked pair {list(pair)}: mentor {mentor!r} has more locked mentees "
                f"than its capacity {limit}"
            )
    for owner, ranking in (problem.preferences or {}).items():
        if owner in mentees:
            others, side = mentors, "mentor"
        elif owner in mentors:
            others, side = mentees, "mentee"
        else:
            raise ProblemError(f"preferences: unknown owner {owner!r}")
        for other in ranking:
            if other not in others:
                raise ProblemError(f"preferences of {owner!r}: unknown {side} {other!r}")
        if repeated := _duplicates(list(ranking)):
            raise ProblemError(f"preferences of {owner!r}: {repeated[0]!r} listed twice")
