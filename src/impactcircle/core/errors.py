"""The application's error type. Services raise these; pages and the API turn them into answers.

The API answers every error with the envelope `{"message": str, "extra": {...}}`; validation
problems list the offending fields under `extra.fields` as `{field: [messages]}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class AppError(Exception):
    """A failure the person can act on; `status_code` is the HTTP status it maps to."""

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        fields: Mapping[str, Sequence[str]] | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = {name: list(messages) for name, messages in (fields or {}).items()}
        self.extra = dict(extra or {})

    def envelope(self) -> dict[str, object]:
        extra: dict[str, object] = dict(self.extra)
        if self.fields:
            extra["fields"] = self.fields
        return {"message": self.message, "extra": extra}


class InvalidInput(AppError):
    """The request was understood but its content breaks a rule (422)."""

    status_code = 422


class NotAuthenticated(AppError):
    status_code = 401


class Forbidden(AppError):
    """The actor may see the object but not do this to it (403)."""

    status_code = 403


class NotFound(AppError):
    """The object does not exist, or the actor may not know that it does (404)."""

    status_code = 404


class Conflict(AppError):
    """The request clashes with the current state, e.g. a duplicate (409)."""

    status_code = 409
