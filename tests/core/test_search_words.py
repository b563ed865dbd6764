"""core.search.words: BM25 over stems in memory, kept in step row by row."""

from __future__ import annotations

import numpy as np
import pytest

from impactcircle.core.search import words
from impactcircle.core.search.terms import QueryTerms, stem
from impactcircle.core.search.words import WordIndex


def _ranked(index: WordIndex, text: str, size: int) -> list[int]:
    scores = index.scores(QueryTerms.parse(text), size)
    found = np.flatnonzero(scores > 0)
    return [int(row) for row in found[np.argsort(-scores[found], kind="stable")]]


def test_words_meet_across_forms_and_stop_words_are_not_indexed() -> None:
    assert stem("sustainable") == stem("sustainability") == stem("sustaining")
    index = WordIndex()
    index.set_row(0, "", "Who knows about REDUCING the emissions?")

    assert index._terms[0] is not None
    assert sorted(index._vocabulary) == ["emiss", "reduc"]
    assert _ranked(index, "reduce emission", 1) == [0]


def test_a_word_finds_its_other_forms_and_the_last_word_is_a_prefix() -> None:
    index = WordIndex()
    index.set_row(0, "", "We reduce emissions from trucks")
    index.set_row(1, "", "Sustainability reporting")
    index.set_row(2, "", "Payroll")

    assert _ranked(index, "reducing emission", 3) == [0]
    assert _ranked(index, "sustain", 3) == [1]  # still being typed
    assert sorted(_ranked(index, "payroll sustain", 3)) == [1, 2]  # any word may match


def test_a_title_word_and_a_rare_word_weigh_more() -> None:
    index = WordIndex()
    index.set_row(0, "", "Garcia mentioned in passing, with many other words about logistics")
    index.set_row(1, "Ana Garcia", "Logistics lead")
    assert _ranked(index, "garcia", 2) == [1, 0]

    common = WordIndex()
    for row in range(10):
        common.set_row(row, "", "bins " + ("compost" if row == 7 else "recycling"))
    assert _ranked(common, "compost bins", 10)[0] == 7


def test_a_rewritten_or_cleared_row_matches_only_its_new_words() -> None:
    index = WordIndex()
    index.set_row(0, "", "composting at the depot")
    index.set_row(1, "", "beekeeping on the roof")
    assert _ranked(index, "composting", 2) == [0]

    index.set_row(0, "", "solar panels")
    index.clear_row(1)

    assert _ranked(index, "composting", 2) == []
    assert _ranked(index, "beekeeping", 2) == []
    assert _ranked(index, "solar", 2) == [0]
    assert len(index) == 1


def test_postings_rebuilt_after_many_changes_rank_as_the_changed_rows_did(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        f"note {number} about {'river cleanup' if number % 3 else 'tree planting'}"
        for number in range(30)
    ]
    index = WordIndex()
    for row, text in enumerate(texts):
        index.set_row(row, "", text)
    before = index.scores(QueryTerms.parse("river planting"), 30)  # the first build
    for row in range(0, 30, 5):
        index.set_row(row, "", texts[row])  # a few changed rows, scored beside the postings
    beside = index.scores(QueryTerms.parse("river planting"), 30)
    monkeypatch.setattr(words, "MAX_CHANGED_ROWS", 3)
    index.set_row(1, "", texts[1])
    rebuilt = index.scores(QueryTerms.parse("river planting"), 30)

    np.testing.assert_allclose(before, beside)
    np.testing.assert_allclose(before, rebuilt)


def test_a_full_line_cache_starts_again_and_changes_no_score(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        f"Speaks English\nSkill: composting {number}\nLives the value Care" for number in range(6)
    ]
    unbounded = WordIndex()
    for row, text in enumerate(texts):
        unbounded.set_row(row, f"Person {row}", text)
    monkeypatch.setattr(words, "MAX_CACHED_LINES", 2)
    bounded = WordIndex()
    for row, text in enumerate(texts):
        bounded.set_row(row, f"Person {row}", text)

    assert len(bounded._lines) <= 2
    for query in ("composting english", "person 3", "care"):
        np.testing.assert_allclose(
            bounded.scores(QueryTerms.parse(query), 6), unbounded.scores(QueryTerms.parse(query), 6)
        )
