"""The company plan is pure Python: its rules are checked here over many sizes and seeds."""

from __future__ import annotations

import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactcircle.demo.hierarchy import SPAN_MAX, TOP_LEVEL, CompanyPlan, plan_company


def assert_plan_keeps_the_rules(plan: CompanyPlan, people: int) -> None:
    assert plan.size == people
    assert [i for i in range(people) if plan.manager[i] < 0] == [0], "one CEO, first"
    assert plan.level[0] == TOP_LEVEL
    assert all(plan.manager[i] < i for i in range(1, people)), "managers come first"
    assert all(plan.level[plan.manager[i]] > plan.level[i] for i in range(1, people))
    assert all(1 <= level <= TOP_LEVEL for level in plan.level)
    assert max(plan.direct_reports()) <= SPAN_MAX
    for person in range(1, people):
        unit = plan.unit[person]
        assert plan.unit[plan.manager[person]] in {unit, plan.units[unit].parent}
    for index, unit in enumerate(plan.units):
        assert unit.parent is None if index == 0 else unit.parent is not None
        assert unit.parent is None or unit.parent < index


@settings(max_examples=60, deadline=None)
@given(people=st.integers(min_value=2, max_value=3_000), seed=st.integers(0, 2**32))
def test_any_company_size_keeps_the_rules(people: int, seed: int) -> None:
    assert_plan_keeps_the_rules(plan_company(people, random.Random(seed)), people)


@pytest.mark.parametrize("people", [1_000, 25_000])
def test_a_large_company_keeps_the_rules_with_realistic_spans(people: int) -> None:
    plan = plan_company(people, random.Random(1))

    assert_plan_keeps_the_rules(plan, people)
    assert 4 <= statistics.median(r for r in plan.direct_reports() if r) <= 8


def test_a_big_company_has_divisions_departments_and_teams() -> None:
    plan = plan_company(10_000, random.Random(1))

    kinds = {unit.kind for unit in plan.units}
    assert kinds == {"company", "division", "department", "team"}


def test_a_small_company_has_departments_under_the_company_only() -> None:
    plan = plan_company(60, random.Random(1))

    assert {unit.kind for unit in plan.units} == {"company", "department"}
    assert max(plan.direct_reports()) <= SPAN_MAX
