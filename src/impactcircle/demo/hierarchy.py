"""Plan the demo company's shape: units (company, divisions, departments, teams) and who reports
to whom at which level. Pure Python, no database: `organisation.py` and `people.py` store it.

Rules the plan keeps, whatever the size:
- one CEO (level 8) at the top of the company unit; everyone else has exactly one manager;
- a manager is always at a higher level than each of their reports (so chains cannot loop);
- a manager has at most `SPAN_MAX` direct reports, usually 4 to 8;
- a person's manager works in the same unit or in its parent unit.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from impactcircle.demo.reference import (
    COMPANY_NAME,
    DIVISIONS,
    FUNCTIONS,
    HEADQUARTERS,
    LOCATIONS,
)

TOP_LEVEL = 8
SPAN_MAX = 10
SPAN_TYPICAL = (4, 8)
SPAN_SOFT = 6  # used to pick a head's level from the size of what they lead
MIN_TEAM_OF_MANAGER = 5  # a manager with reports has at least this many people in their subtree
PEOPLE_FOR_TEAMS = 40  # a department this big is split into teams
PEOPLE_PER_TEAM = 400
PEOPLE_FOR_DIVISIONS = 150


@dataclass(frozen=True)
class UnitPlan:
    name: str
    parent: int | None  # index into CompanyPlan.units
    kind: str  # "company", "division", "department" or "team"
    function: int | None  # index into FUNCTIONS; None for the company and its divisions
    location: int  # index into LOCATIONS: where most of its people work


@dataclass
class CompanyPlan:
    """People are numbered 0…n-1 in an order where every manager comes before their reports."""

    units: list[UnitPlan] = field(default_factory=list)
    unit: list[int] = field(default_factory=list)
    level: list[int] = field(default_factory=list)
    manager: list[int] = field(default_factory=list)  # -1 for the CEO
    role: list[str] = field(default_factory=list)  # "head" of a unit, "manager" or "member"

    @property
    def size(self) -> int:
        return len(self.unit)

    def direct_reports(self) -> list[int]:
        counts = [0] * self.size
        for boss in self.manager:
            if boss >= 0:
                counts[boss] += 1
        return counts

    def function_of(self, person: int) -> int | None:
        return self.units[self.unit[person]].function


def capacity(level: int, span: int) -> int:
    """How many people (the head included) a head at `level` can lead with spans ≤ `span`."""
    return sum(span**depth for depth in range(level))


def level_to_hold(size: int, span: int) -> int:
    level = 1
    while capacity(level, span) < size:
        level += 1
    return level


def split(total: int, parts: int, low: int, high: int, rng: random.Random) -> list[int]:
    """Split `total` into `parts` roughly equal, randomly uneven sizes within [low, high]
    whenever that is possible."""
    weights = [rng.uniform(0.75, 1.25) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [int(weight * scale) for weight in weights]
    for index in range(total - sum(sizes)):
        sizes[index % parts] += 1
    for _ in range(total):
        smallest = min(range(parts), key=sizes.__getitem__)
        largest = max(range(parts), key=sizes.__getitem__)
        too_big = sizes[largest] > high and sizes[smallest] < high
        too_small = sizes[smallest] < low and sizes[largest] > low
        if not (too_big or too_small):
            break
        sizes[largest] -= 1
        sizes[smallest] += 1
    return sizes


def allocate(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder allocation, everyone getting at least one while there is enough."""
    count = len(weights)
    if total < count:
        return [1] * total + [0] * (count - total)
    base = [1] * count
    rest = total - count
    shares = [rest * weight / sum(weights) for weight in weights]
    sizes = [int(share) for share in shares]
    order = sorted(range(count), key=lambda i: sizes[i] - shares[i])
    for index in order[: rest - sum(sizes)]:
        sizes[index] += 1
    return [one + size for one, size in zip(base, sizes, strict=True)]


class _Planner:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.plan = CompanyPlan()
        self._location_weights = [location.weight for location in LOCATIONS]

    def unit(self, name: str, parent: int | None, kind: str, function: int | None) -> int:
        if kind in {"company", "division"}:
            location = HEADQUARTERS
        else:
            location = self.rng.choices(range(len(LOCATIONS)), self._location_weights)[0]
        self.plan.units.append(UnitPlan(name, parent, kind, function, location))
        return len(self.plan.units) - 1

    def person(self, unit: int, level: int, manager: int, role: str) -> int:
        self.plan.unit.append(unit)
        self.plan.level.append(level)
        self.plan.manager.append(manager)
        self.plan.role.append(role)
        return self.plan.size - 1

    def member_level(self, manager_level: int) -> int:
        low = max(1, manager_level - 3)
        levels = list(range(low, manager_level))
        weights = [2, 3, 3][-len(levels) :]
        return self.rng.choices(levels, weights)[0]

    def head_level(self, size: int, floor: int, above: int) -> int:
        """A level below `above` that fits leading `size` people: one layer more than the
        layers of management they need, at least `floor`."""
        wanted = max(floor, level_to_hold(size, SPAN_SOFT) + 1)
        return max(min(wanted, above - 1), level_to_hold(size, SPAN_MAX), 1)

    def fill(self, unit: int, head: int, level: int, reports: int) -> None:
        """Give `head` (at `level`) a subtree of `reports` more people inside `unit`."""
        if reports <= 0:
            return
        if reports <= SPAN_MAX or level <= 2:
            for _ in range(reports):
                self.person(unit, self.member_level(level), head, "member")
            return
        span = max(
            self.rng.randint(*SPAN_TYPICAL), math.ceil(reports / capacity(level - 1, SPAN_MAX))
        )
        managers = 1
        for managers in range(span, 0, -1):
            if reports - (span - managers) >= MIN_TEAM_OF_MANAGER * managers:
                break
        members = span - managers
        if reports - members < MIN_TEAM_OF_MANAGER:
            members = reports - MIN_TEAM_OF_MANAGER
        for _ in range(members):
            self.person(unit, self.member_level(level), head, "member")
        sizes = split(
            reports - members,
            managers,
            MIN_TEAM_OF_MANAGER,
            capacity(level - 1, SPAN_MAX),
            self.rng,
        )
        for size in sizes:
            sub_level = self.head_level(size, 3, level)
            sub = self.person(unit, sub_level, head, "manager" if size > 1 else "member")
            self.fill(unit, sub, sub_level, size - 1)

    def department(self, function: int, parent: int, boss: int, boss_level: int, size: int) -> None:
        spec = FUNCTIONS[function]
        unit = self.unit(spec.name, parent, "department", function)
        level = self.head_level(size, boss_level - 2, boss_level)
        head = self.person(unit, level, boss, "head")
        teams = 0
        if size >= PEOPLE_FOR_TEAMS:
            teams = min(len(spec.teams), max(2, math.ceil(size / PEOPLE_PER_TEAM)))
        if not teams:
            self.fill(unit, head, level, size - 1)
            return
        staff = self.rng.randint(1, 2)
        for _ in range(staff):
            self.person(unit, self.member_level(level), head, "member")
        team_sizes = split(size - 1 - staff, teams, 1, capacity(level - 1, SPAN_MAX), self.rng)
        for team_name, team_size in zip(spec.teams, team_sizes, strict=False):
            team = self.unit(team_name, unit, "team", function)
            team_level = self.head_level(team_size, level - 2, level)
            lead = self.person(team, team_level, head, "head")
            self.fill(team, lead, team_level, team_size - 1)


def plan_company(people: int, rng: random.Random) -> CompanyPlan:
    """The shape of a company of `people` (at least 1), deterministic for the generator's seed."""
    planner = _Planner(rng)
    company = planner.unit(COMPANY_NAME, None, "company", None)
    ceo = planner.person(company, TOP_LEVEL, -1, "head")
    if people >= 200:
        chosen = len(FUNCTIONS)
    else:
        chosen = max(1, min(len(FUNCTIONS), people - 1, max(2, people // 12)))
    use_divisions = people >= PEOPLE_FOR_DIVISIONS
    ceo_staff = 0 if people < 50 else (1 if people < 1000 else 2)
    if not use_divisions:  # department heads report to the CEO directly
        chosen = min(chosen, SPAN_MAX - ceo_staff)
    functions = list(range(chosen))
    divisions = [d for d in DIVISIONS if any(FUNCTIONS[f].division == d for f in functions)]
    division_staff = 1 if people >= 1000 else 0
    rest = people - 1 - ceo_staff
    if use_divisions:
        rest -= len(divisions) * (1 + division_staff)
    sizes = allocate(max(rest, 0), [FUNCTIONS[f].weight for f in functions])
    for _ in range(ceo_staff):
        planner.person(company, TOP_LEVEL - 1, ceo, "member")
    if not use_divisions:
        for function, size in zip(functions, sizes, strict=True):
            if size:
                planner.department(function, company, ceo, TOP_LEVEL, size)
        return planner.plan
    for division in divisions:
        unit = planner.unit(division, company, "division", None)
        head = planner.person(unit, TOP_LEVEL - 1, ceo, "head")
        for _ in range(division_staff):
            planner.person(unit, TOP_LEVEL - 2, head, "member")
        for function, size in zip(functions, sizes, strict=True):
            if size and FUNCTIONS[function].division == division:
                planner.department(function, unit, head, TOP_LEVEL - 1, size)
    return planner.plan
