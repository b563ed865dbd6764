"""`impactcircle replay_events --subscriber NAME --since ISO8601`: deliver stored events again to
one subscriber, e.g. after fixing an analytics handler or adding a new one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from impactcircle.core.events import replay_events


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--since {text!r} is not an ISO 8601 moment, e.g. 2026-01-31T00:00Z."
        ) from None
    if timezone.is_naive(moment):
        raise CommandError("--since needs a time zone, e.g. 2026-01-31T00:00Z or +01:00.")
    return moment


class Command(BaseCommand):
    help = "Deliver stored events that occurred since a moment to one subscriber again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subscriber", required=True, help="e.g. insights.count_sessions")
        parser.add_argument("--since", required=True, type=_moment, help="ISO 8601 with a zone")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            queued = replay_events(subscriber=options["subscriber"], since=options["since"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{queued} event(s) since {options['since'].isoformat()} queued for "
            f"{options['subscriber']}."
        )
