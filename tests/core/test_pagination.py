"""Long lists are counted up to a cap and paged within it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty(db: None) -> None:
    UserFactory.create_batch(30)


def test_past_the_cap_the_count_stops_and_the_pages_end_at_the_cap(thirty: None) -> None:
    paginator = CappedPaginator(User.objects.order_by("pk").values_list("pk", flat=True), 8, 20)

    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 20
    assert paginator.is_capped
    assert paginator.num_pages == 3
    assert len(paginator.get_page(3).object_list) == 4
    assert paginator.get_page(99).number == 3
    # Counted over LIMIT cap + 1, never over every row.
    (count_query,) = queries.captured_queries
    assert "LIMIT 21" in count_query["sql"]


def test_under_the_cap_everything_is_listed_and_nothing_more_is_claimed(thirty: None) -> None:
    paginator = CappedPaginator(User.objects.order_by("pk").values_list("pk", flat=True), 8, 30)

    assert paginator.count == 30
    assert not paginator.is_capped
    assert paginator.num_pages == 4


def test_a_list_is_capped_the_same_way() -> None:
    paginator = CappedPaginator(list(range(12)), 5, 10)

    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (10, True, 2)
