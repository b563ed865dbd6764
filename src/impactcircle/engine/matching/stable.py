"""The ``stable`` solver: mentee-proposing deferred acceptance with mentor capacities.

Each mentee proposes down their list; a mentor holds the best ``capacity`` proposals so far in a
heap keyed by their own ranking, so every proposal costs O(log capacity). The result is the
mentee-optimal stable matching on the acceptable pairs (the candidate graph, or the pairs on the
given preference lists). The certificate counts blocking pairs with a vectorised check over all
acceptable pairs; it is 0 by construction.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.candidates import CandidateGraph

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def rank_within(groups: IntArray, order_keys: Sequence[npt.NDArray[np.generic]]) -> IntArray:
    """Position of each edge inside its group when sorted by ``order_keys`` (last key major)."""
    order = np.lexsort((*order_keys, groups))
    ranks = np.empty(len(groups), dtype=np.int64)
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    ranks[order] = np.arange(len(groups)) - first
    return ranks


def preference_ranks(
    graph: CandidateGraph,
    mentee_lists: Mapping[int, Sequence[int]],
    mentor_lists: Mapping[int, Sequence[int]],
) -> tuple[IntArray, IntArray, BoolArray]:
    """Ranks of every candidate edge on both sides and which edges both sides accept.

    A side without a list ranks by score (ties by index); a side with a list accepts only the
    pairs on it, in that order.
    """
    n = graph.n_edges
    index = np.arange(n)
    mentee_rank = rank_within(graph.mentee, (index, -graph.score))
    mentor_rank = rank_within(graph.mentor, (graph.mentee, -graph.score))
    acceptable = np.ones(n, dtype=np.bool_)
    for side, lists, other, rank in (
        ("mentee", mentee_lists, graph.mentor, mentee_rank),
        ("mentor", mentor_lists, graph.mentee, mentor_rank),
    ):
        owner = graph.mentee if side == "mentee" else graph.mentor
        if not lists:
            continue
        by_owner = np.argsort(owner, kind="stable")
        bounds = np.searchsorted(owner[by_owner], np.arange(max(lists) + 2))
        for person, ranking in lists.items():
            position = {peer: place for place, peer in enumerate(ranking)}
            for edge in by_owner[bounds[person] : bounds[person + 1]].tolist():
                place = position.get(int(other[edge]))
                if place is None:
                    acceptable[edge] = False
                else:
                    rank[edge] = place
    return mentee_rank, mentor_rank, acceptable


def deferred_acceptance(
    graph: CandidateGraph,
    capacity: IntArray,
    active: BoolArray,
    mentee_rank: IntArray,
    mentor_rank: IntArray,
    acceptable: BoolArray,
) -> IntArray:
    """Mentee-proposing deferred acceptance; returns the mentor index per mentee (or -1)."""
    usable = acceptable & active[graph.mentee] & (capacity[graph.mentor] > 0)
    edges = np.flatnonzero(usable)
    edges = edges[np.lexsort((mentee_rank[edges], graph.mentee[edges]))]
    owners = graph.mentee[edges]
    starts = np.searchsorted(owners, np.arange(graph.n_mentees + 1))
    mentor_list = graph.mentor[edges].tolist()
    rank_list = mentor_rank[edges].tolist()
    start_list = starts.tolist()
    caps = capacity.tolist()
    pointer = start_list[:-1].copy()
    ends = start_list[1:]
    heaps: list[list[tuple[int, int]]] = [[] for _ in range(graph.n_mentors)]
    free = [i for i in range(graph.n_mentees) if pointer[i] < ends[i]]
    while free:
        mentee = free.pop()
        while pointer[mentee] < ends[mentee]:
            position = pointer[mentee]
            pointer[mentee] += 1
            mentor, rank = mentor_list[position], rank_list[position]
            heap = heaps[mentor]
            if len(heap) < caps[mentor]:
                heapq.heappush(heap, (-rank, mentee))
                break
            if -heap[0][0] > rank:
                _, dropped = heapq.heapreplace(heap, (-rank, mentee))
                free.append(dropped)
                break
    mentor_of = np.full(graph.n_mentees, -1, dtype=np.int64)
    for mentor, heap in enumerate(heaps):
        for _, mentee in heap:
            mentor_of[mentee] = mentor
    return mentor_of


def count_blocking_pairs(
    graph: CandidateGraph,
    mentor_of: IntArray,
    capacity: IntArray,
    active: BoolArray,
    mentee_rank: IntArray,
    mentor_rank: IntArray,
    acceptable: BoolArray,
) -> int:
    """Acceptable pairs (i, j) where i prefers j to their match and j has room or prefers i."""
    usable = acceptable & active[graph.mentee] & (capacity[graph.mentor] > 0)
    held = usable & (mentor_of[graph.mentee] == graph.mentor)
    own_rank = np.full(graph.n_mentees, np.iinfo(np.int64).max)
    own_rank[graph.mentee[held]] = mentee_rank[held]
    load = np.bincount(graph.mentor[held], minlength=graph.n_mentors)
    worst = np.full(graph.n_mentors, -1, dtype=np.int64)
    np.maximum.at(worst, graph.mentor[held], mentor_rank[held])
    wants = usable & ~held & (mentee_rank < own_rank[graph.mentee])
    room = load[graph.mentor] < capacity[graph.mentor]
    prefers = mentor_rank < worst[graph.mentor]
    return int((wants & (room | prefers)).sum())


def solve_stable(
    graph: CandidateGraph,
    capacity: IntArray,
    active: BoolArray,
    mentee_lists: Mapping[int, Sequence[int]] | None = None,
    mentor_lists: Mapping[int, Sequence[int]] | None = None,
) -> tuple[IntArray, dict[str, object]]:
    mentee_rank, mentor_rank, acceptable = preference_ranks(
        graph, mentee_lists or {}, mentor_lists or {}
    )
    mentor_of = deferred_acceptance(graph, capacity, active, mentee_rank, mentor_rank, acceptable)
    blocking = count_blocking_pairs(
        graph, mentor_of, capacity, active, mentee_rank, mentor_rank, acceptable
    )
    certificate: dict[str, object] = {
        "method": "mentee-proposing deferred acceptance",
        "blocking_pairs": blocking,
        "acceptable_pairs": int(acceptable.sum()),
        "preferences": "given" if mentee_lists or mentor_lists else "by score",
    }
    return mentor_of, certificate
