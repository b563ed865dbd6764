"""The ``greedy`` baseline: take the highest-scoring remaining pair while capacity allows."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.candidates import CandidateGraph

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def solve_greedy(
    graph: CandidateGraph, capacity: IntArray, active: BoolArray
) -> tuple[IntArray, dict[str, object]]:
    keep = np.flatnonzero(active[graph.mentee] & (capacity[graph.mentor] > 0))
    order = keep[np.argsort(-graph.score[keep], kind="stable")]
    mentor_of = np.full(graph.n_mentees, -1, dtype=np.int64)
    room = np.maximum(capacity, 0).astype(np.int64).tolist()
    taken = [False] * graph.n_mentees
    slots = min(sum(room), int(active.sum()))
    for mentee, mentor in zip(
        graph.mentee[order].tolist(), graph.mentor[order].tolist(), strict=True
    ):
        if slots == 0:
            break
        if not taken[mentee] and room[mentor] > 0:
            taken[mentee] = True
            room[mentor] -= 1
            slots -= 1
            mentor_of[mentee] = mentor
    return mentor_of, {"method": "greedy by descending score", "guarantee": "none (baseline)"}
