"""Showing a service's AppError on the form that caused it."""

from __future__ import annotations

from django import forms

from impactcircle.core.errors import AppError


def add_app_errors(form: forms.Form, error: AppError) -> None:
    """Field errors go to their fields (or the top of the form when the form has no such field)."""
    for field, messages in (error.fields or {"__all__": [error.message]}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
