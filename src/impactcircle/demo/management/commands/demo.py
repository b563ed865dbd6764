"""`impactcircle demo`: build the demo organisation (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from impactcircle.demo.accounts import (
    DEMO_ADMIN_EMAIL,
    DEMO_MEMBER_EMAIL,
    DEMO_PASSWORD,
    build_demo_accounts,
)


class Command(BaseCommand):
    help = "Build a demo organisation: an administrator, a member to sign in as, and colleagues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=300, help="How many people (default 300)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has accounts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from impactcircle.accounts.models import User

        if options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already has accounts; the demo was not loaded.")
            return
        if options["people"] < 2:
            raise CommandError(
                "--people must be at least 2 (the administrator and the demo member)."
            )
        result = build_demo_accounts(people=options["people"], seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation ready: {result.colleagues_created} new colleagues. "
                f"Sign in as {DEMO_MEMBER_EMAIL} or {DEMO_ADMIN_EMAIL} with {DEMO_PASSWORD}."
            )
        )
