"""Choice lists of reference data (skills, departments, languages …): cached, rendered fast.

A filter form that lists every skill, cause, value, department and language costs five queries,
hundreds of model instances and one template per `<option>` on every page view: the directory's
form was most of its 90 ms of CPU at 100,000 people. A module registers each list once with the
models it is built from; the list is kept in the cache (shared by every process when the cache
is Redis) and dropped whenever one of those models is saved or deleted, and after bulk loads
(`invalidate_all_choices`). `QuickSelect` renders the `<select>` in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import forms
from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

type Choices = list[tuple[str, str]]

CHOICES_TIMEOUT = 10 * 60  # a bound on staleness after writes that send no signal
_builders: dict[str, Callable[[], Choices]] = {}


def _cache_key(name: str) -> str:
    return f"core.choices:{name}"


def register_choices(
    name: str, build: Callable[[], Iterable[tuple[Any, Any]]], models: Sequence[type[Model]]
) -> None:
    """Register a list (called from AppConfig.ready); saving or deleting a row of any of
    `models` drops it."""

    def as_strings() -> Choices:
        return [(str(value), str(label)) for value, label in build()]

    _builders[name] = as_strings

    def drop(**_signal: Any) -> None:
        cache.delete(_cache_key(name))

    for model in models:
        post_save.connect(drop, sender=model, weak=False, dispatch_uid=f"choices:{name}:save")
        post_delete.connect(drop, sender=model, weak=False, dispatch_uid=f"choices:{name}:del")


def choices(name: str) -> Choices:
    """The list, from the cache or built now (one query) and cached."""
    return choices_many([name])[name]


def choices_many(names: Sequence[str]) -> dict[str, Choices]:
    """Several lists in one cache round trip (one query with the database cache)."""
    found = cache.get_many([_cache_key(name) for name in names])
    lists: dict[str, Choices] = {}
    missing: dict[str, Choices] = {}
    for name in names:
        cached = found.get(_cache_key(name))
        if cached is None:
            cached = missing[_cache_key(name)] = _builders[name]()
        lists[name] = cached
    if missing:
        cache.set_many(missing, CHOICES_TIMEOUT)
    return lists


def invalidate_all_choices() -> None:
    """After bulk writes that bypass signals (the demo build, imports)."""
    cache.delete_many([_cache_key(name) for name in _builders])


class QuickSelect(forms.Select):
    """A single `<select>` rendered in one pass instead of one template per option; same markup
    as Django's widget (attributes, the selected option), for long choice lists."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = {str(item) for item in self.format_value(value)}
        attributes = mark_safe(
            "".join(
                format_html(" {}", key) if val is True else format_html(' {}="{}"', key, val)
                for key, val in final.items()
                if val is not None and val is not False
            )
        )
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) in selected else "", label)
                for option, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)
