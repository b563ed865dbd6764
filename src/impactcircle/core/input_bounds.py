"""What a request may carry before it reaches a view: ids a database can hold, JSON it can store.

Ids are 64-bit signed integers in every supported database, so a larger number names nothing:
a path with one answers 404 (`OutOfRangeIdMiddleware`), a filter with one is a field error
(`BoundedId`), and so is a page number whose offset would not fit (`PageNumber`, at most
2^53 - 1). JSON bodies of the API must be an object with finite numbers and text that
PostgreSQL can store (`JsonObjectParser`); anything else is a field error. A whole number beyond
64 bits that reaches the database is refused there (`is_out_of_range_error`) and answered 422,
never 500.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Annotated, Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser
from pydantic import Field

MAX_DATABASE_ID = 2**63 - 1
# Pages beyond this would need an offset (page × page size ≤ 1,000) larger than 64 bits.
MAX_PAGE_NUMBER = 2**53 - 1
API_PREFIX = "/api/"


def refuse_yes_no(value: object) -> object:
    """For a number field, as `Annotated[int, Interval(…), BeforeValidator(refuse_yes_no)]`
    (bounds first, so that the schema shows them): JSON's true and false are not 1 and 0."""
    if isinstance(value, bool):
        raise ValueError("Input should be a number, not true or false")
    return value


# A filter or page number larger than any row id: a field error (422), never a database crash.
BoundedId = Annotated[int, Field(ge=1, le=MAX_DATABASE_ID)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE_NUMBER)]
# Lists cap the page size (at 100); beyond 2^53 - 1 it is a field error like the page number.
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_NUMBER)]


def page_number_from(value: object) -> int:
    """A page number from a query string, for pages that clamp rather than refuse: plain
    digits give that page (at most `MAX_PAGE_NUMBER`, which a paginator then clamps to its last
    page); anything else ("", "abc", "-3", "2.0", "²") gives page 1."""
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > len(str(MAX_PAGE_NUMBER)):
        return MAX_PAGE_NUMBER
    return max(1, min(int(text), MAX_PAGE_NUMBER))


def is_out_of_range_id(value: object) -> bool:
    """True for an int (or a string of digits) that no database row can have as its id."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > MAX_DATABASE_ID
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return len(value) > 18 and int(value) > MAX_DATABASE_ID
    return False


def is_out_of_range_error(error: BaseException) -> bool:
    """Whether the database refused a number too large for its column: OverflowError from
    SQLite's driver, "out of range" from PostgreSQL (NumericValueOutOfRange)."""
    if isinstance(error, OverflowError):
        return True
    cause = error.__cause__
    return isinstance(error, DataError) and (
        getattr(cause, "sqlstate", None) == "22003" or "out of range" in str(error)
    )


class OutOfRangeIdMiddleware:
    """A URL whose id (`<int:…>` on pages, `{…_id}` in the API) cannot exist answers 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        values = [*view_args, *view_kwargs.values()]
        if not any(is_out_of_range_id(value) for value in values):
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"message": "Not found.", "extra": {}}, status=404)
        raise Http404("No such id.")


class UnacceptableBody(ValueError):
    """The JSON body is well-formed but not something the API accepts (answered with 422)."""

    def __init__(self, message: str, fields: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


_SURROGATE = "Text with an unpaired surrogate (e.g. \\ud800) cannot be stored."
_INFINITE = "Numbers must be finite."
TOO_LARGE = f"Whole numbers must lie between {-MAX_DATABASE_ID - 1} and {MAX_DATABASE_ID}."


def _refuse_constant(name: str) -> float:
    raise UnacceptableBody(_INFINITE, {"__all__": [f"{name} is not a number JSON allows."]})


def _unstorable_values(value: object, location: str) -> dict[str, list[str]]:
    """Where the parsed body holds what no database stores: lone surrogates, infinite numbers.
    (A whole number beyond 64 bits may sit in a key the operation ignores; where it is used,
    the database refuses it and `is_out_of_range_error` turns that into a 422.)"""
    here = location or "__all__"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return {here: [_SURROGATE]}
        return {}
    if isinstance(value, float):
        return {} if math.isfinite(value) else {here: [_INFINITE]}
    items: list[tuple[object, object]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    found: dict[str, list[str]] = {}
    for key, item in items:
        if isinstance(key, str) and _unstorable_values(key, here):
            found.setdefault(here, []).append(_SURROGATE)
            continue
        for where, messages in _unstorable_values(
            item, f"{location}.{key}" if location else str(key)
        ).items():
            found.setdefault(where, []).extend(messages)
    return found


class JsonObjectParser(Parser):
    """JSON bodies for the API: an object, finite numbers, and text that can be stored."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_constant=_refuse_constant)
        if not isinstance(data, dict):
            raise UnacceptableBody(
                "The body must be a JSON object.",
                {"__all__": ['Send a JSON object, e.g. {"name": "…"}.']},
            )
        unstorable = _unstorable_values(data, "")
        if unstorable:
            raise UnacceptableBody("Some values cannot be stored.", unstorable)
        return data


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with a page number a database offset can hold (else 422)."""

    class Input(Schema):
        page: PageNumber = 1
        page_size: PageSize | None = None
