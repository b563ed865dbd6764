"""Every page a person can open is in the load test (`bench/load/locustfile.py`), or listed
here with the reason it is not. The locustfile is read as text: locust is not installed in CI."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

LOCUSTFILE = Path(__file__).resolve().parents[2] / "bench" / "load" / "locustfile.py"

# Not pages of the app a person browses (allauth's sign-in is loaded explicitly; the API's main
# calls are in the locustfile by name; Django's admin is not linked from the app).
OUTSIDE = ("admin/", "accounts/", "api/v1/", "healthz")

# Route names the load test leaves out, each with why. Writes are left out on purpose: the test
# measures reading at scale and must leave the database as it found it.
NOT_LOADED = {
    "access_token_create": "write (POST): creates an API token",
    "access_token_revoke": "write (POST)",
    "people_avatar": "a photo; the demo's people have none",
    "mentorship_apply": "write (POST): an application",
    "mentorship_application_withdraw": "write (POST)",
    "mentorship_add_question": "write (POST)",
    "mentorship_invite": "write (POST)",
    "mentorship_repeat": "write (POST): a new cohort",
    "mentorship_decide": "write (POST)",
    "mentorship_start_run": "write (POST): queues a matching run",
    "mentorship_pair_rule": "write (POST)",
    "relationship_action": "write (POST): sessions, goals, check-ins",
    "relationship_item_action": "write (POST)",
    "selection_request_send": "write (POST)",
    "selection_shortlist": "write (POST)",
    "selection_request_answer": "write (POST)",
    "flash_slot_publish": "write (POST)",
    "flash_slot_book": "write (POST)",
    "flash_slot_reschedule": "write (POST)",
    "flash_slot_cancel": "write (POST)",
    "flash_slot_ics": "a calendar file for one booking; the demo has no flash bookings",
    "flash_booking_cancel": "write (POST)",
    "notification_read": "write (POST)",
    "notification_read_all": "write (POST)",
    "notification_preference_save": "write (POST)",
    "notification_unsubscribe": "a one-click link from an email, signed per person",
}

_PARAMETER = re.compile(r"<[^>]*>")


def _routes(
    patterns: Sequence[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif pattern.name:
            yield "/" + prefix + str(pattern.pattern), pattern.name


def _shape(route: str) -> str:
    """`/people/<int:user_id>/` and `/people/<id>/` both become `/people/<>/`."""
    return _PARAMETER.sub("<>", route)


def _loaded_shapes() -> set[str]:
    names = re.findall(r'"(/[^"?\s]*)', LOCUSTFILE.read_text())
    return {_shape(name) for name in names}


def _pages() -> dict[str, str]:
    return {
        name: route
        for route, name in _routes(get_resolver().url_patterns)
        if not route.lstrip("/").startswith(OUTSIDE)
    }


def test_every_page_is_loaded_or_left_out_for_a_reason() -> None:
    loaded = _loaded_shapes()

    missing = {
        name: route
        for name, route in _pages().items()
        if name not in NOT_LOADED and _shape(route) not in loaded
    }

    assert missing == {}, "add these pages to bench/load/locustfile.py (or to NOT_LOADED)"


def test_the_left_out_list_names_only_pages_that_exist_and_are_not_loaded() -> None:
    pages = _pages()
    loaded = _loaded_shapes()

    stale = {name for name in NOT_LOADED if name not in pages}
    loaded_after_all = {
        name for name in NOT_LOADED if name in pages and _shape(pages[name]) in loaded
    }

    assert stale == set()
    assert loaded_after_all == set()
