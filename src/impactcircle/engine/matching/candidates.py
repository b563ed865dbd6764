"""The candidate graph: for every mentee, its best feasible mentors with exact scores.

Small and medium pools (mentees × mentors up to ``exact_limit``) use exact blocked matrix
products with the hard rules applied inside each block, so each mentee keeps its ``k`` best
feasible mentors (all of them when it has fewer) and every non-candidate pair scores at most
the mentee's ``tail``; every mentor that is a candidate of fewer than ``2 × capacity + 8``
mentees also gets its best mentees (one more product over those mentors only).

Larger pools project the factor vectors onto their 64 principal axes, retrieve ``2k``
mentors per mentee from a faiss inverted-file index, rescore them exactly (faiss, no gather),
drop those that break a rule and keep the best ``k``; every mentor that is a candidate of fewer
than ``2 × capacity + 8`` mentees also retrieves that many of its best mentees the same way, so
capacity that nobody ranks first still gets candidates; any mentee left without a candidate
gets an exact scan, so a mentee with any feasible mentor always keeps some.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.features import INFEASIBLE, FeatureSpace
from impactcircle.engine.matching.problem import Problem
from impactcircle.engine.matching.rules import RuleSet
from impactcircle.engine.text.index import (
    ClusteredIndex,
    block_rows,
    principal_axes,
    subset_inner_products,
    top_k_rows,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FloatMatrix = npt.NDArray[np.float32]
IdMatrix = npt.NDArray[np.int64]
EXACT_LIMIT = 400_000_000
RETRIEVAL_DIMS = 64
PROBES = 8


@dataclass(frozen=True, slots=True)
class CandidateGraph:
    """Candidate edges, grouped by mentee (within a mentee, exact candidates come best first)."""

    mentee: IntArray
    mentor: IntArray
    score: FloatArray
    n_mentees: int
    n_mentors: int
    has_feasible: BoolArray
    tail: FloatArray
    exact: bool

    @property
    def n_edges(self) -> int:
        return len(self.mentee)

    def offsets(self) -> IntArray:
        """CSR row pointer: edges of mentee ``i`` are ``offsets[i]:offsets[i + 1]``."""
        counts = np.bincount(self.mentee, minlength=self.n_mentees)
        return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    def score_of(self, mentees: IntArray, mentors: IntArray) -> FloatArray:
        """Scores of the given pairs; ``nan`` where the pair is not a candidate."""
        keys = self.mentee * self.n_mentors + self.mentor
        order = np.argsort(keys, kind="stable")
        wanted = mentees * self.n_mentors + mentors
        position = np.searchsorted(keys[order], wanted)
        position = np.minimum(position, len(keys) - 1) if len(keys) else position
        out = np.full(len(wanted), np.nan)
        if len(keys):
            found = keys[order][position] == wanted
            out[found] = self.score[order][position[found]]
        return out


def _exact_scan(
    features: FeatureSpace, rules: RuleSet, rows: IntArray, k: int
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    mentees: list[IntArray] = []
    mentors: list[IntArray] = []
    scores: list[FloatArray] = []
    tails = np.full(len(rows), -np.inf)
    step = block_rows(len(rows), features.n_mentors)
    for begin in range(0, len(rows), step):
        block_ids = rows[begin : begin + step]
        block = features.score_rows(block_ids)
        rules.mask_rows(block, block_ids)
        values, ids = top_k_rows(block, k)
        keep = values > INFEASIBLE
        counts = keep.sum(axis=1)
        full = (counts == values.shape[1]) & (values.shape[1] < features.n_mentors)
        if values.shape[1]:
            tails[begin : begin + len(block_ids)][full] = values[full, -1]
        mentees.append(np.repeat(block_ids, counts))
        mentors.append(ids[keep])
        scores.append(values[keep].astype(np.float64))
    return (
        np.concatenate(mentees) if mentees else np.zeros(0, dtype=np.int64),
        np.concatenate(mentors) if mentors else np.zeros(0, dtype=np.int64),
        np.concatenate(scores) if scores else np.zeros(0),
        tails,
    )


def _mentor_side_exact(
    features: FeatureSpace,
    rules: RuleSet,
    capacity: IntArray,
    mentees: IntArray,
    mentors: IntArray,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Best mentees of every mentor that is a candidate of too few mentees (exact)."""
    m, n = features.n_mentees, features.n_mentors
    reach = np.minimum(2 * capacity + 8, m)
    degree = np.bincount(mentors, minlength=n)
    thin = np.flatnonzero((degree < reach) & (capacity > 0))
    if not len(thin):
        return mentees[:0], mentors[:0], np.zeros(0)
    r = int(reach[thin].max())
    keys = rules.excluded_keys
    out_rows: list[IntArray] = []
    out_cols: list[IntArray] = []
    out_scores: list[FloatArray] = []
    step = block_rows(len(thin), m)
    for begin in range(0, len(thin), step):
        cols = thin[begin : begin + step]
        block = features.score_mentors(cols)
        _mask_subset(block.T, keys, n, np.arange(m, dtype=np.int64), cols)
        values, ids = top_k_rows(block, r)
        keep = (values > INFEASIBLE) & (np.arange(r)[None, :] < reach[cols][:, None])
        out_rows.append(ids[keep])
        out_cols.append(np.repeat(cols, keep.sum(axis=1)))
        out_scores.append(values[keep].astype(np.float64))
    rows, cols_all = np.concatenate(out_rows), np.concatenate(out_cols)
    is_thin = np.zeros(n, dtype=np.bool_)
    is_thin[thin] = True
    known = is_thin[mentors]
    fresh = ~np.isin(rows * n + cols_all, mentees[known] * n + mentors[known])
    return rows[fresh], cols_all[fresh], np.concatenate(out_scores)[fresh]


def _mask_subset(
    block: FloatMatrix, keys: IntArray, n: int, rows: IntArray, cols: IntArray
) -> None:
    """Set ``block[r, c]`` to ``-inf`` where (rows[r], cols[c]) is an excluded key (sorted ids)."""
    owners, mentors = keys // n, keys % n
    in_cols = np.zeros(n, dtype=np.bool_)
    in_cols[cols] = True
    hit = in_cols[mentors]
    hit[hit] = np.isin(owners[hit], rows)
    if hit.any():
        block[np.searchsorted(rows, owners[hit]), np.searchsorted(cols, mentors[hit])] = -np.inf


def best_reduced_scores(
    features: FeatureSpace,
    rules: RuleSet,
    prices: FloatArray,
    rows: IntArray | None = None,
    cols: IntArray | None = None,
) -> tuple[FloatArray, IntArray]:
    """Per mentee, the largest ``score - price`` over feasible mentors, and that mentor.

    Over ``rows`` × ``cols`` (sorted; default all); ``-inf`` and ``-1`` elsewhere or where a
    mentee has no feasible mentor. Used to price out pairs missing from the candidate graph and
    to certify the optimum.
    """
    m = features.n_mentees
    rows = np.arange(m, dtype=np.int64) if rows is None else rows
    cols = np.arange(features.n_mentors, dtype=np.int64) if cols is None else cols
    best = np.full(m, -np.inf)
    arg = np.full(m, -1, dtype=np.int64)
    if not len(rows) or not len(cols):
        return best, arg
    shift = prices[cols].astype(np.float32)[None, :]
    step = block_rows(len(rows), len(cols))
    for begin in range(0, len(rows), step):
        ids = rows[begin : begin + step]
        block = features.score_pairs(ids, cols)
        _mask_subset(block, rules.excluded_keys, features.n_mentors, ids, cols)
        block -= shift
        where = block.argmax(axis=1)
        value = block[np.arange(len(ids)), where].astype(np.float64)
        ok = value > INFEASIBLE / 2
        best[ids[ok]] = value[ok]
        arg[ids[ok]] = cols[where[ok]]
    return best, arg


def _exact_subset(
    features: FeatureSpace,
    rules: RuleSet,
    mentees: IntArray,
    ids: IdMatrix,
    mentor_side: bool = False,
) -> FloatMatrix:
    """Exact scores of ``mentees[r]`` × ``ids[r, c]`` (roles swapped when ``mentor_side``).

    Infeasible pairs get ``-inf``.
    """
    if mentor_side:
        lin = subset_inner_products(features.mentee_linear, features.mentor_linear[mentees], ids)
    else:
        lin = subset_inner_products(features.mentor_linear, features.mentee_linear[mentees], ids)
    if features.meaning_weight and features.mentee_goal.shape[1]:
        if mentor_side:
            cosine = subset_inner_products(
                features.mentee_goal, features.mentor_expertise[mentees], ids
            )
        else:
            cosine = subset_inner_products(
                features.mentor_expertise, features.mentee_goal[mentees], ids
            )
        lin += np.float32(features.meaning_weight) * np.maximum(cosine, 0.0)
    n = features.n_mentors
    rows = np.broadcast_to(mentees[:, None], ids.shape)
    keys = ids * n + rows if mentor_side else rows * n + ids
    position = np.searchsorted(rules.excluded_keys, keys)
    if len(rules.excluded_keys):
        found = rules.excluded_keys[np.minimum(position, len(rules.excluded_keys) - 1)] == keys
        lin[found] = -np.inf
    lin[(ids < 0) | (lin <= INFEASIBLE)] = -np.inf
    return lin


def _retrieval(features: FeatureSpace, dims: int) -> tuple[FloatMatrix, FloatMatrix]:
    """Factor columns plus weighted embeddings, projected to ``dims`` principal axes.

    The rule penalty columns are left out (rules are checked when rescoring); the mentee side is
    projected block by block so no widened copy of the mentee matrix is made.
    """
    factors = features.factor_slices["rules"].start
    weight = np.float32(features.meaning_weight)
    mentors = np.hstack([features.mentor_linear[:, :factors], features.mentor_expertise])
    if mentors.shape[1] <= dims:
        mentees = np.hstack([features.mentee_linear[:, :factors], weight * features.mentee_goal])
        return np.ascontiguousarray(mentees), np.ascontiguousarray(mentors)
    axes = principal_axes(mentors, dims)
    projected = features.mentee_linear[:, :factors] @ axes[:factors]
    if features.mentee_goal.shape[1]:
        projected += weight * (features.mentee_goal @ axes[factors:])
    return np.ascontiguousarray(projected), np.ascontiguousarray(mentors @ axes)


def _clustered(
    features: FeatureSpace, rules: RuleSet, k: int, capacity: IntArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    m, n = features.n_mentees, features.n_mentors
    mentee_vectors, mentor_vectors = _retrieval(features, RETRIEVAL_DIMS)
    lists = max(1, int(np.sqrt(n)))
    index = ClusteredIndex(mentor_vectors, lists=lists, probes=min(lists, PROBES))
    _, ids = index.search(mentee_vectors, min(2 * k, n))
    all_rows = np.arange(m, dtype=np.int64)
    grid = _exact_subset(features, rules, all_rows, ids)
    values, position = top_k_rows(grid, k)
    picked = np.take_along_axis(ids, position, axis=1)
    keep = np.isfinite(values)
    mentees = [np.repeat(all_rows, keep.sum(axis=1))]
    mentors = [picked[keep]]
    scores = [values[keep].astype(np.float64)]
    # Mentor side: thinly covered mentors also propose their best mentees, so capacity nobody ranks
    # highly still gets candidates.
    reach = np.minimum(2 * capacity + 8, m)
    degree = np.bincount(mentors[0], minlength=n)
    mentor_rows = np.flatnonzero((degree < reach) & (capacity > 0)).astype(np.int64)
    if not len(mentor_rows):
        mentor_rows = np.arange(1, dtype=np.int64)
    mentee_lists = max(1, int(np.sqrt(m)))
    reverse = ClusteredIndex(mentee_vectors, lists=mentee_lists, probes=min(mentee_lists, PROBES))
    _, back = reverse.search(mentor_vectors[mentor_rows], int(reach.max(initial=1)))
    back_scores = _exact_subset(features, rules, mentor_rows, back, mentor_side=True)
    back_scores[np.arange(back.shape[1])[None, :] >= reach[mentor_rows][:, None]] = -np.inf
    ok = np.isfinite(back_scores)
    mentees.append(back[ok])
    mentors.append(np.repeat(mentor_rows, ok.sum(axis=1)))
    scores.append(back_scores[ok].astype(np.float64))
    all_mentees = np.concatenate(mentees)
    all_mentors = np.concatenate(mentors)
    all_scores = np.concatenate(scores)
    _, first = np.unique(all_mentees * n + all_mentors, return_index=True)
    all_mentees, all_mentors, all_scores = all_mentees[first], all_mentors[first], all_scores[first]
    covered = np.zeros(m, dtype=np.bool_)
    covered[all_mentees] = True
    empty = np.flatnonzero(~covered)
    if len(empty):
        extra = _exact_scan(features, rules, empty, k)
        all_mentees = np.concatenate([all_mentees, extra[0]])
        all_mentors = np.concatenate([all_mentors, extra[1]])
        all_scores = np.concatenate([all_scores, extra[2]])
    return all_mentees, all_mentors, all_scores, np.full(m, np.inf)


def _sorted_graph(
    mentees: IntArray,
    mentors: IntArray,
    scores: FloatArray,
    n_mentees: int,
    n_mentors: int,
    tail: FloatArray,
    exact: bool,
    presorted: bool = False,
) -> CandidateGraph:
    if not presorted:
        order = np.argsort(mentees, kind="stable")
        mentees, mentors, scores = mentees[order], mentors[order], scores[order]
    has = np.zeros(n_mentees, dtype=np.bool_)
    has[mentees] = True
    return CandidateGraph(mentees, mentors, scores, n_mentees, n_mentors, has, tail, exact)


def profile_candidates(
    problem: Problem,
    features: FeatureSpace,
    rules: RuleSet,
    k: int | None = None,
    exact_limit: int = EXACT_LIMIT,
) -> CandidateGraph:
    """Candidates for a profile problem (see the module docstring for the guarantees)."""
    k = max(1, k or problem.candidates_per_mentee)
    m, n = features.n_mentees, features.n_mentors
    capacity = np.array([p.capacity for p in problem.mentors], dtype=np.int64)
    if m * n <= exact_limit:
        mentees, mentors, scores, tail = _exact_scan(
            features, rules, np.arange(m, dtype=np.int64), k
        )
        extra = _mentor_side_exact(features, rules, capacity, mentees, mentors)
        if not len(extra[0]):
            return _sorted_graph(mentees, mentors, scores, m, n, tail, exact=True, presorted=True)
        mentees = np.concatenate([mentees, extra[0]])
        mentors = np.concatenate([mentors, extra[1]])
        scores = np.concatenate([scores, extra[2]])
        return _sorted_graph(mentees, mentors, scores, m, n, tail, exact=True)
    mentees, mentors, scores, tail = _clustered(features, rules, k, capacity)
    return _sorted_graph(mentees, mentors, scores, m, n, tail, exact=False)


def listed_candidates(problem: Problem) -> CandidateGraph:
    """Candidates for explicit pair scores: exactly the listed pairs that are not forbidden."""
    mentee_index = {p.id: i for i, p in enumerate(problem.mentees)}
    mentor_index = {p.id: j for j, p in enumerate(problem.mentors)}
    forbidden = set(problem.forbidden)
    listed = [
        (mentee_index[e], mentor_index[m], float(s))
        for e, m, s in problem.pair_scores or ()
        if (e, m) not in forbidden
    ]
    mentees = np.array([row[0] for row in listed], dtype=np.int64)
    mentors = np.array([row[1] for row in listed], dtype=np.int64)
    scores = np.array([row[2] for row in listed], dtype=np.float64)
    m, n = len(problem.mentees), len(problem.mentors)
    return _sorted_graph(mentees, mentors, scores, m, n, np.full(m, -np.inf), True)
