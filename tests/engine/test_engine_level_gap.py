"""The level rule with a minimum gap: mentors at least N levels above (below, in reverse)."""

from __future__ import annotations

import pytest

from impactcircle.engine.matching import Person, Problem, ProblemError, Rules, solve


def _problem(gap: int, *, reverse: bool = False) -> Problem:
    mentee = Person(id="e", level=5 if reverse else 2, languages=("en",))
    mentors = (
        Person(id="one_apart", level=4 if reverse else 3, languages=("en",)),
        Person(id="three_apart", level=2 if reverse else 5, languages=("en",)),
    )
    return Problem(
        mentees=(mentee,), mentors=mentors,
        rules=Rules(min_level_gap=gap, reverse=reverse, min_overlap_hours=0),
    )  # fmt: skip


def test_a_gap_of_one_admits_the_nearest_mentor() -> None:
    result = solve(_problem(1), "greedy")

    assert result.matched == 1


@pytest.mark.parametrize("reverse", [False, True])
def test_a_larger_gap_leaves_only_mentors_far_enough_apart(reverse: bool) -> None:
    result = solve(_problem(2, reverse=reverse), "optimal")

    assert [assignment.mentor for assignment in result.assignments] == ["three_apart"]


def test_a_gap_nobody_meets_leaves_the_mentee_unmatched() -> None:
    result = solve(_problem(4), "optimal")

    assert result.matched == 0
    assert result.unmatched[0].reason == "no_feasible_mentor"


def test_a_gap_below_one_is_refused() -> None:
    with pytest.raises(ProblemError, match="min_level_gap"):
        solve(_problem(0), "optimal")
