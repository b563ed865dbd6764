"""One entry point: validate, build features and candidates, run the solver, explain, audit."""

from __future__ import annotations

from time import perf_counter

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.audit import audit_fairness
from impactcircle.engine.matching.candidates import (
    EXACT_LIMIT,
    CandidateGraph,
    best_reduced_scores,
    listed_candidates,
    profile_candidates,
)
from impactcircle.engine.matching.circles import solve_circles
from impactcircle.engine.matching.explanation import explain_given_score, explain_pairs
from impactcircle.engine.matching.features import build_features
from impactcircle.engine.matching.greedy import solve_greedy
from impactcircle.engine.matching.optimal import solve_optimal
from impactcircle.engine.matching.problem import Mode, Problem, ProblemError
from impactcircle.engine.matching.result import (
    UNMATCHED_REASONS,
    Assignment,
    Circle,
    MatchResult,
    Reason,
    Unmatched,
)
from impactcircle.engine.matching.rules import RuleSet
from impactcircle.engine.matching.stable import solve_stable
from impactcircle.engine.matching.validation import check_problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _index_lists(
    problem: Problem, mentee_index: dict[str, int], mentor_index: dict[str, int]
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    mentee_lists: dict[int, list[int]] = {}
    mentor_lists: dict[int, list[int]] = {}
    for person, ranking in (problem.preferences or {}).items():
        if person in mentee_index:
            mentee_lists[mentee_index[person]] = [mentor_index[m] for m in ranking]
        else:
            mentor_lists[mentor_index[person]] = [mentee_index[e] for e in ranking]
    return mentee_lists, mentor_lists


def unmatched_reasons(
    graph: CandidateGraph, full: npt.NDArray[np.bool_], dissolved: npt.NDArray[np.bool_]
) -> list[str]:
    """The reason code of every mentee, as if unmatched (vectorised over the edges)."""
    offsets = graph.offsets()
    counts = np.diff(offsets)
    starts = np.minimum(offsets[:-1], max(graph.n_edges - 1, 0))
    any_dissolved = np.zeros(graph.n_mentees, dtype=np.bool_)
    all_full = np.zeros(graph.n_mentees, dtype=np.bool_)
    if graph.n_edges:
        any_dissolved = np.logical_or.reduceat(dissolved[graph.mentor], starts)
        all_full = np.logical_and.reduceat(full[graph.mentor], starts)
    codes = np.where(
        counts == 0,
        "no_feasible_mentor",
        np.where(
            any_dissolved,
            "circle_dissolved",
            np.where(all_full, "capacity_exhausted", "not_selected"),
        ),
    )
    return [str(code) for code in codes.tolist()]


def solve(
    problem: Problem,
    mode: Mode | None = None,
    *,
    k: int | None = None,
    exact_limit: int = EXACT_LIMIT,
    explain: bool = True,
    min_group_size: int = 5,
    pricing_rounds: int = 2,
) -> MatchResult:
    """Solve ``problem`` in ``mode`` (default: the problem's own mode).

    ``k`` candidate mentors per mentee (default: the problem's); pools up to ``exact_limit``
    pairs get exact candidates; ``pricing_rounds`` exact passes (``optimal`` only) add missing
    pairs that would improve the result and certify the bound over all feasible pairs.
    """
    mode = mode or problem.mode
    check_problem(problem, mode)
    timings: dict[str, float] = {}
    started = perf_counter()
    features = rules = None
    if problem.uses_profiles:
        features = build_features(problem)
        rules = RuleSet.build(problem, features)
        timings["features"] = perf_counter() - started
        graph = profile_candidates(problem, features, rules, k, exact_limit)
    else:
        graph = listed_candidates(problem)
    timings["candidates"] = perf_counter() - started - timings.get("features", 0.0)

    mentee_index = {p.id: i for i, p in enumerate(problem.mentees)}
    mentor_index = {p.id: j for j, p in enumerate(problem.mentors)}
    lock_i = np.array([mentee_index[e] for e, _ in problem.locked], dtype=np.int64)
    lock_j = np.array([mentor_index[m] for _, m in problem.locked], dtype=np.int64)
    if features is not None and rules is not None:
        for rule, broken in rules.violations(lock_i, lock_j).items():
            if broken.any():
                pair = problem.locked[int(np.flatnonzero(broken)[0])]
                raise ProblemError(f"locked pair {list(pair)} breaks the rule {rule!r}")
        lock_scores = features.pair_scores(lock_i, lock_j)
    else:
        given = {(e, m): s for e, m, s in problem.pair_scores or ()}
        lock_scores = np.array([given[pair] for pair in problem.locked], dtype=np.float64)
    locked_load = np.bincount(lock_j, minlength=len(problem.mentors)).astype(np.int64)
    capacity = np.array([p.capacity for p in problem.mentors], dtype=np.int64) - locked_load
    active = np.ones(len(problem.mentees), dtype=np.bool_)
    active[lock_i] = False

    solve_started = perf_counter()
    dissolved = np.zeros(len(problem.mentors), dtype=np.bool_)
    if mode == "optimal":
        pricing = None
        if features is not None and rules is not None and graph.exact and pricing_rounds > 0:
            fs, rs = features, rules

            def pricing(prices: FloatArray, margin: FloatArray) -> tuple[FloatArray, IntArray]:
                # A pair left out of the candidates scores at most its mentee's tail, so only
                # mentees whose tail beats their margin, against mentors priced below the
                # largest such excess, can hold a better pair; the rest are proven already.
                excess = np.where(active & graph.has_feasible, graph.tail - margin, -np.inf)
                rows = np.flatnonzero(excess > 0)
                if not len(rows):
                    return np.full(len(margin), -np.inf), np.full(len(margin), -1)
                cols = np.flatnonzero(prices < excess[rows].max())
                return best_reduced_scores(fs, rs, prices, rows, cols)

        mentor_of, certificate = solve_optimal(
            graph, capacity, active, problem.maximize_matches, pricing, pricing_rounds
        )
    elif mode == "stable":
        mentee_lists, mentor_lists = _index_lists(problem, mentee_index, mentor_index)
        mentor_of, certificate = solve_stable(graph, capacity, active, mentee_lists, mentor_lists)
    elif mode == "greedy":
        mentor_of, certificate = solve_greedy(graph, capacity, active)
    elif mode == "circles":
        profiles = features.mentee_profiles() if features is not None else None
        mentor_of, certificate = solve_circles(
            graph, active, problem.circles, locked_load, profiles
        )
        gone = np.array(certificate.pop("dissolved"), dtype=np.int64)
        dissolved[gone] = True
        certificate["dissolved_circles"] = [problem.mentors[j].id for j in gone.tolist()]
        capacity = np.where(dissolved, 0, problem.circles.max_size - locked_load)
    else:
        raise ProblemError(f"mode {mode!r} is not supported")
    timings["solve"] = perf_counter() - solve_started

    explain_started = perf_counter()
    solved_i = np.flatnonzero(mentor_of >= 0)
    solved_j = mentor_of[solved_i]
    solved_scores = (
        features.pair_scores(solved_i, solved_j)
        if features is not None
        else graph.score_of(solved_i, solved_j)
    )
    all_i = np.concatenate([lock_i, solved_i])
    all_j = np.concatenate([lock_j, solved_j])
    all_scores = np.concatenate([lock_scores, solved_scores])
    is_locked = np.r_[np.ones(len(lock_i), dtype=np.bool_), np.zeros(len(solved_i), np.bool_)]
    contributions = (
        features.contributions(all_i, all_j) if features is not None and explain else None
    )
    assignments: list[Assignment] = []
    explained: list[tuple[Reason, ...]] | None = None
    if contributions is not None and features is not None:
        explained = explain_pairs(
            [problem.mentees[i] for i in all_i.tolist()],
            [problem.mentors[j] for j in all_j.tolist()],
            contributions,
            reverse=problem.rules.reverse,
            meaning_weight=features.meaning_weight,
        )
    for row, (i, j) in enumerate(zip(all_i.tolist(), all_j.tolist(), strict=True)):
        score = float(all_scores[row])
        reasons: tuple[Reason, ...] = ()
        if explained is not None:
            reasons = explained[row]
        elif explain:
            reasons = explain_given_score(score)
        assignments.append(
            Assignment(
                mentee=problem.mentees[i].id,
                mentor=problem.mentors[j].id,
                score=round(score, 4),
                locked=bool(is_locked[row]),
                explanation=reasons,
            )
        )
    load = np.bincount(mentor_of[solved_i], minlength=len(problem.mentors)) + locked_load
    full = load - locked_load >= capacity
    reasons_of = unmatched_reasons(graph, full, dissolved)
    unmatched = []
    for i in np.flatnonzero((mentor_of < 0) & active).tolist():
        reason = reasons_of[i]
        unmatched.append(Unmatched(problem.mentees[i].id, reason, UNMATCHED_REASONS[reason]))
    total = float(sum(a.score for a in assignments))
    locked_total = float(lock_scores.sum())
    candidate_bound = certificate.get("upper_bound")
    if mode == "optimal" and isinstance(candidate_bound, float):
        bound = candidate_bound + locked_total
        certificate["upper_bound"] = round(bound, 4)
        certificate["gap"] = round(max(bound - total, 0.0), 4)
        certificate["quality_lower_bound"] = round(min(total / bound, 1.0), 6) if bound else 1.0
    circles = tuple(
        Circle(
            mentor=problem.mentors[j].id,
            members=tuple(problem.mentees[i].id for i in all_i[all_j == j].tolist()),
        )
        for j in np.unique(all_j).tolist()
    )
    audit = audit_fairness(
        {p.id: p.groups for p in problem.mentees if p.groups},
        {a.mentee: a.score for a in assignments},
        [p.id for p in problem.mentees],
        min_group_size=min_group_size,
    )
    timings["explain"] = perf_counter() - explain_started
    timings["total"] = perf_counter() - started
    return MatchResult(
        mode=mode,
        assignments=tuple(sorted(assignments, key=lambda a: a.mentee)),
        unmatched=tuple(sorted(unmatched, key=lambda u: u.mentee)),
        total_score=round(total, 4),
        certificate=certificate,
        mentor_load={problem.mentors[j].id: int(n) for j, n in enumerate(load.tolist()) if n},
        circles=circles if mode == "circles" else (),
        audit=audit,
        timings={name: round(value, 4) for name, value in timings.items()},
    )
