"""Maximum-weight capacitated assignment as a min-cost flow (OR-Tools ``SimpleMinCostFlow``).

Network: source → mentee (capacity 1) → mentor (capacity 1 per candidate pair) → sink, with a
free source → sink bypass so that nobody has to be matched. Scores become integer costs
(``-round(score × scale)``). ``maximize_matches`` drops the bypass and solves max-flow-min-cost:
as many people as possible first, then the highest total. Mentor → sink arcs may come in tiers
with a bonus per unit (used by circles to fill each circle to its minimum first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class SolverError(RuntimeError):
    """The solver could not produce an optimal flow."""


def cost_scale(scores: FloatArray) -> float:
    """Integer cost units per score point: 0.01 point resolution unless scores are huge."""
    largest = float(np.abs(scores).max(initial=0.0))
    return 100.0 if largest <= 1e5 else 1e7 / largest


@dataclass(frozen=True, slots=True)
class Tier:
    """Up to ``units[j]`` units into mentor ``j`` earn ``bonus`` extra points each."""

    units: IntArray
    bonus: float


@dataclass(frozen=True, slots=True)
class FlowSolution:
    mentor_of: IntArray
    integer_scores: IntArray
    scale: float
    status: str


def assign_by_flow(
    mentees: IntArray,
    mentors: IntArray,
    scores: FloatArray,
    n_mentees: int,
    capacity: IntArray,
    maximize_matches: bool = False,
    tiers: Sequence[Tier] = (),
    scale: float | None = None,
) -> FlowSolution:
    """Best assignment of mentees to mentors over the given edges (each mentee at most once)."""
    n_mentors = len(capacity)
    scale = scale or cost_scale(scores)
    integer_scores = np.rint(scores * scale).astype(np.int64)
    mentor_of = np.full(n_mentees, -1, dtype=np.int64)
    usable = capacity[mentors] > 0
    if not usable.any():
        return FlowSolution(mentor_of, integer_scores, scale, "OPTIMAL")
    e_mentee, e_mentor = mentees[usable], mentors[usable]
    e_cost = -integer_scores[usable]
    source, sink = n_mentees + n_mentors, n_mentees + n_mentors + 1
    people = np.unique(e_mentee)
    supply = len(people)
    mentor_nodes = n_mentees + np.arange(n_mentors, dtype=np.int64)
    sink_nodes = np.full(n_mentors, sink, dtype=np.int64)
    tails: list[IntArray] = [np.full(supply, source, dtype=np.int64), e_mentee]
    heads: list[IntArray] = [people, n_mentees + e_mentor]
    caps: list[IntArray] = [np.ones(supply, dtype=np.int64), np.ones(len(e_mentee), np.int64)]
    costs: list[IntArray] = [np.zeros(supply, dtype=np.int64), e_cost]

    def add_arcs(tail: IntArray, head: IntArray, cap: IntArray, cost: IntArray) -> None:
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)

    if not maximize_matches:
        one = np.ones(1, dtype=np.int64)
        add_arcs(source * one, sink * one, supply * one, 0 * one)
    remaining = capacity.astype(np.int64).copy()
    for tier in tiers:
        units = np.minimum(tier.units, remaining).astype(np.int64)
        remaining -= units
        bonus = np.full(n_mentors, -round(tier.bonus * scale), dtype=np.int64)
        add_arcs(mentor_nodes, sink_nodes, units, bonus)
    add_arcs(mentor_nodes, sink_nodes, remaining, np.zeros(n_mentors, dtype=np.int64))
    flow = SimpleMinCostFlow()
    first_pair_arc = supply
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve_max_flow_with_min_cost() if maximize_matches else flow.solve()
    if status != SimpleMinCostFlow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status!r}")
    arcs = np.arange(first_pair_arc, first_pair_arc + len(e_mentee))
    used = flow.flows(arcs) > 0
    mentor_of[e_mentee[used]] = e_mentor[used]
    return FlowSolution(mentor_of, integer_scores, scale, "OPTIMAL")
