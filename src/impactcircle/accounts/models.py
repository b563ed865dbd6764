"""Accounts: the people who can sign in, who may sign up, and their API access tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from impactcircle.core.models import TimeStampedModel


def display_name_of(first_name: str, last_name: str, email: str) -> str:
    """How a person is named on every page: their full name, else their email's local part."""
    return f"{first_name} {last_name}".strip() or email.split("@", 1)[0]


class UserManager(BaseUserManager["User"]):
    """Users sign in with their email address; there is no username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]  # sign-in is by email only
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # email-based manager

    class Meta:
        ordering = ["email"]
        indexes = [
            # The people directory lists active people by name (people.selectors).
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=models.Q(is_active=True),
                name="user_active_by_name",
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return display_name_of(self.first_name, self.last_name, self.email)


class SignupPolicy(TimeStampedModel):
    """Who may create an account. One row; administrators edit it in the admin."""

    class Mode(models.TextChoices):
        RESTRICTED = "restricted", "Only invited people and the listed email domains"
        OPEN = "open", "Anyone with an email address"

    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.RESTRICTED)
    allowed_domains = models.TextField(
        blank=True,
        help_text="One domain per line, e.g. example.com. Sub-domains are not included.",
    )

    class Meta:
        verbose_name = "sign-up policy"
        verbose_name_plural = "sign-up policy"

    def __str__(self) -> str:
        return self.get_mode_display()

    @property
    def domains(self) -> set[str]:
        return {
            line.strip().lower().lstrip("@")
            for line in self.allowed_domains.replace(",", "\n").splitlines()
            if line.strip()
        }


class Invitation(TimeStampedModel):
    """An administrator's invitation: this email address may sign up even outside the domains."""

    email = models.EmailField(unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class AccessToken(TimeStampedModel):
    """A personal access token for the API. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="The first characters, to recognise it.")
    secret_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="accounts_unique_live_token_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
