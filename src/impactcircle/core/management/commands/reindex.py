"""`impactcircle reindex [TYPE ...]`: rebuild search documents (all registered types by default)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from impactcircle.core.search import UnknownSearchableTypeError, registered_types, reindex
from impactcircle.core.upkeep import refresh_planner_statistics


class Command(BaseCommand):
    help = "Rebuild the search index of the named searchable types (all of them by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "types", nargs="*", metavar="TYPE", help=f"e.g. {', '.join(registered_types())}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in options["types"] or registered_types():
            started = time.perf_counter()
            try:
                written = reindex(name)
            except UnknownSearchableTypeError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{name}: {written} documents in {time.perf_counter() - started:.1f} s"
            )
        refresh_planner_statistics()  # a bulk rewrite: the planner needs fresh statistics
