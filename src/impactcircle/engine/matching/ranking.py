"""Rank every mentor for one mentee by the solvers' own score, with explanations and rules.

Self-selection shows a mentee the mentors they could ask. The ranking uses exactly what
``solve`` uses: the same weighted features (``build_features``), the same hard rules
(``RuleSet``) and the same plain-word explanations (``explain_pairs``), so a recommended
mentor's score is the score a matching run would give that pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from impactcircle.engine.matching.explanation import explain_pairs
from impactcircle.engine.matching.features import build_features
from impactcircle.engine.matching.problem import Problem, ProblemError, Rules
from impactcircle.engine.matching.result import Reason
from impactcircle.engine.matching.rules import RuleSet
from impactcircle.engine.matching.validation import check_problem


@dataclass(frozen=True, slots=True)
class RankedMentor:
    """One mentor as seen by one mentee: score, top factors, the rules kept and broken."""

    mentor: str
    score: float
    explanation: tuple[Reason, ...]
    rules_kept: tuple[str, ...]
    rules_broken: tuple[str, ...]

    @property
    def is_allowed(self) -> bool:
        return not self.rules_broken


def _levels(count: int) -> str:
    return "one level" if count == 1 else f"{count} levels"


def _rule_words(rules: Rules) -> dict[str, tuple[str, str] | None]:
    """For each rule: (kept, broken) sentences, or None when the rule is switched off."""
    hours = rules.min_overlap_hours
    plural = "" if hours == 1 else "s"
    if rules.level_rule == "any":
        level = None
    else:
        direction = "below" if rules.reverse else "above"
        strict = rules.level_rule == "mentor_above"
        kept = (
            f"the mentor is at least {_levels(rules.min_level_gap)} {direction} the mentee"
            if strict
            else f"the mentor is not {'above' if rules.reverse else 'below'} the mentee"
        )
        level = (kept, "the level rule is not met")
    return {
        "self": ("", "nobody mentors themselves"),
        "forbidden": (
            "not forbidden by the programme's managers",
            "the programme's managers ruled this pair out",
        ),
        "same_reporting_line": (
            ("not in the same reporting line", "they are in the same reporting line")
            if rules.exclude_same_reporting_line
            else None
        ),
        "no_common_language": (
            ("they share a language", "they share no language")
            if rules.require_common_language
            else None
        ),
        "too_few_shared_hours": (
            (
                f"at least {hours} shared working hour{plural}",
                f"fewer than {hours} shared working hour{plural}",
            )
            if hours > 0
            else None
        ),
        "level": level,
    }


def rank_mentors(
    problem: Problem, mentee: str, *, include_excluded: bool = False, limit: int = 3
) -> tuple[RankedMentor, ...]:
    """Every mentor of ``problem`` for the mentee with id ``mentee``, best score first.

    Mentors whose pair breaks a hard rule are left out unless ``include_excluded``; then they
    come after the allowed ones. ``limit`` is the number of factors in each explanation. The
    problem must describe people by profile (no given ``pair_scores``).
    """
    check_problem(problem)
    if not problem.uses_profiles:
        raise ProblemError("ranking needs profiles, not given pair scores")
    index = next((i for i, person in enumerate(problem.mentees) if person.id == mentee), None)
    if index is None:
        raise ProblemError(f"unknown mentee {mentee!r}")
    if not problem.mentors:
        return ()
    features = build_features(problem)
    rules = RuleSet.build(problem, features)
    cols = np.arange(len(problem.mentors), dtype=np.int64)
    rows = np.full(len(cols), index, dtype=np.int64)
    contributions = features.contributions(rows, cols)
    scores = contributions.sum(axis=1)
    violations = rules.violations(rows, cols)
    violations["self"] = np.array([person.id == mentee for person in problem.mentors])
    explanations = explain_pairs(
        [problem.mentees[index]] * len(cols),
        list(problem.mentors),
        contributions,
        reverse=problem.rules.reverse,
        meaning_weight=features.meaning_weight,
        limit=limit,
    )
    words = _rule_words(problem.rules)
    ranked: list[RankedMentor] = []
    for column, mentor in enumerate(problem.mentors):
        kept: list[str] = []
        broken: list[str] = []
        for rule, sentences in words.items():
            if bool(violations[rule][column]):
                broken.append(sentences[1] if sentences else rule.replace("_", " "))
            elif sentences is not None and rule not in {"self", "forbidden"}:
                kept.append(sentences[0])
        if broken and not include_excluded:
            continue
        ranked.append(
            RankedMentor(
                mentor=mentor.id,
                score=round(float(scores[column]), 4),
                explanation=explanations[column],
                rules_kept=tuple(kept),
                rules_broken=tuple(broken),
            )
        )
    ranked.sort(key=lambda item: (bool(item.rules_broken), -item.score, item.mentor))
    return tuple(ranked)
