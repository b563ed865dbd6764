"""Cached choice lists of reference data, and the one-pass <select>."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from impactcircle.core.choices import QuickSelect, choices, invalidate_all_choices
from impactcircle.people.models import Department

pytestmark = pytest.mark.django_db


def test_a_list_is_built_once_then_served_from_the_cache(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    Department.objects.create(name="Logistics")
    invalidate_all_choices()

    with django_assert_num_queries(1):
        first = choices("people.departments")
    with django_assert_num_queries(0):
        again = choices("people.departments")

    assert "Logistics" in dict(first).values()
    assert first == again


def test_saving_or_deleting_a_row_drops_the_list() -> None:
    choices("people.departments")
    finance = Department.objects.create(name="Finance")

    assert (str(finance.pk), "Finance") in choices("people.departments")

    finance.delete()

    assert (str(finance.pk), "Finance") not in choices("people.departments")


@pytest.mark.parametrize("value", ["", "2", None])
def test_the_quick_select_renders_what_djangos_select_renders(value: str | None) -> None:
    options = [("", "Any"), ("1", "Ann & <Bo>"), ("2", 'Say "hi"')]
    attrs = {"id": "id_pick", "required": True, "data-x": "a<b"}

    quick = QuickSelect(choices=options).render("pick", value, attrs)
    plain = forms.Select(choices=options).render("pick", value, attrs)

    assert parse_html(quick) == parse_html(plain)
    assert "<Bo>" not in quick
