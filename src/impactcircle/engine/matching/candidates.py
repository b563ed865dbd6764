"""The candidate graph: for every mentee, its best feasible mentors with exact scores.

Small and medium pools (mentees × mentors up to ``exact_limit``) use exact blocked matrix
products with the hard rules applied inside each block, so each mentee keeps its ``k`` best
feasible mentors (all of them when it has fewer) and every non-candidate pair scores at most
the mentee's ``tail``. Larger pools retrieve ``2k`` mentors per mentee from a faiss inverted-file
index, rescore them exactly, drop those that break a rule and fall back to an exact scan for any
mentee left without a candidate, so a mentee with any feasible mentor always keeps some.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from impactcircle.engine.matching.features import INFEASIBLE, FeatureSpace
from impactcircle.engine.matching.problem import Problem
from impactcircle.engine.matching.rules import RuleSet
from impactcircle.engine.text.index import ClusteredIndex, block_rows, top_k_rows

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
EXACT_LIMIT = 400_000_000


@dataclass(frozen=True, slots=True)
class CandidateGraph:
    """Edges sorted by mentee, then by score (best first)."""

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


def best_reduced_scores(
    features: FeatureSpace, rules: RuleSet, prices: FloatArray
) -> tuple[FloatArray, IntArray]:
    """Per mentee, the largest ``score - price`` over all feasible mentors, and that mentor.

    One exact blocked pass (``-inf`` and ``-1`` for a mentee with no feasible mentor); used to
    price out pairs missing from the candidate graph and to certify the optimum.
    """
    m = features.n_mentees
    best = np.full(m, -np.inf)
    arg = np.full(m, -1, dtype=np.int64)
    shift = prices.astype(np.float32)[None, :]
    step = block_rows(m, features.n_mentors)
    for begin in range(0, m, step):
        rows = np.arange(begin, min(begin + step, m), dtype=np.int64)
        block = features.score_rows(rows)
        rules.mask_rows(block, rows)
        block -= shift
        where = block.argmax(axis=1)
        value = block[np.arange(len(rows)), where].astype(np.float64)
        ok = value > INFEASIBLE / 2
        best[rows[ok]] = value[ok]
        arg[rows[ok]] = where[ok]
    return best, arg


def _clustered(
    features: FeatureSpace, rules: RuleSet, k: int
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    queries, vectors = features.retrieval_vectors()
    lists = max(1, int(np.sqrt(features.n_mentors)))
    index = ClusteredIndex(vectors, lists=lists, probes=max(4, lists // 12))
    retrieve = min(2 * k, features.n_mentors)
    _, ids = index.search(queries, retrieve)
    rows = np.repeat(np.arange(features.n_mentees, dtype=np.int64), retrieve)
    cols = ids.reshape(-1)
    valid = cols >= 0
    ok = np.zeros(len(cols), dtype=np.bool_)
    ok[valid] = rules.feasible(rows[valid], cols[valid])
    score = np.full(len(cols), -np.inf)
    score[ok] = features.pair_scores(rows[ok], cols[ok])
    grid = score.reshape(features.n_mentees, retrieve).astype(np.float32)
    values, position = top_k_rows(grid, k)
    picked = np.take_along_axis(ids, position, axis=1)
    keep = np.isfinite(values)
    counts = keep.sum(axis=1)
    mentees = np.repeat(np.arange(features.n_mentees, dtype=np.int64), counts)
    mentors = picked[keep].astype(np.int64)
    scores = values[keep].astype(np.float64)
    empty = np.flatnonzero(counts == 0)
    if len(empty):
        extra = _exact_scan(features, rules, empty, k)
        mentees = np.concatenate([mentees, extra[0]])
        mentors = np.concatenate([mentors, extra[1]])
        scores = np.concatenate([scores, extra[2]])
    return mentees, mentors, scores, np.full(features.n_mentees, np.inf)


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
        order = np.lexsort((-scores, mentees))
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
    if m * n <= exact_limit:
        mentees, mentors, scores, tail = _exact_scan(
            features, rules, np.arange(m, dtype=np.int64), k
        )
        return _sorted_graph(mentees, mentors, scores, m, n, tail, exact=True, presorted=True)
    mentees, mentors, scores, tail = _clustered(features, rules, k)
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
