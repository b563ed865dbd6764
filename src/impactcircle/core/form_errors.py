"""A service's AppError shown on the form that caused it, and a form's errors as an API's."""

from __future__ import annotations

from django import forms

from impactcircle.core.errors import AppError, InvalidInput


def add_app_errors(form: forms.Form, error: AppError) -> None:
    """Field errors go to their fields (or the top of the form when the form has no such field)."""
    for field, messages in (error.fields or {"__all__": [error.message]}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def invalid_input_from(form: forms.Form) -> InvalidInput:
    """An invalid form's errors as the API answers them (422, field by field): an API that
    checks its input with a page's form says what the page says."""
    fields = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
    return InvalidInput(
        " ".join(m for messages in fields.values() for m in messages), fields=fields
    )
