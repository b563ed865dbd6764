"""Fairness audit, result diff, and the large-pool (clustered) candidate path."""

from __future__ import annotations

import numpy as np

from impactcircle.engine.matching import (
    Person,
    Problem,
    audit_fairness,
    diff_assignments,
    solve,
)
from impactcircle.engine.matching.candidates import profile_candidates
from impactcircle.engine.matching.features import build_features
from impactcircle.engine.matching.rules import RuleSet


def test_audit_reports_rates_scores_and_the_largest_gap() -> None:
    groups = {f"a{i}": {"site": "north"} for i in range(5)} | {
        f"b{i}": {"site": "south"} for i in range(6)
    }
    scores = {"a0": 80.0, "a1": 60.0, "b0": 50.0, "b1": 50.0, "b2": 50.0, "b3": 50.0}
    audit = audit_fairness(groups, scores, sorted(groups), min_group_size=5)
    (site,) = audit.attributes
    north, south = site.groups
    assert (north.people, north.matched, north.matched_rate, north.mean_score) == (
        5,
        2,
        0.4,
        70.0,
    )
    assert (south.matched, south.mean_score) == (4, 50.0)
    assert site.matched_rate_gap == round(4 / 6 - 0.4, 4)
    assert site.mean_score_gap == 20.0
    assert site.lowest_matched_rate == "north"
    assert audit.largest_matched_rate_gap == site.matched_rate_gap


def test_audit_folds_small_groups_with_the_next_smallest_and_never_goes_below_three() -> None:
    groups = {"a": {"team": "tiny"}, "b": {"team": "tiny"}} | {
        f"c{i}": {"team": "big"} for i in range(5)
    }
    audit = audit_fairness(groups, {"a": 90.0}, sorted(groups), min_group_size=1)
    assert audit.min_group_size == 3
    (team,) = audit.attributes
    # "tiny" (2) alone in "Other" would be shown as a group of 2; "big" joins it.
    assert [(g.value, g.people, g.matched) for g in team.groups] == [("Other", 7, 1)]
    assert team.matched_rate_gap is None
    assert team.lowest_matched_rate is None


def test_audit_never_labels_or_counts_a_group_under_the_threshold() -> None:
    levels = {"L7": 1, "L6": 3, "L5": 6, "L4": 9, "L3": 12}
    groups = {
        f"{level}-{i}": {"level": level} for level, size in levels.items() for i in range(size)
    }
    audit = audit_fairness(groups, {}, sorted(groups), min_group_size=5)
    (level,) = audit.attributes
    shown = {g.value: g.people for g in level.groups}
    # L7 (1) and L6 (3) are small; together 4 < 5, so L5 (6), the next-smallest, joins them.
    assert shown == {"L4": 9, "L3": 12, "Other": 10}
    assert all(people >= 5 for people in shown.values())


def test_audit_shows_nothing_for_an_attribute_of_fewer_people_than_the_threshold() -> None:
    groups = {f"m{i}": {"site": "north" if i else "south"} for i in range(4)}
    audit = audit_fairness(groups, {"m0": 50.0}, sorted(groups), min_group_size=5)
    (site,) = audit.attributes
    assert site.is_suppressed
    assert site.groups == ()


def test_diff_lists_who_changed_and_score_deltas() -> None:
    before = {"a": ("m1", 50.0), "b": ("m2", 40.0), "c": ("m3", 30.0), "d": ("m1", 10.0)}
    after = {"a": ("m1", 50.0), "b": ("m1", 45.0), "d": ("m1", 12.0), "e": ("m3", 20.0)}
    diff = diff_assignments(before, after)
    kinds = {c.mentee: c.kind for c in diff.changes}
    assert kinds == {"b": "moved", "c": "newly_unmatched", "d": "rescored", "e": "newly_matched"}
    assert diff.unchanged == 2  # a, and d: same mentor, only the score moved
    assert {c.mentee: c.score_delta for c in diff.changes} == {
        "b": 5.0,
        "c": -30.0,
        "d": 2.0,
        "e": 20.0,
    }
    assert diff.total_delta == 127.0 - 130.0


def test_unchanged_counts_everyone_who_kept_their_mentor_even_when_scores_moved() -> None:
    # Issue 10: 10 of 11 kept their mentor and only the scores moved; the page said 0 unchanged.
    before = {f"e{number}": (f"m{number % 3}", 50.0 + number) for number in range(11)}
    after = {mentee: (mentor, score + 1.5) for mentee, (mentor, score) in before.items()}
    after["e0"] = ("m9", 40.0)

    diff = diff_assignments(before, after)

    assert diff.unchanged == 10
    assert sorted(c.kind for c in diff.changes) == ["moved"] + ["rescored"] * 10


def _pool(seed: int, mentees: int, mentors: int) -> Problem:
    rng = np.random.default_rng(seed)
    langs = ["en", "fr", "de"]

    def person(prefix: str, k: int, mentor: bool) -> Person:
        vector = rng.standard_normal(8).astype(np.float32)
        return Person(
            id=f"{prefix}{k}",
            capacity=int(rng.integers(1, 4)),
            level=int(rng.integers(1, 6)) + (2 if mentor else 0),
            chain=(f"{prefix}{k // 5}",) if k >= 5 else (),
            languages=tuple(rng.choice(langs, size=int(rng.integers(1, 3)), replace=False)),
            hours=(int(rng.integers(0, 24)), int(rng.integers(0, 24))),
            values=frozenset(rng.choice(list("abcdef"), size=2, replace=False).tolist()),
            skills={f"s{int(s)}": int(rng.integers(1, 6)) for s in rng.integers(0, 10, 3)}
            if mentor
            else {},
            goal_skills=frozenset() if mentor else frozenset({f"s{int(rng.integers(0, 10))}"}),
            goal_vector=None if mentor else vector,
            expertise_vector=vector if mentor else None,
            groups={"site": str(rng.choice(["x", "y"]))},
        )

    return Problem(
        mentees=tuple(person("e", k, False) for k in range(mentees)),
        mentors=tuple(person("m", k, True) for k in range(mentors)),
    )


def test_clustered_candidates_are_feasible_and_keep_every_mentee_with_a_mentor() -> None:
    problem = _pool(3, 300, 80)
    features = build_features(problem)
    rules = RuleSet.build(problem, features)
    exact = profile_candidates(problem, features, rules, k=10)
    clustered = profile_candidates(problem, features, rules, k=10, exact_limit=0)
    assert exact.exact
    assert not clustered.exact
    assert rules.feasible(clustered.mentee, clustered.mentor).all()
    assert np.array_equal(clustered.has_feasible, exact.has_feasible)
    rescored = features.pair_scores(clustered.mentee, clustered.mentor)
    assert np.allclose(rescored, clustered.score, atol=1e-3)


def test_large_pool_path_solves_within_the_rules() -> None:
    problem = _pool(5, 200, 60)
    exact = solve(problem, "optimal")
    approximate = solve(problem, "optimal", exact_limit=0, k=10)
    assert approximate.certificate["bound_scope"] == "candidate pairs"
    assert exact.certificate["bound_scope"] == "all feasible pairs"
    assert approximate.total_score <= exact.certificate["upper_bound"] + 1e-6
    assert approximate.total_score >= 0.9 * exact.total_score
