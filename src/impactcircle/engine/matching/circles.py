"""The ``circles`` solver: group mentoring, each mentor leads one circle of min..max mentees.

1. A min-cost flow assigns mentees to circles (at most ``max_size`` each), with a bonus for the
   first ``min_size`` places of every circle so that circles fill to their minimum first.
2. Each circle gets a theme: the normalised mean profile of its members (goal embedding plus
   values, causes, goal skills and hours). Scores are re-weighted as
   ``(1 − θ) · pair score + θ · 100 · similarity(mentee, theme)`` and the flow is solved again.
3. While a circle has fewer than ``min_size`` members, the weakest such circles (fewest members,
   then lowest total) are dissolved and the flow is solved again without them, so their people
   move to other circles or end up unmatched. Every circle in the result respects both bounds
   (a circle held open only by locked members is reported, never dissolved).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.candidates import CandidateGraph
from impactcircle.engine.matching.flow import Tier, assign_by_flow, cost_scale
from impactcircle.engine.matching.problem import CircleSettings

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FloatMatrix = npt.NDArray[np.float32]


def _themes(profiles: FloatMatrix, mentor_of: IntArray, n_mentors: int) -> FloatMatrix:
    themes = np.zeros((n_mentors, profiles.shape[1]), dtype=np.float32)
    members = np.flatnonzero(mentor_of >= 0)
    np.add.at(themes, mentor_of[members], profiles[members])
    norms = np.linalg.norm(themes, axis=1, keepdims=True)
    np.divide(themes, norms, out=themes, where=norms > 0)
    return themes


def solve_circles(
    graph: CandidateGraph,
    active: BoolArray,
    settings: CircleSettings,
    locked_load: IntArray,
    profiles: FloatMatrix | None = None,
) -> tuple[IntArray, dict[str, object]]:
    """Mentor index (circle) per mentee, or -1, plus a certificate describing the circles."""
    n_mentors = graph.n_mentors
    low, high = settings.min_size, settings.max_size
    room = np.maximum(high - locked_load, 0).astype(np.int64)
    keep = active[graph.mentee]
    mentees, mentors, base = graph.mentee[keep], graph.mentor[keep], graph.score[keep]
    scale = cost_scale(base)
    bonus = float(np.abs(base).max(initial=0.0)) + 1.0
    need = np.maximum(low - locked_load, 0).astype(np.int64)
    scores = base

    def solve(open_room: IntArray) -> IntArray:
        tiers = [Tier(units=np.minimum(need, open_room), bonus=bonus)]
        return assign_by_flow(
            mentees, mentors, scores, graph.n_mentees, open_room, tiers=tiers, scale=scale
        ).mentor_of

    mentor_of = solve(room)
    theme_similarity = np.zeros(len(mentees))
    if profiles is not None and settings.theme_weight > 0 and len(mentees):
        themes = _themes(profiles, mentor_of, n_mentors)
        theme_similarity = np.einsum("ij,ij->i", profiles[mentees], themes[mentors]).astype(
            np.float64
        )
        weight = settings.theme_weight
        scores = (1 - weight) * base + weight * 100.0 * np.maximum(theme_similarity, 0.0)
        mentor_of = solve(room)

    dissolved: list[int] = []
    locked_circle = locked_load > 0
    while True:
        size = np.bincount(mentor_of[mentor_of >= 0], minlength=n_mentors) + locked_load
        short = np.flatnonzero((size > 0) & (size < low) & ~locked_circle)
        if not len(short):
            break
        on_edge = mentor_of[mentees] == mentors
        totals = np.bincount(mentors[on_edge], weights=base[on_edge], minlength=n_mentors)
        weakest = short[np.lexsort((totals[short], size[short]))]
        chosen = weakest[: max(1, len(weakest) // 4)]
        dissolved.extend(chosen.tolist())
        room[chosen] = 0
        mentor_of = solve(room)

    size = np.bincount(mentor_of[mentor_of >= 0], minlength=n_mentors) + locked_load
    formed = size > 0
    on_edge = mentor_of[mentees] == mentors
    certificate: dict[str, object] = {
        "method": "min-cost flow with minimum-fill bonus, themes, and dissolution",
        "min_size": low,
        "max_size": high,
        "theme_weight": settings.theme_weight if profiles is not None else 0.0,
        "circles_formed": int(formed.sum()),
        "circles_dissolved": len(dissolved),
        "dissolved": dissolved,
        "smallest_circle": int(size[formed].min()) if formed.any() else 0,
        "largest_circle": int(size[formed].max()) if formed.any() else 0,
        "below_minimum_held_by_locks": int(((size < low) & formed & locked_circle).sum()),
        "mean_theme_similarity": round(float(theme_similarity[on_edge].mean()), 4)
        if on_edge.any()
        else 0.0,
    }
    return mentor_of, certificate
