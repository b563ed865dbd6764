"""The anonymity rules, tested the way an attacker works: ask for every figure the helpers allow,
subtract any two, and try to recover a group of 1..threshold-1 people."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
from collections.abc import Hashable, Mapping

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from impactcircle.core.anonymity import (
    OTHER,
    FilterRefused,
    ReportPopulation,
    ReportRecord,
    check_filter_pair,
    check_thresholds,
    folded_groups,
    suppress,
    suppress_breakdown,
    threshold,
    validate_threshold,
)
from impactcircle.core.errors import InvalidInput
from impactcircle.engine.matching.audit import fold_small_groups

FAST = settings(max_examples=60, deadline=None)
thresholds = st.integers(min_value=3, max_value=6)

# --- Thresholds ---------------------------------------------------------------------------------


def test_the_thresholds_default_to_five_for_scores_and_ten_for_comments() -> None:
    assert threshold("scores") == 5
    assert threshold("comments") == 10


def test_the_thresholds_come_from_the_settings(settings) -> None:
    settings.ANONYMITY_MIN_GROUP_SCORES = 7
    settings.ANONYMITY_MIN_GROUP_COMMENTS = 12

    assert (threshold("scores"), threshold("comments")) == (7, 12)


@given(value=st.integers(max_value=2))
def test_a_threshold_below_three_is_refused(value: int) -> None:
    with pytest.raises(ImproperlyConfigured, match="at least 3"):
        validate_threshold(value, name="ANONYMITY_MIN_GROUP_SCORES")


@given(value=st.integers(min_value=3, max_value=10_000))
def test_a_threshold_of_three_or_more_is_accepted(value: int) -> None:
    assert validate_threshold(value, name="ANONYMITY_MIN_GROUP_COMMENTS") == value


def test_the_system_check_refuses_a_threshold_set_below_three_in_code(settings) -> None:
    settings.ANONYMITY_MIN_GROUP_COMMENTS = 2

    (error,) = check_thresholds()

    assert error.id == "core.E101"
    assert "ANONYMITY_MIN_GROUP_COMMENTS must be at least 3" in error.msg
    with pytest.raises(ImproperlyConfigured):
        threshold("comments")


@pytest.mark.parametrize("name", ["ANONYMITY_MIN_GROUP_SCORES", "ANONYMITY_MIN_GROUP_COMMENTS"])
def test_the_application_refuses_to_start_with_a_threshold_below_three(tmp_path, name) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="impactcircle.config.settings",
        DATA_DIR=str(tmp_path),
        SECRET_KEY="k" * 50,
        **{name: "2"},
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} must be at least 3" in result.stderr


# --- One figure and one breakdown ---------------------------------------------------------------


def test_a_figure_under_the_threshold_is_hidden_and_zero_is_shown() -> None:
    assert [suppress(n, threshold=5) for n in (0, 1, 4, 5, 9)] == [0, None, None, 5, 9]


def test_a_group_of_one_is_folded_into_other_with_the_next_smallest_and_the_empty_ones() -> None:
    breakdown = suppress_breakdown({"L3": 12, "L5": 6, "L7": 1, "L8": 0}, threshold=5)

    assert {group.label: group.count for group in breakdown.groups} == {
        "L3": 12,
        "L5": None,
        "L7": None,
        "L8": None,
        OTHER: 7,
    }
    assert breakdown.total == 19
    assert breakdown.other == 7


def test_a_breakdown_of_fewer_people_than_the_threshold_shows_nothing() -> None:
    breakdown = suppress_breakdown({"north": 3, "south": 1}, threshold=5)

    assert breakdown.is_suppressed
    assert all(group.count is None for group in breakdown.groups)


counts_by_label = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.integers(0, 14), max_size=6
)


@FAST
@given(counts=counts_by_label, limit=thresholds)
def test_complementary_suppression_never_leaves_a_folded_group_recoverable(
    counts: dict[str, int], limit: int
) -> None:
    breakdown = suppress_breakdown(counts, threshold=limit)
    shown = {group.label: group.count for group in breakdown.groups}
    assert all(count is None or count == 0 or count >= limit for count in shown.values())
    if breakdown.is_suppressed:
        assert 0 < sum(counts.values()) < limit
        return
    assert breakdown.total == sum(counts.values())
    if not breakdown.folded:
        return
    # The attacker knows the total, every shown group and "Other", and that counts are whole
    # numbers of at least 0 (empty groups are folded too, so a folded group may be empty). With
    # "Other" at the threshold or more, spread over two or more non-empty folded groups, each
    # folded group could hold anything from 0 to all of "Other": none is recoverable.
    other = shown[OTHER]
    assert other is not None
    assert other >= limit
    assert other == sum(counts[label] for label in breakdown.folded)
    assert sum(1 for label in breakdown.folded if counts[label]) >= 2
    assert {label for label, count in counts.items() if count == 0} <= breakdown.folded


@FAST
@given(counts=counts_by_label, limit=thresholds)
def test_the_engine_folds_the_same_groups_as_core(counts: dict[str, int], limit: int) -> None:
    # The engine may not import core; its fairness audit keeps the same rule.
    assert fold_small_groups(counts, limit) == folded_groups(counts, threshold=limit)


# --- The overlap rule ---------------------------------------------------------------------------


def test_two_filters_that_differ_by_one_person_are_refused() -> None:
    everyone = set(range(20))
    with pytest.raises(FilterRefused):
        check_filter_pair(everyone, everyone - {7}, threshold=5)


def test_two_filters_that_differ_by_none_or_by_the_threshold_are_allowed() -> None:
    everyone = set(range(20))
    check_filter_pair(everyone, everyone, threshold=5)
    check_filter_pair(everyone, everyone - {1, 2, 3, 4, 5}, threshold=5)


@FAST
@given(first=st.sets(st.integers(0, 15)), second=st.sets(st.integers(0, 15)), limit=thresholds)
def test_the_overlap_rule_refuses_exactly_the_small_differences(
    first: set[int], second: set[int], limit: int
) -> None:
    if any(0 < len(d) < limit for d in (first - second, second - first)):
        with pytest.raises(InvalidInput):  # FilterRefused, a 422
            check_filter_pair(first, second, threshold=limit)
    else:
        check_filter_pair(first, second, threshold=limit)


# --- The whole population of a report -----------------------------------------------------------

ATTRIBUTES = ("department", "location", "level")
# Repeated entries make some values common and others rare.
VALUES = {
    "department": ["Finance"] * 4 + ["Legal"] * 2 + ["Sales", "Risk"],
    "location": ["DE"] * 5 + ["FR"] * 2 + ["NO"],
    "level": ["L3"] * 3 + ["L4"] * 3 + ["L5", "L7"],
}
populations = st.lists(
    st.tuples(*(st.sampled_from(VALUES[name]) for name in ATTRIBUTES)), max_size=45
)


def _records(rows: list[tuple[str, ...]], attributes: tuple[str, ...]) -> list[ReportRecord]:
    return [
        ReportRecord(
            id=number,
            values={name: row[ATTRIBUTES.index(name)] for name in attributes},
        )
        for number, row in enumerate(rows)
    ]


def _truly_selected(
    records: list[ReportRecord], population: ReportPopulation, where: Mapping[str, str]
) -> frozenset[Hashable]:
    """The people a filter is about, worked out from their own values, not from the population."""

    def matches(record: ReportRecord, attribute: str, value: str) -> bool:
        own = record.values[attribute]
        if value != OTHER:
            return own == value
        return own not in population.values(attribute) or own == OTHER

    return frozenset(
        record.id
        for record in records
        if all(matches(record, attribute, value) for attribute, value in where.items())
    )


def _every_filter(population: ReportPopulation) -> list[dict[str, str]]:
    options = [[None, *population.values(name)] for name in population.attributes]
    return [
        {name: value for name, value in zip(population.attributes, choice, strict=True) if value}
        for choice in itertools.product(*options)
    ]


@FAST
@given(
    rows=populations,
    limit=thresholds,
    attribute_count=st.integers(1, 3),
)
def test_no_two_figures_a_report_allows_differ_by_a_small_group(
    rows: list[tuple[str, ...]], limit: int, attribute_count: int
) -> None:
    attributes = ATTRIBUTES[:attribute_count]
    records = _records(rows, attributes)
    population = ReportPopulation.build(records, attributes=attributes, threshold=limit)
    if 0 < len(records) < limit:
        assert population.is_suppressed
        assert population.count() is None
        assert all(population.breakdown(by=name) == () for name in attributes)
        return
    figures: dict[frozenset[Hashable], int] = {}
    for where in _every_filter(population):
        selected = _truly_selected(records, population, where)
        assert population.count(where=where) == len(selected)
        assert population.record_ids(where=where) == selected
        figures[selected] = len(selected)
        for by in attributes:
            for group in population.breakdown(by=by, where=where):
                group_selected = selected & _truly_selected(records, population, {by: group.label})
                assert group.count == len(group_selected)
                figures[group_selected] = len(group_selected)
    for count in figures.values():
        assert count == 0 or count >= limit
    for first, second in itertools.combinations(figures, 2):
        for difference in (first - second, second - first):
            assert not 0 < len(difference) < limit, (sorted(first), sorted(second))


@FAST
@given(rows=populations, limit=thresholds)
def test_a_filter_on_a_value_the_report_does_not_show_is_refused(
    rows: list[tuple[str, ...]], limit: int
) -> None:
    records = _records(rows, ATTRIBUTES)
    population = ReportPopulation.build(records, attributes=ATTRIBUTES, threshold=limit)
    for name in ATTRIBUTES:
        for value in set(VALUES[name]) - set(population.values(name)):
            with pytest.raises(FilterRefused):
                population.count(where={name: value})
            for record in records:
                if record.values[name] != value:
                    continue
                if population.is_suppressed:
                    with pytest.raises(FilterRefused):
                        population.shown_value(record.id, name)
                else:
                    assert population.shown_value(record.id, name) == OTHER


def test_a_rare_level_is_pooled_and_its_person_cannot_be_singled_out() -> None:
    rows = [("Finance", "DE", "L3")] * 6 + [("Finance", "DE", "L4")] * 5
    rows += [("Legal", "DE", "L3")] * 5 + [("Legal", "DE", "L7")]
    records = _records(rows, ATTRIBUTES)
    population = ReportPopulation.build(records, attributes=ATTRIBUTES, threshold=5)

    assert population.shown_value(16, "level") == OTHER
    assert "L7" not in population.values("level")
    with pytest.raises(FilterRefused):
        population.breakdown(by="department", where={"level": "L7"})
    # A department minus that department at any one level would be the one person at L7: the
    # report keeps every such difference at none or at least five people.
    for department in population.values("department"):
        everyone = population.count(where={"department": department})
        assert everyone is not None
        for level in population.breakdown(by="level", where={"department": department}):
            assert level.count is not None
            assert everyone - level.count == 0 or everyone - level.count >= 5


def test_a_report_of_fewer_people_than_the_threshold_shows_nothing() -> None:
    records = _records([("Finance", "DE", "L3")] * 4, ATTRIBUTES)
    population = ReportPopulation.build(records, attributes=ATTRIBUTES, threshold=5)

    assert population.is_suppressed
    assert population.count() is None
    assert population.values("department") == ()
    with pytest.raises(FilterRefused):
        population.count(where={"department": "Finance"})


def test_an_attribute_the_report_does_not_have_is_refused() -> None:
    records = _records([("Finance", "DE", "L3")] * 6, ATTRIBUTES)
    population = ReportPopulation.build(records, attributes=ATTRIBUTES, threshold=5)

    with pytest.raises(FilterRefused):
        population.breakdown(by="salary")
    with pytest.raises(FilterRefused):
        population.count(where={"salary": "high"})


def test_a_large_skewed_population_keeps_every_figure_at_none_or_the_threshold() -> None:
    generator = random.Random(8)
    # Geometric frequencies: a few common values and a long tail of rare ones.
    sizes = {name: 3 * len(set(VALUES[name])) for name in ATTRIBUTES}
    weights = {name: [2**-rank for rank in range(size)] for name, size in sizes.items()}
    records = [
        ReportRecord(
            id=number,
            values={
                name: f"{name}-{generator.choices(range(len(weights[name])), weights[name])[0]}"
                for name in ATTRIBUTES
            },
        )
        for number in range(3000)
    ]
    population = ReportPopulation.build(records, attributes=ATTRIBUTES, threshold=5)

    assert all(len(population.values(name)) > 2 for name in ATTRIBUTES)  # none pooled away
    for where in _every_filter(population):
        assert population.count(where=where) in {0} | set(range(5, 3001))
        for by in ATTRIBUTES:
            for group in population.breakdown(by=by, where=where):
                assert group.count == 0 or (group.count or 0) >= 5


def test_the_environment_may_set_the_thresholds_and_is_checked_as_settings_are() -> None:
    from impactcircle.core.anonymity import thresholds_from_environment

    assert thresholds_from_environment({}) == {}
    assert thresholds_from_environment(
        {"ANONYMITY_MIN_GROUP_SCORES": "8", "ANONYMITY_MIN_GROUP_COMMENTS": " "}
    ) == {"ANONYMITY_MIN_GROUP_SCORES": 8}
    with pytest.raises(ImproperlyConfigured, match="must be at least 3"):
        thresholds_from_environment({"ANONYMITY_MIN_GROUP_COMMENTS": "2"})
    with pytest.raises(ImproperlyConfigured, match="must be a whole number"):
        thresholds_from_environment({"ANONYMITY_MIN_GROUP_SCORES": "five"})
