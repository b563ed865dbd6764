"""The JSON API at /api/v1/: authentication, the error envelope and the module routers."""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from impactcircle.accounts.api import router as accounts_router
from impactcircle.accounts.api_auth import AccessTokenAuth
from impactcircle.core.errors import AppError
from impactcircle.core.input_bounds import (
    MAX_DATABASE_ID,
    TOO_LARGE,
    JsonObjectParser,
    UnacceptableBody,
    is_out_of_range_error,
)
from impactcircle.mentorship.api import router as mentorship_router
from impactcircle.notifications.api import router as notifications_router
from impactcircle.people.api import router as people_router

# Every operation may answer these with the error envelope (docs/api.md, "Errors").
ERROR_STATUSES = {
    "400": "The request could not be read (e.g. malformed JSON).",
    "401": "No valid session or token.",
    "403": "You may see the object but not do this.",
    "404": "The object does not exist, or is private to someone else.",
    "409": "It clashes with what exists (e.g. a duplicate name).",
    "422": "Fields break a rule; see `extra.fields`.",
    "429": "Too many requests; try again later.",
}
ERROR_ENVELOPE = {
    "title": "Error",
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "extra": {"type": "object", "additionalProperties": True},
    },
    "required": ["message", "extra"],
}


def _bound_integers(node: object) -> None:
    """Every integer the schema names is a 64-bit one: larger values are refused (422)."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("format", "int64")
            node.setdefault("maximum", MAX_DATABASE_ID)
            node.setdefault("minimum", -MAX_DATABASE_ID - 1)
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)


class ImpactCircleApi(NinjaAPI):
    """The API, whose schema also declares the error answers every operation may give."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _bound_integers(schema)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_ENVELOPE
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


api = ImpactCircleApi(
    title="ImpactCircle API",
    version="1",
    description=(
        'Every error answers `{"message": …, "extra": {…}}`; invalid fields are listed '
        "under `extra.fields`. Authenticate with a browser session (and its CSRF token) or "
        "with `Authorization: Bearer <personal access token>`."
    ),
    auth=[AccessTokenAuth(), django_auth],
    parser=JsonObjectParser(),
    urls_namespace="api",
    docs_url="/docs",
)


def _envelope(
    request: HttpRequest, status: int, message: str, extra: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(request, {"message": message, "extra": extra or {}}, status=status)


def _field_name(location: list[Any]) -> str:
    # ("body", "payload", "name") → "name"; ("query", "page") → "page"
    parts = [str(part) for part in location[1:]]
    if len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(AppError)
def on_app_error(request: HttpRequest, error: AppError) -> HttpResponse:
    envelope = error.envelope()
    return _envelope(request, error.status_code, str(envelope["message"]), envelope["extra"])  # type: ignore[arg-type]  # envelope() builds a dict


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for problem in error.errors:
        fields.setdefault(_field_name(list(problem.get("loc", []))), []).append(
            str(problem.get("msg", "Invalid value."))
        )
    return _envelope(request, 422, "Some fields are not valid.", {"fields": fields})


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, error: OverflowError) -> HttpResponse:
    return _envelope(request, 422, TOO_LARGE)


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, error: DataError) -> HttpResponse:
    if not is_out_of_range_error(error):
        raise error
    return _envelope(request, 422, TOO_LARGE)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _envelope(request, 401, "Authentication required: sign in or send a valid token.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # ninja wraps what the body parser raises in a 400; a body that is valid JSON but not
    # acceptable (not an object, a lone surrogate, an infinite number) is a field error.
    if isinstance(error.__cause__, UnacceptableBody):
        return _envelope(request, 422, error.__cause__.message, {"fields": error.__cause__.fields})
    return _envelope(request, error.status_code, str(error.message))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _envelope(request, 404, "Not found.")


api.add_router("/account", accounts_router)
api.add_router("", people_router)
api.add_router("/mentoring", mentorship_router)
api.add_router("/notifications", notifications_router)
