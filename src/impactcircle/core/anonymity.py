"""Anonymity rules every aggregate over people goes through (docs/anonymity.md).

A figure about people is shown only when it counts nobody or at least the threshold: 5 people for
scores and counts, 10 for free-text comments by default, configurable upward, never below 3
(`ANONYMITY_MIN_GROUP_SCORES`, `ANONYMITY_MIN_GROUP_COMMENTS`). Three tools, from the smallest:

- `suppress(count, threshold=…)` hides one figure under the threshold;
- `suppress_breakdown(counts, threshold=…)` splits a total into groups and folds every small group
  into "Other", adding the next-smallest groups until "Other" itself reaches the threshold
  (complementary suppression), so no folded group can be recovered from the total and the shown
  groups; when the total is under the threshold nothing is shown;
- `ReportPopulation` decides once, for the whole population of a report, which values of each
  reportable attribute are shown: rare values are pooled into "Other" until every non-empty
  combination of shown values (a cell) holds at least the threshold; every count, breakdown and
  filter is then a union of cells, so the difference of any two figures is empty or at least the
  threshold. Filters on pooled values are refused (`FilterRefused`).

`check_filter_pair` is the rule for reports that filter ad hoc without a `ReportPopulation`: two
filters whose selections differ by 1 to threshold-1 people are refused.

Pure Python apart from reading the two settings: no queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from impactcircle.core.errors import InvalidInput

Kind = Literal["scores", "comments"]

MINIMUM_THRESHOLD = 3
DEFAULT_THRESHOLDS: Mapping[Kind, int] = {"scores": 5, "comments": 10}
SETTING_NAMES: Mapping[Kind, str] = {
    "scores": "ANONYMITY_MIN_GROUP_SCORES",
    "comments": "ANONYMITY_MIN_GROUP_COMMENTS",
}
OTHER = "Other"

Where = Mapping[str, str | Collection[str]]


class FilterRefused(InvalidInput):
    """A filter that could single out a group under the anonymity threshold (422)."""


# --- Thresholds ---------------------------------------------------------------------------------


def validate_threshold(value: object, *, name: str) -> int:
    """`value` as a threshold, or ImproperlyConfigured when it is not a whole number ≥ 3."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}")
    if value < MINIMUM_THRESHOLD:
        raise ImproperlyConfigured(
            f"{name} must be at least {MINIMUM_THRESHOLD} (a smaller group can single out a "
            f"person); got {value}"
        )
    return value


def thresholds_from_environment(environ: Mapping[str, str]) -> dict[str, int]:
    """The threshold settings the environment gives (by their setting names), checked; the
    settings module takes these, and `threshold` falls back to the defaults above."""
    given: dict[str, int] = {}
    for name in SETTING_NAMES.values():
        text = environ.get(name, "").strip()
        if not text:
            continue
        try:
            value = int(text)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number; got {text!r}") from None
        given[name] = validate_threshold(value, name=name)
    return given


def threshold(kind: Kind) -> int:
    """The smallest group a figure of this kind may describe, from the settings."""
    name = SETTING_NAMES[kind]
    return validate_threshold(getattr(settings, name, DEFAULT_THRESHOLDS[kind]), name=name)


def check_thresholds(**kwargs: Any) -> list[checks.CheckMessage]:
    """System check: both thresholds are whole numbers of at least 3."""
    errors: list[checks.CheckMessage] = []
    for kind, name in SETTING_NAMES.items():
        try:
            threshold(kind)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="core.E101", obj=name))
    return errors


# --- One figure, one breakdown, one pair of filters --------------------------------------------


def suppress(count: int, *, threshold: int) -> int | None:
    """`count` when it is 0 or at least `threshold`; None (hidden) when it would describe a small
    group."""
    return count if count == 0 or count >= threshold else None


@dataclass(frozen=True)
class Group:
    """One group of a breakdown; `count` None: hidden (folded into "Other" or nothing shown)."""

    label: str
    count: int | None


@dataclass(frozen=True)
class Breakdown:
    """What may be shown of a total split into groups.

    `groups` keeps the order given, with the folded groups' counts hidden, and ends with the
    "Other" group when anything was folded. `total` is None only when nothing can be shown.
    """

    groups: tuple[Group, ...]
    total: int | None
    folded: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_suppressed(self) -> bool:
        return self.total is None

    @property
    def other(self) -> int | None:
        """The count of the folded groups together (at least the threshold), or None."""
        for group in self.groups:
            if group.label == OTHER and self.folded:
                return group.count
        return None


def folded_groups(counts: Mapping[str, int], *, threshold: int) -> frozenset[str] | None:
    """The labels complementary suppression folds into "Other", or None when the total itself is
    under `threshold` (nothing may be shown).

    Every group of 1..threshold-1 is folded; while the folded groups together are fewer than
    `threshold`, the next-smallest non-empty group is folded too (ties broken by label). Once
    anything is folded, the empty groups are folded as well: a folded group shown beside visible
    zeros would be known to hold at least one person, and "Other" = 3 over three folded groups
    would then give each of them away. The folded groups hold none or at least `threshold`
    people, in at least two non-empty groups.
    """
    if any(count < 0 for count in counts.values()):
        raise ValueError("a group cannot count fewer than 0 people")
    total = sum(counts.values())
    if 0 < total < threshold:
        return None
    folded = {label for label, count in counts.items() if 0 < count < threshold}
    rest = sorted((n, label) for label, n in counts.items() if n and label not in folded)
    while folded and sum(counts[label] for label in folded) < threshold:
        folded.add(rest.pop(0)[1])
    if folded:
        folded |= {label for label, count in counts.items() if count == 0}
    return frozenset(folded)


def suppress_breakdown(
    counts: Mapping[str, int], *, threshold: int, other_label: str = OTHER
) -> Breakdown:
    """Complementary suppression for one breakdown of a total (see `folded_groups`)."""
    if other_label in counts:
        raise ValueError(f"{other_label!r} is reserved for the folded groups")
    folded = folded_groups(counts, threshold=threshold)
    if folded is None:
        return Breakdown(tuple(Group(label, None) for label in counts), None)
    groups = [Group(label, None if label in folded else count) for label, count in counts.items()]
    if folded:
        groups.append(Group(other_label, sum(counts[label] for label in folded)))
    return Breakdown(tuple(groups), sum(counts.values()), folded)


def check_filter_pair(
    first: Collection[Hashable], second: Collection[Hashable], *, threshold: int
) -> None:
    """Refuse two filters (the ids each selects) whose difference is a group of 1..threshold-1:
    subtracting one figure from the other would describe it."""
    first_ids, second_ids = set(first), set(second)
    for difference in (first_ids - second_ids, second_ids - first_ids):
        if 0 < len(difference) < threshold:
            raise FilterRefused(
                "These two filters differ by too few people to compare; widen one of them."
            )


# --- The whole population of a report ----------------------------------------------------------


@dataclass(frozen=True)
class ReportRecord:
    """One person (or answer) of a report: an id and the value of every reportable attribute."""

    id: Hashable
    values: Mapping[str, str]


Cell = tuple[str, ...]


def _shown_cells(combinations: Counter[Cell], shown: list[dict[str, str]]) -> Counter[Cell]:
    cells: Counter[Cell] = Counter()
    for combination, count in combinations.items():
        cells[tuple(shown[i][value] for i, value in enumerate(combination))] += count
    return cells


def _pooled(shown: list[dict[str, str]], position: int, value: str) -> list[dict[str, str]]:
    pooled = [dict(mapping) for mapping in shown]
    pooled[position] = {
        raw: OTHER if current == value else current for raw, current in shown[position].items()
    }
    return pooled


def _pool_rare_values(
    combinations: Counter[Cell], attribute_count: int, threshold: int
) -> list[dict[str, str]]:
    """Per attribute, raw value → shown value, pooling rare values into "Other" until every
    non-empty cell holds at least `threshold` (everything ends in one cell at worst).

    Each step pools one value. The candidates, for each small cell, are its own values and, where
    it already shows "Other", the values of that attribute beside which it sits (its complements,
    the way one breakdown folds the next-smallest group). The step taken pools, in the attribute
    that still shows the most values, its rarest candidate (as the Datafly method generalises
    the attribute with the most distinct values first): tails go first and no attribute is
    emptied while another keeps a long list.
    """
    shown: list[dict[str, str]] = [{} for _ in range(attribute_count)]
    for combination in combinations:
        for position, value in enumerate(combination):
            shown[position].setdefault(value, value)
    while True:
        cells = _shown_cells(combinations, shown)
        small = [cell for cell, count in cells.items() if count < threshold]
        if not small:
            return shown
        value_counts: Counter[tuple[int, str]] = Counter()
        beside: dict[tuple[int, Cell], list[str]] = {}  # (position, cell without it) → values
        for cell, count in cells.items():
            for position, value in enumerate(cell):
                value_counts[position, value] += count
                rest = (*cell[:position], *cell[position + 1 :])
                beside.setdefault((position, rest), []).append(value)
        candidates: set[tuple[int, str]] = set()
        for cell in small:
            for position, value in enumerate(cell):
                if value != OTHER:
                    candidates.add((position, value))
                    continue
                rest = (*cell[:position], *cell[position + 1 :])
                candidates |= {
                    (position, sibling) for sibling in beside[position, rest] if sibling != OTHER
                }
        if not candidates:  # only "Other" left where it is small: pool the rarest value anywhere
            candidates = {key for key in value_counts if key[1] != OTHER}
        if not candidates:
            return shown  # one cell under the threshold: the caller shows nothing
        distinct = Counter(position for position, value in value_counts if value != OTHER)
        chosen = min(candidates, key=lambda key: (-distinct[key[0]], value_counts[key], key))
        shown = _pooled(shown, *chosen)


@dataclass(frozen=True)
class ReportPopulation:
    """The population of one report, with what may be shown of it decided once.

    Build it from every record the report covers; then ask only through `count`, `breakdown`,
    `record_ids` and `shown_value`. Filters (`where`) name shown values only: a value that is not
    shown (pooled into "Other", or absent) is refused with `FilterRefused`.
    """

    attributes: tuple[str, ...]
    threshold: int
    is_suppressed: bool  # fewer people than the threshold: nothing is shown
    _shown_of: Mapping[Hashable, Cell]
    _cells: Mapping[Cell, frozenset[Hashable]]
    _values: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(
        cls, records: Iterable[ReportRecord], *, attributes: Collection[str], threshold: int
    ) -> ReportPopulation:
        attributes = tuple(attributes)
        if len(set(attributes)) != len(attributes):
            raise ValueError("each attribute may be named once")
        if threshold < MINIMUM_THRESHOLD:
            raise ValueError(f"the threshold is never below {MINIMUM_THRESHOLD}")
        raw_of: dict[Hashable, Cell] = {}
        for record in records:
            if record.id in raw_of:
                raise ValueError(f"record {record.id!r} appears twice")
            missing = [name for name in attributes if name not in record.values]
            if missing:
                raise ValueError(f"record {record.id!r} has no value for {', '.join(missing)}")
            raw_of[record.id] = tuple(str(record.values[name]) for name in attributes)
        shown = _pool_rare_values(Counter(raw_of.values()), len(attributes), threshold)
        shown_of = {
            record_id: tuple(shown[i][value] for i, value in enumerate(raw))
            for record_id, raw in raw_of.items()
        }
        members: dict[Cell, set[Hashable]] = {}
        for record_id, cell in shown_of.items():
            members.setdefault(cell, set()).add(record_id)
        is_suppressed = 0 < len(shown_of) < threshold
        values = {
            name: ()
            if is_suppressed
            else tuple(sorted({cell[i] for cell in members}, key=lambda v: (v == OTHER, v)))
            for i, name in enumerate(attributes)
        }
        return cls(
            attributes=attributes,
            threshold=threshold,
            is_suppressed=is_suppressed,
            _shown_of=shown_of,
            _cells={cell: frozenset(ids) for cell, ids in members.items()},
            _values=values,
        )

    def values(self, attribute: str) -> tuple[str, ...]:
        """The values of `attribute` a report may show and filter on ("Other" last)."""
        self._require_attribute(attribute)
        return self._values[attribute]

    def shown_value(self, record_id: Hashable, attribute: str) -> str:
        """The value a report shows for this record (its own, or "Other" when pooled)."""
        self._require_attribute(attribute)
        if self.is_suppressed:
            raise FilterRefused("Too few people to report on.")
        return self._shown_of[record_id][self.attributes.index(attribute)]

    def record_ids(self, where: Where | None = None) -> frozenset[Hashable]:
        """The records a filter selects: a union of cells, so none or at least the threshold.
        For figures over them (a mean score, a rate)."""
        cells = self._matching_cells(where)
        if self.is_suppressed:
            return frozenset()
        return frozenset().union(*(self._cells[cell] for cell in cells))

    def count(self, where: Where | None = None) -> int | None:
        """How many records the filter selects; None when nothing may be shown."""
        cells = self._matching_cells(where)
        if self.is_suppressed:
            return None
        return sum(len(self._cells[cell]) for cell in cells)

    def breakdown(self, by: str, where: Where | None = None) -> tuple[Group, ...]:
        """The filtered records split by the shown values of `by`; empty when nothing may be
        shown."""
        self._require_attribute(by)
        if self.is_suppressed:
            return ()
        position = self.attributes.index(by)
        counts = Counter(dict.fromkeys(self._values[by], 0))
        for cell in self._matching_cells(where):
            counts[cell[position]] += len(self._cells[cell])
        return tuple(Group(value, counts[value]) for value in self._values[by])

    def _require_attribute(self, attribute: str) -> None:
        if attribute not in self.attributes:
            raise FilterRefused(
                f"{attribute!r} is not an attribute of this report.",
                fields={attribute: ["Not an attribute of this report."]},
            )

    def _matching_cells(self, where: Where | None) -> list[Cell]:
        wanted: list[tuple[int, frozenset[str]]] = []
        for attribute, chosen in (where or {}).items():
            self._require_attribute(attribute)
            values = frozenset([chosen] if isinstance(chosen, str) else chosen)
            refused = sorted(values - set(self._values[attribute]))
            if refused:
                raise FilterRefused(
                    f"Filtering on {attribute} = {', '.join(refused)} could single out a few "
                    f"people; choose among {', '.join(self._values[attribute])}.",
                    fields={attribute: ["Not a value this report shows."]},
                )
            wanted.append((self.attributes.index(attribute), values))
        return [
            cell
            for cell in self._cells
            if all(cell[position] in values for position, values in wanted)
        ]
