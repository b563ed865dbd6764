"""Group mentoring circles: dissolution and the reasons people are left out."""

from __future__ import annotations

from impactcircle.engine.matching import CircleSettings, Person, Problem, solve


def test_circle_below_minimum_is_dissolved_and_reported() -> None:
    mentees = tuple(Person(id=f"e{i}") for i in range(4))
    scores = [(f"e{i}", "m1", 90.0 - i) for i in range(4)] + [("e3", "m2", 80.0)]
    problem = Problem(
        mentees=mentees,
        mentors=(Person(id="m1"), Person(id="m2")),
        pair_scores=tuple(scores),
        circles=CircleSettings(min_size=3, max_size=3),
    )
    result = solve(problem, "circles")
    sizes = {c.mentor: len(c.members) for c in result.circles}
    assert sizes == {"m1": 3}
    (left_out,) = result.unmatched
    assert (left_out.mentee, left_out.reason) == ("e3", "circle_dissolved")
    assert result.certificate["circles_formed"] == 1


def test_circles_fill_to_the_minimum_before_filling_up() -> None:
    mentees = tuple(Person(id=f"e{i}") for i in range(4))
    scores = [(f"e{i}", "m1", 90.0) for i in range(4)] + [(f"e{i}", "m2", 10.0) for i in range(4)]
    problem = Problem(
        mentees=mentees,
        mentors=(Person(id="m1"), Person(id="m2")),
        pair_scores=tuple(scores),
        circles=CircleSettings(min_size=2, max_size=4),
    )
    result = solve(problem, "circles")
    sizes = sorted(len(c.members) for c in result.circles)
    assert sizes == [2, 2]
    assert result.matched == 4
