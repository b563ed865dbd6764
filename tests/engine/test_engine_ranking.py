"""Ranking the mentors of one mentee by the solvers' own score."""

from __future__ import annotations

import pytest

from impactcircle.engine.matching import Person, Problem, ProblemError, Rules, solve
from impactcircle.engine.matching.ranking import rank_mentors

MENTEE = Person(
    id="e",
    name="Eva",
    level=1,
    languages=("en",),
    hours=(8, 17),
    values=frozenset({"care", "honesty"}),
    causes=frozenset({"climate"}),
    goal_skills=frozenset({"impact measurement"}),
)


def _mentor(identifier: str, **overrides: object) -> Person:
    values: dict[str, object] = {
        "id": identifier,
        "name": identifier.upper(),
        "level": 3,
        "languages": ("en",),
        "hours": (8, 17),
    }
    values.update(overrides)
    return Person(**values)  # type: ignore[arg-type]  # test data built from a dict


DEFAULT_RULES = Rules()


def _problem(*mentors: Person, rules: Rules = DEFAULT_RULES) -> Problem:
    return Problem(mentees=(MENTEE,), mentors=mentors, rules=rules)


def test_mentors_are_ranked_by_score_best_first() -> None:
    strong = _mentor(
        "strong",
        values=frozenset({"care", "honesty"}),
        causes=frozenset({"climate"}),
        skills={"impact measurement": 5},
    )
    weak = _mentor("weak", causes=frozenset({"climate"}))
    ranked = rank_mentors(_problem(weak, strong), "e")
    assert [item.mentor for item in ranked] == ["strong", "weak"]
    assert ranked[0].score > ranked[1].score


def test_the_score_is_the_one_the_solver_gives_the_pair() -> None:
    mentor = _mentor("m", values=frozenset({"care"}), skills={"impact measurement": 4})
    problem = _problem(mentor)
    (ranked,) = rank_mentors(problem, "e")
    (assignment,) = solve(problem, "greedy").assignments
    assert ranked.score == pytest.approx(assignment.score, abs=1e-3)
    assert [r.text for r in ranked.explanation] == [r.text for r in assignment.explanation]


def test_explanations_are_in_plain_words_and_rules_kept_are_listed() -> None:
    mentor = _mentor("m", skills={"impact measurement": 5})
    (ranked,) = rank_mentors(_problem(mentor), "e")
    assert any("wants to grow in impact measurement" in r.text for r in ranked.explanation)
    assert "they share a language" in ranked.rules_kept
    assert "the mentor is at least one level above the mentee" in ranked.rules_kept
    assert ranked.is_allowed


def test_a_mentor_breaking_a_hard_rule_is_left_out() -> None:
    junior = _mentor("junior", level=0)
    other_tongue = _mentor("other", languages=("fr",))
    fine = _mentor("fine")
    ranked = rank_mentors(_problem(junior, other_tongue, fine), "e")
    assert [item.mentor for item in ranked] == ["fine"]


def test_excluded_mentors_can_be_listed_last_with_the_rule_they_break() -> None:
    ranked = rank_mentors(
        _problem(_mentor("other", languages=("fr",)), _mentor("fine")), "e", include_excluded=True
    )
    assert [item.mentor for item in ranked] == ["fine", "other"]
    assert ranked[1].rules_broken == ("they share no language",)
    assert not ranked[1].is_allowed


def test_a_person_never_ranks_themselves() -> None:
    ranked = rank_mentors(_problem(_mentor("e"), _mentor("fine")), "e")
    assert [item.mentor for item in ranked] == ["fine"]


def test_switched_off_rules_are_not_mentioned() -> None:
    rules = Rules(require_common_language=False, level_rule="any", min_overlap_hours=0)
    (ranked,) = rank_mentors(
        _problem(_mentor("other", languages=("fr",), level=0), rules=rules), "e"
    )
    assert ranked.rules_kept == ("not in the same reporting line",)


def test_an_unknown_mentee_is_an_error() -> None:
    with pytest.raises(ProblemError):
        rank_mentors(_problem(_mentor("m")), "nobody")


def test_no_mentors_ranks_nobody() -> None:
    assert rank_mentors(_problem(), "e") == ()
