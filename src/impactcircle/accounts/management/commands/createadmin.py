"""`impactcircle createadmin`: make an administrator who can sign in straight away."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from impactcircle.accounts.services import administrator_create
from impactcircle.core.errors import AppError


class Command(BaseCommand):
    help = (
        "Create an administrator with a verified email address. The password comes from "
        "--password-env (the name of an environment variable) or is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The administrator's email address.")
        parser.add_argument(
            "--password-env",
            metavar="NAME",
            help="Read the password from this environment variable instead of asking.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email: str = options["email"]
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
            if not password:
                raise CommandError(f"The environment variable {options['password_env']} is empty.")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        else:
            raise CommandError("No terminal to ask for a password: use --password-env NAME.")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            user = administrator_create(email=email, password=password)
        except AppError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.email} is ready to sign in."))
