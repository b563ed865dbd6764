"""Ranking by words, in memory: BM25 over each document's title and body.

The live index (live_index.py) gives every document a row; this keeps, per row, the stems of its
words and their weighted counts (a title word counts `TITLE_WEIGHT` times), and an inverted index
from stems to rows. Scoring a query is a few numpy operations over the postings of its stems:
a word 40,000 of 105,000 profiles contain ranks in about a millisecond, where the database's
full-text engines (FTS5, tsvector) spent 40–50 ms reading and ranking every match.

Postings are rebuilt in one pass when many rows changed (the first load, a reindex); a few
changed rows since then are scored from their own stems, beside the postings, which skip them.
Words are lower-cased, cut at letters and digits, stop words dropped (the query's list,
terms.py) and reduced to their Snowball English stem, so "reducing" and "reduction" meet.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from impactcircle.core.search.terms import MAX_TERM_LENGTH, STOPWORDS, WORD, QueryTerms, stem

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 4  # as the full-text engines weighed names and titles before
MIN_PREFIX_LENGTH = 3
# Rows changed since the postings were built, scored one by one; past this the postings are
# rebuilt (about 0.3 s at 105,000 documents).
MAX_CHANGED_ROWS = 2000
MAX_CACHED_LINES = 200_000

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]


@dataclass(frozen=True)
class _Postings:
    """Every (stem, row, weighted count) of the rows indexed at one build, sorted by stem."""

    starts: IntArray  # stem id → first entry (length: number of stems + 1)
    rows: Int32Array
    counts: npt.NDArray[np.float32]

    @classmethod
    def empty(cls) -> _Postings:
        return cls(np.zeros(1, dtype=np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))

    def of(self, term: int) -> tuple[Int32Array, npt.NDArray[np.float32]]:
        if term + 1 >= len(self.starts):
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        begin, end = self.starts[term], self.starts[term + 1]
        return self.rows[begin:end], self.counts[begin:end]


class WordIndex:
    """Stems per row and BM25 scores of queries; the caller (LiveIndex) holds the lock."""

    def __init__(self) -> None:
        self._vocabulary: dict[str, int] = {}  # stem → id
        self._word_ids: dict[str, int] = {}  # word as written (lower case) → stem id, -1: stop
        self._lines: dict[str, tuple[tuple[int, int], ...]] = {}
        self._sorted_vocabulary: list[str] | None = None
        self._terms: list[Int32Array | None] = []  # per row: stem ids
        self._counts: list[npt.NDArray[np.float32] | None] = []  # per row: weighted counts
        self._lengths = np.zeros(0, dtype=np.float32)
        self._postings = _Postings.empty()
        self._changed: set[int] = set()  # rows changed since the postings were built
        self._changed_postings: tuple[_Postings, npt.NDArray[np.bool_]] | None = None
        self._live = 0
        self._total_length = 0.0

    def __len__(self) -> int:
        return self._live

    def _grow(self, rows: int) -> None:
        if rows > len(self._terms):
            extra = max(rows, 2 * len(self._terms), 1024) - len(self._terms)
            self._terms.extend([None] * extra)
            self._counts.extend([None] * extra)
            self._lengths = np.concatenate([self._lengths, np.zeros(extra, dtype=np.float32)])

    def _line(self, line: str) -> tuple[tuple[int, int], ...]:
        """(stem id, count) of one line's words. Documents are written a fact a line, and
        lines repeat across documents ("Data analysis (Expert)", "Speaks English, German"), so
        each distinct line is read once while it stays in a bounded cache."""
        found = self._lines.get(line)
        if found is None:
            known = self._word_ids
            counts: Counter[int] = Counter()
            for word in WORD.findall(line.lower()):
                key = known.get(word)
                if key is None:
                    key = known[word] = self._resolve(word)
                if key >= 0:
                    counts[key] += 1
            found = tuple(counts.items())
            if len(self._lines) >= MAX_CACHED_LINES:
                self._lines.clear()
            self._lines[line] = found
        return found

    def _weights(self, title: str, body: str) -> dict[int, float]:
        """Stem id → weighted count in a document (stop words dropped)."""
        weighted: dict[int, float] = {}
        for line in body.split("\n"):
            for key, count in self._line(line):
                weighted[key] = weighted.get(key, 0.0) + count
        for key, count in self._line(title):
            weighted[key] = weighted.get(key, 0.0) + TITLE_WEIGHT * count
        return weighted

    def _resolve(self, word: str) -> int:
        if word in STOPWORDS:
            return -1
        term = stem(word[:MAX_TERM_LENGTH])
        found = self._vocabulary.get(term)
        if found is None:
            found = self._vocabulary[term] = len(self._vocabulary)
            self._sorted_vocabulary = None
        return found

    def set_row(self, row: int, title: str, body: str) -> None:
        """Index a row's text (replacing what it held)."""
        self.clear_row(row)
        weighted = self._weights(title, body)
        self._grow(row + 1)
        self._terms[row] = np.fromiter(weighted, dtype=np.int32, count=len(weighted))
        counts = np.fromiter(weighted.values(), dtype=np.float32, count=len(weighted))
        self._counts[row] = counts
        length = float(counts.sum())
        self._lengths[row] = length
        self._total_length += length
        self._live += 1
        self._changed.add(row)
        self._changed_postings = None

    def clear_row(self, row: int) -> None:
        if row < len(self._terms) and self._terms[row] is not None:
            self._total_length -= float(self._lengths[row])
            self._lengths[row] = 0.0
            self._terms[row] = None
            self._counts[row] = None
            self._live -= 1
            self._changed.add(row)
            self._changed_postings = None

    # -- postings ------------------------------------------------------------------------------

    def _build(self, rows: list[int]) -> _Postings:
        held = [row for row in rows if self._terms[row] is not None]
        if not held:
            return _Postings.empty()
        term_lists = [found for row in held if (found := self._terms[row]) is not None]
        count_lists = [weights for row in held if (weights := self._counts[row]) is not None]
        terms = np.concatenate(term_lists)
        counts = np.concatenate(count_lists)
        sizes = np.fromiter((len(found) for found in term_lists), np.int64, len(term_lists))
        owners = np.repeat(np.asarray(held, dtype=np.int32), sizes)
        order = np.argsort(terms, kind="stable")
        starts = np.searchsorted(terms[order], np.arange(len(self._vocabulary) + 1))
        return _Postings(starts.astype(np.int64), owners[order], counts[order])

    def _fresh_postings(self) -> tuple[_Postings, _Postings, npt.NDArray[np.bool_]]:
        """The postings of every row, those of the rows changed since, and which rows those
        are (their entries in the first are stale)."""
        if len(self._changed) > MAX_CHANGED_ROWS or (self._live and not len(self._postings.rows)):
            self._postings = self._build(list(range(len(self._terms))))
            self._changed = set()
            self._changed_postings = None
        if self._changed_postings is None:
            changed = np.zeros(len(self._terms), dtype=bool)
            if self._changed:
                changed[list(self._changed)] = True
            self._changed_postings = (self._build(sorted(self._changed)), changed)
        return self._postings, *self._changed_postings

    def settle(self) -> None:
        """Bring the postings up to date now (after a load), so no query has to."""
        self._fresh_postings()

    # -- answering -----------------------------------------------------------------------------

    def _query_terms(self, terms: QueryTerms) -> list[list[int]]:
        """Per query word, the stem ids it matches: its stem, and for the last word (still
        being typed) every stem that starts with it."""
        matched: list[list[int]] = []
        for position, word in enumerate(terms.words):
            ids = {self._vocabulary[s] for s in [stem(word)] if s in self._vocabulary}
            if position == len(terms.words) - 1 and len(word) >= MIN_PREFIX_LENGTH:
                if self._sorted_vocabulary is None:
                    self._sorted_vocabulary = sorted(self._vocabulary)
                vocabulary = self._sorted_vocabulary
                at = bisect.bisect_left(vocabulary, word)
                while at < len(vocabulary) and vocabulary[at].startswith(word):
                    ids.add(self._vocabulary[vocabulary[at]])
                    at += 1
            if ids:
                matched.append(sorted(ids))
        return matched

    def scores(self, terms: QueryTerms, size: int) -> npt.NDArray[np.float64]:
        """BM25 of every row (0 where no word matches), over the first `size` rows."""
        total = np.zeros(size, dtype=np.float64)
        if not self._live:
            return total
        postings, changed_postings, changed = self._fresh_postings()
        average = self._total_length / self._live
        lengths = self._lengths
        for ids in self._query_terms(terms):
            # One query word: the best of the stems it matches, per row (a prefix may match
            # several forms of a word in one document).
            word = np.zeros(size, dtype=np.float64)
            for term in ids:
                rows_old, counts_old = postings.of(term)
                keep = ~changed[rows_old]
                rows_new, counts_new = changed_postings.of(term)
                rows = np.concatenate([rows_old[keep], rows_new])
                counts = np.concatenate([counts_old[keep], counts_new]).astype(np.float64)
                if not len(rows):
                    continue
                idf = np.log1p((self._live - len(rows) + 0.5) / (len(rows) + 0.5))
                norm = K1 * (1.0 - B + B * lengths[rows] / average)
                values = idf * counts * (K1 + 1.0) / (counts + norm)
                if len(ids) == 1:  # a row holds a stem once: no overlap to resolve
                    word[rows] = values
                else:
                    np.maximum.at(word, rows, values)
            total += word
        return total
