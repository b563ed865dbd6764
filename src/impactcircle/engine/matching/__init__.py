"""Mentor–mentee matching: problem, solvers, explanations, fairness audit and diff.

Typical use from an application::

    problem = Problem(mentees=(...), mentors=(...), weights=Weights(), rules=Rules())
    result = solve(problem, "optimal")
    for assignment in result.assignments: ...
"""

from impactcircle.engine.matching.audit import FairnessAudit, audit_fairness
from impactcircle.engine.matching.diff import ResultDiff, diff_assignments
from impactcircle.engine.matching.jsonformat import problem_from_json, result_to_json
from impactcircle.engine.matching.problem import (
    FACTORS,
    MODES,
    CircleSettings,
    Mode,
    Person,
    Problem,
    ProblemError,
    Rules,
    Weights,
)
from impactcircle.engine.matching.result import (
    Assignment,
    Circle,
    MatchResult,
    Reason,
    Unmatched,
)
from impactcircle.engine.matching.solve import solve

__all__ = [
    "FACTORS",
    "MODES",
    "Assignment",
    "Circle",
    "CircleSettings",
    "FairnessAudit",
    "MatchResult",
    "Mode",
    "Person",
    "Problem",
    "ProblemError",
    "Reason",
    "ResultDiff",
    "Rules",
    "Unmatched",
    "Weights",
    "audit_fairness",
    "diff_assignments",
    "problem_from_json",
    "result_to_json",
    "solve",
]
