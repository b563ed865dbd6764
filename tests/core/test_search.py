"""core.search on a small searchable type of its own: registry, access, fusion, paging,
tombstones, the revision-following index, tasks and the reindex command."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from impactcircle.core.models import SearchDocument
from impactcircle.core.search import (
    Document,
    DocumentAccess,
    QueryTerms,
    SearchableType,
    index_later,
    index_now,
    register_searchable_type,
    reindex,
    search,
    unregister_searchable_type,
)
from impactcircle.core.search.live_index import live_index

pytestmark = pytest.mark.django_db

NOTE = "tests.note"
EVERYONE = DocumentAccess(open_audiences=frozenset({"public"}))


class Notes:
    """Notes by id: (owner, public text, private text or None)."""

    def __init__(self) -> None:
        self.rows: dict[int, tuple[int, str, str | None]] = {}

    def documents(self, ids: Sequence[int]) -> Iterator[Document]:
        for note_id in ids:
            if note_id not in self.rows:
                continue
            owner, public, private = self.rows[note_id]
            yield Document(note_id, "public", owner, f"Note {note_id}", public)
            if private is not None:
                yield Document(note_id, "owner", owner, f"Note {note_id}", f"{public}\n{private}")

    def passing(self, ids: Collection[int], owner: int) -> set[int]:
        return {note_id for note_id in ids if self.rows[note_id][0] == owner}


@pytest.fixture
def notes(db: None) -> Iterator[Notes]:
    store = Notes()
    register_searchable_type(
        SearchableType(
            name=NOTE,
            documents=store.documents,
            all_ids=lambda: list(store.rows),
            audiences=("public", "owner"),
            filter_objects=store.passing,
            filters=("owner",),
        )
    )
    yield store
    unregister_searchable_type(NOTE)


def _ids(text: str, access: DocumentAccess = EVERYONE, **kwargs: object) -> list[int]:
    return [hit.object_id for hit in search(NOTE, text, access, **kwargs)]  # type: ignore[arg-type]


def test_words_and_meaning_both_find_and_both_rank_first(notes: Notes) -> None:
    notes.rows = {
        1: (10, "Quarterly payroll figures", None),
        2: (10, "Cutting carbon emissions from our delivery trucks", None),
        3: (10, "Reducing emissions: the logistics playbook", None),
    }
    index_now(NOTE, notes.rows)

    hits = search(NOTE, "reducing emissions in logistics", EVERYONE)

    assert [hit.object_id for hit in hits] == [3, 2]
    assert hits[0].by_words
    assert hits[0].by_meaning
    assert hits[1].by_meaning


def test_a_document_the_viewer_may_not_use_never_matches(notes: Notes) -> None:
    notes.rows = {1: (10, "Team lunch", "salary negotiation tips")}
    index_now(NOTE, [1])
    owner = DocumentAccess(open_audiences=frozenset({"public"}), granted={"owner": frozenset({10})})
    stranger = DocumentAccess(
        open_audiences=frozenset({"public"}), granted={"owner": frozenset({11})}
    )

    assert _ids("salary", owner) == [1]
    assert _ids("salary", stranger) == []
    assert _ids("negotiating pay", stranger) == []
    assert _ids("salary", DocumentAccess(everything=True)) == [1]


def test_the_most_inclusive_usable_document_counts_once_per_object(notes: Notes) -> None:
    notes.rows = {1: (10, "Lunch notes", "more lunch")}
    index_now(NOTE, [1])
    owner = DocumentAccess(open_audiences=frozenset({"public"}), granted={"owner": frozenset({10})})

    (hit,) = search(NOTE, "lunch", owner)

    document = SearchDocument.objects.get(pk=hit.document_id)
    assert document.audience == "owner"


def test_ties_are_broken_by_id_so_pages_are_stable(notes: Notes) -> None:
    notes.rows = dict.fromkeys(range(1, 41), (10, "identical words", None))
    index_now(NOTE, notes.rows)

    first, second = _ids("identical"), _ids("identical")

    assert first == second == list(range(1, 41))


def test_the_candidate_list_is_bounded(notes: Notes) -> None:
    notes.rows = dict.fromkeys(range(1, 31), (10, "bounded words", None))
    index_now(NOTE, notes.rows)

    assert len(_ids("bounded", limit=10)) == 10


def test_the_type_filters_narrow_the_results(notes: Notes) -> None:
    notes.rows = {1: (10, "garden", None), 2: (11, "garden", None)}
    index_now(NOTE, notes.rows)

    assert _ids("garden", filters=11) == [2]


def test_an_object_that_is_gone_leaves_a_tombstone_and_is_not_found(notes: Notes) -> None:
    notes.rows = {1: (10, "Compost heap", "secret compost")}
    index_now(NOTE, [1])
    assert _ids("compost") == [1]

    del notes.rows[1]
    index_now(NOTE, [1])

    assert _ids("compost") == []
    assert _ids("compost", DocumentAccess(everything=True)) == []
    assert set(SearchDocument.objects.filter(type_name=NOTE).values_list("is_deleted", "body")) == {
        (True, "")
    }


def test_reindex_rewrites_current_objects_and_tombstones_vanished_ones(notes: Notes) -> None:
    notes.rows = {1: (10, "bicycle repair", None), 2: (10, "bicycle racks", None)}
    index_now(NOTE, notes.rows)
    notes.rows = {1: (10, "train timetables", None)}

    reindex(NOTE)

    assert _ids("bicycle") == []
    assert _ids("timetables") == [1]


def test_the_index_answers_without_reloading_when_nothing_changed(
    notes: Notes, django_assert_num_queries
) -> None:
    notes.rows = {1: (10, "solar panels", None)}
    index_now(NOTE, [1])
    index = live_index()
    index.refresh()

    with django_assert_num_queries(1):
        index.refresh()


def test_each_indexing_batch_moves_the_revision_on(notes: Notes) -> None:
    notes.rows = {number: (10, f"note {number}", None) for number in range(1, 6)}
    index_now(NOTE, notes.rows, batch_size=2)

    revisions = list(
        SearchDocument.objects.filter(type_name=NOTE)
        .order_by("object_id")
        .values_list("revision", flat=True)
    )
    assert revisions[0] == revisions[1] < revisions[2] == revisions[3] < revisions[4]


def test_index_later_rebuilds_after_commit(
    notes: Notes, django_capture_on_commit_callbacks
) -> None:
    notes.rows = {1: (10, "rainwater harvesting", None)}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        index_later(NOTE, [1, 1])

    assert len(callbacks) == 1
    assert _ids("rainwater") == [1]


def test_the_reindex_command_names_what_it_rebuilt(notes: Notes, capsys) -> None:
    notes.rows = {1: (10, "heat pumps", None)}

    call_command("reindex", NOTE)

    assert f"{NOTE}: 1 documents" in capsys.readouterr().out
    assert _ids("heat pumps") == [1]


def test_the_reindex_command_refuses_an_unknown_type(db: None) -> None:
    with pytest.raises(CommandError, match="No searchable type 'nope'"):
        call_command("reindex", "nope")


def test_query_terms_drop_stop_words_and_mark_escaped_text() -> None:
    terms = QueryTerms.parse("Who knows about <b>reducing</b> emissions?")

    assert terms.words == ("b", "reducing", "emissions")
    assert (
        QueryTerms.parse("emissions").mark("Emission <cuts> & emissions")
        == "<mark>Emission</mark> &lt;cuts&gt; &amp; <mark>emissions</mark>"
    )
    # Marked by the stem the words are ranked by: another form of the word is marked too.
    assert QueryTerms.parse("reduce").mark("Reducing waste") == "<mark>Reducing</mark> waste"


def test_an_empty_or_stop_word_query_finds_nothing(notes: Notes) -> None:
    notes.rows = {1: (10, "the and of", None)}
    index_now(NOTE, [1])

    assert _ids("") == []
    assert _ids("the") == []


def test_words_are_found_even_when_the_best_matches_are_all_hidden_from_the_viewer(
    notes: Notes,
) -> None:
    notes.rows = dict.fromkeys(range(1, 31), (10, "Lunch", "quinoa quinoa quinoa quinoa quinoa"))
    notes.rows[31] = (11, "a long public note mentioning quinoa once among many words", None)
    index_now(NOTE, notes.rows)

    (hit,) = search(NOTE, "quinoa", EVERYONE, limit=10)

    assert hit.object_id == 31
    assert hit.by_words


def test_after_migrate_a_type_with_objects_but_no_documents_is_rebuilt(notes: Notes) -> None:
    from impactcircle.core.search.indexing import enqueue_missing_indexes

    notes.rows = {1: (10, "beehives on the roof", None)}

    queued = enqueue_missing_indexes()

    assert NOTE in queued
    assert _ids("beehives") == [1]
    assert NOTE not in enqueue_missing_indexes()


def test_a_web_worker_loads_the_index_ahead_of_the_first_search(
    notes: Notes, transactional_db: None
) -> None:
    from impactcircle.core.models import SearchRevision
    from impactcircle.core.search.live_index import warm_in_background

    notes.rows = {1: (10, "Composting at the depot", None)}
    index_now(NOTE, [1])
    row = SearchRevision.objects.get(pk=1)
    current = (row.epoch, row.value)
    index = live_index()
    assert (index.epoch, index.revision) != current  # nothing searched since it was written

    warm_in_background().join(timeout=60)

    assert (index.epoch, index.revision) == current
    assert len(index) == 1
