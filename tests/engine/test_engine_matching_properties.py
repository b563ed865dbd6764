"""Property tests: every solver against brute-force / dense references written here.

The reference scorer and rule checker below re-implement the documented formulas
(docs/matching.md) independently of the engine's vectorised feature matrices.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from impactcircle.engine.matching import (
    CircleSettings,
    Person,
    Problem,
    Rules,
    Weights,
    solve,
)
from impactcircle.engine.matching.features import hour_mask, level_factor

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LANGS = ["en", "fr", "hi"]
WORDS = ["a", "b", "c", "d"]
SKILLS = ["s1", "s2", "s3", "s4"]


# ---------------------------------------------------------------- strategies


@st.composite
def pair_problems(draw: st.DrawFn, with_locks: bool = True) -> Problem:
    n_mentees = draw(st.integers(1, 6))
    n_mentors = draw(st.integers(1, 4))
    mentees = tuple(Person(id=f"e{i}") for i in range(n_mentees))
    mentors = tuple(Person(id=f"m{j}", capacity=draw(st.integers(0, 3))) for j in range(n_mentors))
    pairs = [(e.id, m.id) for e in mentees for m in mentors]
    listed = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    scores = tuple(
        (e, m, draw(st.integers(0, 400)) / 4) for e, m in listed
    )  # quarter points: exact in the solver's 0.01 resolution
    forbidden = tuple(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)))
    locked: list[tuple[str, str]] = []
    if with_locks:
        load: dict[str, int] = {}
        capacity = {m.id: m.capacity for m in mentors}
        for e, m, _ in scores:
            if (e, m) in forbidden or any(e == x for x, _ in locked):
                continue
            if load.get(m, 0) < capacity[m] and draw(st.integers(0, 5)) == 0:
                locked.append((e, m))
                load[m] = load.get(m, 0) + 1
    return Problem(
        mentees=mentees,
        mentors=mentors,
        pair_scores=scores,
        forbidden=forbidden,
        locked=tuple(locked),
    )


@st.composite
def people(draw: st.DrawFn, prefix: str, count: int, mentor: bool) -> tuple[Person, ...]:
    out = []
    for k in range(count):
        has_hours = draw(st.booleans())
        start = draw(st.integers(0, 23))
        vector = draw(
            st.one_of(
                st.none(),
                st.lists(st.integers(-3, 3), min_size=3, max_size=3).filter(any),
            )
        )
        vec = np.array(vector, dtype=np.float32) if vector is not None else None
        out.append(
            Person(
                id=f"{prefix}{k}",
                capacity=draw(st.integers(0, 3)) if mentor else 1,
                level=draw(st.integers(0, 4)),
                chain=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(["boss", "x1", "x2", "e0", "m0"]),
                            unique=True,
                            max_size=2,
                        )
                    )
                ),
                languages=tuple(draw(st.lists(st.sampled_from(LANGS), unique=True, max_size=2))),
                hours=(start, (start + draw(st.integers(1, 12))) % 24) if has_hours else None,
                values=frozenset(draw(st.lists(st.sampled_from(WORDS), max_size=3))),
                causes=frozenset(draw(st.lists(st.sampled_from(WORDS), max_size=2))),
                skills={
                    s: draw(st.integers(1, 5))
                    for s in draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=3))
                }
                if mentor
                else {},
                goal_skills=frozenset(draw(st.lists(st.sampled_from(SKILLS), max_size=2)))
                if not mentor
                else frozenset(),
                goal_vector=None if mentor else vec,
                expertise_vector=vec if mentor else None,
                groups={"region": draw(st.sampled_from(["n", "s"]))},
            )
        )
    return tuple(out)


@st.composite
def profile_problems(draw: st.DrawFn) -> Problem:
    mentees = draw(people("e", draw(st.integers(1, 7)), mentor=False))
    mentors = draw(people("m", draw(st.integers(1, 4)), mentor=True))
    rules = Rules(
        exclude_same_reporting_line=draw(st.booleans()),
        require_common_language=draw(st.booleans()),
        min_overlap_hours=draw(st.integers(0, 3)),
        level_rule=draw(st.sampled_from(["mentor_above", "mentor_not_below", "any"])),
        reverse=draw(st.booleans()),
    )
    pairs = [(e.id, m.id) for e in mentees for m in mentors]
    forbidden = tuple(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2)))
    return Problem(mentees=mentees, mentors=mentors, rules=rules, forbidden=forbidden)


# ------------------------------------------------------------ references


def reference_contributions(problem: Problem, e: Person, m: Person) -> dict[str, float]:
    w: Weights = problem.weights

    def share(mine: frozenset[str], theirs: frozenset[str]) -> float:
        return len(mine & theirs) / len(mine) if mine else 0.0

    goal = (
        sum(m.skills.get(s, 0) / 5 for s in e.goal_skills) / len(e.goal_skills)
        if (e.goal_skills)
        else 0.0
    )
    cosine = 0.0
    if e.goal_vector is not None and m.expertise_vector is not None:
        a, b = e.goal_vector, m.expertise_vector
        cosine = max(0.0, float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)))
    mine = hour_mask(e.hours)
    hours = (mine & hour_mask(m.hours)).bit_count() / max(mine.bit_count(), 1)
    first = e.languages[0] if e.languages else None
    gap = m.level - e.level
    if problem.rules.reverse:
        gap = -gap
    return {
        "values": w.values * share(e.values, m.values),
        "causes": w.causes * share(e.causes, m.causes),
        "skills": w.skills * goal,
        "meaning": w.meaning * cosine,
        "hours": w.hours * hours,
        "language": w.language * float(first is not None and first in m.languages),
        "level": w.level * level_factor(gap),
    }


def reference_feasible(problem: Problem, e: Person, m: Person) -> bool:
    r = problem.rules
    if (e.id, m.id) in problem.forbidden or e.id == m.id:
        return False
    if r.exclude_same_reporting_line and (
        m.id in e.chain or e.id in m.chain or (e.chain and m.chain and e.chain[0] == m.chain[0])
    ):
        return False
    shares_language = bool(set(e.languages) & set(m.languages))
    if r.require_common_language and e.languages and m.languages and not shares_language:
        return False
    if (hour_mask(e.hours) & hour_mask(m.hours)).bit_count() < r.min_overlap_hours:
        return False
    gap = (m.level - e.level) * (-1 if r.reverse else 1)
    if r.level_rule == "mentor_above":
        return gap >= 1
    if r.level_rule == "mentor_not_below":
        return gap >= 0
    return True


def reference_scores(problem: Problem) -> dict[tuple[str, str], float]:
    """Every allowed pair and its score (listed pairs, or feasible profile pairs)."""
    forbidden = set(problem.forbidden)
    if problem.pair_scores is not None:
        return {(e, m): s for e, m, s in problem.pair_scores if (e, m) not in forbidden}
    return {
        (e.id, m.id): sum(reference_contributions(problem, e, m).values())
        for e in problem.mentees
        for m in problem.mentors
        if reference_feasible(problem, e, m)
    }


def dense_optimum(problem: Problem, scores: dict[tuple[str, str], float]) -> float:
    """Max total by linear_sum_assignment on capacity-replicated mentor columns."""
    locked = dict(problem.locked)
    total = sum(scores[pair] for pair in problem.locked)
    capacity = {m.id: m.capacity for m in problem.mentors}
    for mentor in locked.values():
        capacity[mentor] -= 1
    rows = [e.id for e in problem.mentees if e.id not in locked]
    cols = [m for m, c in capacity.items() for _ in range(max(c, 0))]
    if not rows or not cols:
        return total
    matrix = np.zeros((len(rows), len(cols)))
    for r, e in enumerate(rows):
        for c, m in enumerate(cols):
            matrix[r, c] = max(scores.get((e, m), 0.0), 0.0)
    r_ind, c_ind = linear_sum_assignment(matrix, maximize=True)
    return total + float(matrix[r_ind, c_ind].sum())


def check_basic_invariants(problem: Problem, result, allowed: dict) -> None:
    capacity = {m.id: m.capacity for m in problem.mentors}
    load: dict[str, int] = {}
    seen: set[str] = set()
    for a in result.assignments:
        assert a.mentee not in seen
        seen.add(a.mentee)
        assert (a.mentee, a.mentor) in allowed, "pair outside the allowed/feasible set"
        assert (a.mentee, a.mentor) not in problem.forbidden
        load[a.mentor] = load.get(a.mentor, 0) + 1
    if result.mode != "circles":
        for mentor, used in load.items():
            assert used <= capacity[mentor]
    mentor_of = result.mentor_of()
    for e, m in problem.locked:
        assert mentor_of.get(e) == m
    everyone = {e.id for e in problem.mentees}
    assert seen | {u.mentee for u in result.unmatched} == everyone
    assert abs(result.total_score - sum(a.score for a in result.assignments)) < 1e-6


# ------------------------------------------------------------------ tests


@SETTINGS
@given(pair_problems())
def test_optimal_reaches_dense_optimum_on_pair_scores(problem: Problem) -> None:
    result = solve(problem, "optimal")
    allowed = reference_scores(problem)
    check_basic_invariants(problem, result, allowed)
    best = dense_optimum(problem, allowed)
    assert abs(result.total_score - best) < 1e-6
    assert result.certificate["upper_bound"] >= best - 1e-6


@SETTINGS
@given(profile_problems())
def test_optimal_reaches_dense_optimum_on_profiles(problem: Problem) -> None:
    result = solve(problem, "optimal")
    allowed = reference_scores(problem)
    check_basic_invariants(problem, result, allowed)
    best = dense_optimum(problem, allowed)
    tolerance = 0.01 * len(problem.mentees) + 1e-4  # costs are rounded to 0.01 points
    assert result.total_score >= best - tolerance
    assert result.certificate["upper_bound"] >= best - tolerance
    for a in result.assignments:
        assert abs(a.score - allowed[(a.mentee, a.mentor)]) < 1e-3


@SETTINGS
@given(profile_problems(), st.integers(1, 2))
def test_bound_is_valid_with_few_candidates(problem: Problem, k: int) -> None:
    for rounds in (0, 1):
        result = solve(problem, "optimal", k=k, pricing_rounds=rounds)
        allowed = reference_scores(problem)
        check_basic_invariants(problem, result, allowed)
        best = dense_optimum(problem, allowed)
        assert result.certificate["upper_bound"] >= best - 0.01 * len(problem.mentees) - 1e-4


@SETTINGS
@given(profile_problems())
def test_explanations_name_only_contributing_factors(problem: Problem) -> None:
    result = solve(problem, "optimal")
    mentees = {p.id: p for p in problem.mentees}
    mentors = {p.id: p for p in problem.mentors}
    for a in result.assignments:
        parts = reference_contributions(problem, mentees[a.mentee], mentors[a.mentor])
        points = [r.points for r in a.explanation]
        assert points == sorted(points, reverse=True)
        for reason in a.explanation:
            assert parts[reason.factor] > 0
            assert abs(parts[reason.factor] - reason.points) < 0.01
            assert reason.text


def blocking_pairs(problem: Problem, result, ranks) -> int:
    """Brute force: acceptable pairs where both sides would rather have each other."""
    mentee_rank, mentor_rank = ranks
    mentor_of = result.mentor_of()
    capacity = {m.id: m.capacity for m in problem.mentors}
    held: dict[str, list[str]] = {}
    for e, m in mentor_of.items():
        held.setdefault(m, []).append(e)
    count = 0
    for (e, m), rank in mentee_rank.items():
        if (e, m) not in mentor_rank or e in dict(problem.locked):
            continue
        current = mentor_of.get(e)
        if current == m:
            continue
        if current is not None and mentee_rank[(e, current)] <= rank:
            continue
        members = held.get(m, [])
        if len(members) < capacity[m] or any(
            mentor_rank[(x, m)] > mentor_rank[(e, m)]
            for x in members
            if x not in dict(problem.locked)
        ):
            count += 1
    return count


def score_ranks(problem: Problem) -> tuple[dict, dict]:
    allowed = reference_scores(problem)
    index = {p.id: k for k, p in enumerate(problem.mentees)}
    mentee_rank = {}
    mentor_rank = {}
    for e in problem.mentees:
        mine = sorted((m for (x, m) in allowed if x == e.id), key=lambda m: -allowed[(e.id, m)])
        mentee_rank.update({(e.id, m): allowed[(e.id, m)] * -1 for m in mine})
    for m in problem.mentors:
        theirs = [x for (x, y) in allowed if y == m.id]
        mentor_rank.update({(x, m.id): (-allowed[(x, m.id)], index[x]) for x in theirs})
    return mentee_rank, mentor_rank


@SETTINGS
@given(pair_problems(with_locks=False))
def test_stable_has_no_blocking_pair_by_score(problem: Problem) -> None:
    result = solve(problem, "stable")
    allowed = reference_scores(problem)
    check_basic_invariants(problem, result, allowed)
    assert result.certificate["blocking_pairs"] == 0
    assert blocking_pairs(problem, result, score_ranks(problem)) == 0


@st.composite
def problems_with_preferences(draw: st.DrawFn) -> Problem:
    base = draw(pair_problems(with_locks=False))
    allowed = reference_scores(base)
    preferences = {}
    for person in (*base.mentees, *base.mentors):
        mine = [m if x == person.id else x for (x, m) in allowed if person.id in (x, m)]
        if mine and draw(st.booleans()):
            preferences[person.id] = tuple(draw(st.permutations(mine)))
    return Problem(
        mentees=base.mentees,
        mentors=base.mentors,
        pair_scores=base.pair_scores,
        forbidden=base.forbidden,
        preferences=preferences,
    )


@SETTINGS
@given(problems_with_preferences())
def test_stable_has_no_blocking_pair_with_given_preferences(problem: Problem) -> None:
    result = solve(problem, "stable")
    allowed = reference_scores(problem)
    check_basic_invariants(problem, result, allowed)
    assert result.certificate["blocking_pairs"] == 0
    prefs = problem.preferences or {}
    mentee_rank, mentor_rank = {}, {}
    index = {p.id: k for k, p in enumerate(problem.mentees)}
    for (e, m), s in allowed.items():
        if e not in prefs or m in prefs[e]:
            mentee_rank[(e, m)] = prefs[e].index(m) if e in prefs else -s
        if m not in prefs or e in prefs[m]:
            mentor_rank[(e, m)] = (prefs[m].index(e), 0) if m in prefs else (-s, index[e])
    for a in result.assignments:
        assert (a.mentee, a.mentor) in mentee_rank
        assert (a.mentee, a.mentor) in mentor_rank
    assert blocking_pairs(problem, result, (mentee_rank, mentor_rank)) == 0


@SETTINGS
@given(profile_problems())
def test_stable_and_greedy_respect_rules_on_profiles(problem: Problem) -> None:
    allowed = reference_scores(problem)
    best = dense_optimum(problem, allowed)
    for mode in ("stable", "greedy"):
        result = solve(problem, mode)
        check_basic_invariants(problem, result, allowed)
        assert result.total_score <= best + 0.01 * len(problem.mentees) + 1e-4
    assert solve(problem, "stable").certificate["blocking_pairs"] == 0


@SETTINGS
@given(pair_problems(), st.integers(1, 3), st.integers(0, 2))
def test_circles_respect_sizes(problem: Problem, low: int, extra: int) -> None:
    circles = CircleSettings(min_size=low, max_size=low + extra)
    locked_load: dict[str, int] = {}
    for _, m in problem.locked:
        locked_load[m] = locked_load.get(m, 0) + 1
    if any(n > circles.max_size for n in locked_load.values()):
        return
    problem = Problem(
        mentees=problem.mentees,
        mentors=problem.mentors,
        pair_scores=problem.pair_scores,
        forbidden=problem.forbidden,
        locked=problem.locked,
        circles=circles,
    )
    result = solve(problem, "circles")
    check_basic_invariants(problem, result, reference_scores(problem))
    sizes: dict[str, int] = {}
    for a in result.assignments:
        sizes[a.mentor] = sizes.get(a.mentor, 0) + 1
    for mentor, size in sizes.items():
        assert size <= circles.max_size
        assert size >= circles.min_size or mentor in locked_load
    assert sorted(c.mentor for c in result.circles) == sorted(sizes)


@settings(max_examples=25, deadline=None)
@given(profile_problems(), st.integers(1, 3))
def test_circles_on_profiles_respect_sizes_and_rules(problem: Problem, low: int) -> None:
    problem = Problem(
        mentees=problem.mentees,
        mentors=problem.mentors,
        rules=problem.rules,
        forbidden=problem.forbidden,
        circles=CircleSettings(min_size=low, max_size=low + 1),
    )
    result = solve(problem, "circles")
    check_basic_invariants(problem, result, reference_scores(problem))
    sizes: dict[str, int] = {}
    for a in result.assignments:
        sizes[a.mentor] = sizes.get(a.mentor, 0) + 1
    assert all(low <= size <= low + 1 for size in sizes.values())


def test_maximize_matches_puts_count_before_total() -> None:
    problem = Problem(
        mentees=(Person(id="e1"), Person(id="e2")),
        mentors=(Person(id="m1"), Person(id="m2")),
        pair_scores=(("e1", "m1", 90.0), ("e2", "m1", 80.0), ("e1", "m2", 10.0)),
        maximize_matches=True,
    )
    assert solve(problem, "optimal").matched == 2
    plain = Problem(
        mentees=problem.mentees, mentors=problem.mentors, pair_scores=problem.pair_scores
    )
    assert solve(plain, "optimal").total_score == 90.0


def test_exhaustive_tiny_instance_matches_enumeration() -> None:
    scores = {
        ("e0", "m0"): 5.0,
        ("e0", "m1"): 4.0,
        ("e1", "m0"): 4.0,
        ("e2", "m0"): 3.0,
        ("e2", "m1"): 1.0,
    }
    problem = Problem(
        mentees=tuple(Person(id=f"e{i}") for i in range(3)),
        mentors=(Person(id="m0", capacity=1), Person(id="m1", capacity=1)),
        pair_scores=tuple((e, m, s) for (e, m), s in scores.items()),
    )
    best = 0.0
    options = [[None, *[m for (x, m) in scores if x == e]] for e in ("e0", "e1", "e2")]
    for choice in itertools.product(*options):
        used = [m for m in choice if m]
        if len(used) == len(set(used)):
            best = max(best, sum(scores[(f"e{i}", m)] for i, m in enumerate(choice) if m))
    assert solve(problem, "optimal").total_score == best == 8.0
