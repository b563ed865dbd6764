"""docs/events.md lists every event the application registers, with its fields."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from impactcircle.core.events import registered_events

CATALOGUE = Path(__file__).resolve().parents[2] / "docs" / "events.md"
ROW = re.compile(r"^\| `(?P<name>[a-z0-9_.]+)` \| (?P<fields>[^|]*) \|")


def documented_events() -> dict[str, set[str]]:
    section = CATALOGUE.read_text().split("## Catalogue", 1)[1].split("\n## ", 1)[0]
    rows = (ROW.match(line) for line in section.splitlines())
    return {row["name"]: set(re.findall(r"`([a-z0-9_]+)`", row["fields"])) for row in rows if row}


def application_events() -> dict[str, set[str]]:
    return {
        name: {field.name for field in fields(event_type)} - {"occurred_at"}
        for name, event_type in registered_events().items()
        if event_type.__module__.startswith("impactcircle.")
    }


def test_the_catalogue_lists_every_registered_event_and_no_other() -> None:
    assert sorted(documented_events()) == sorted(application_events())


def test_the_catalogue_lists_each_events_fields() -> None:
    assert documented_events() == application_events()


def test_mentorship_announces_its_lifecycle() -> None:
    assert {
        "mentorship.relationship_started",
        "mentorship.session_confirmed",
        "mentorship.goal_achieved",
        "mentorship.relationship_finished",
        "mentorship.matching_run_published",
        "mentorship.flash_session_booked",
    } <= set(application_events())
