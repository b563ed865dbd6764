"""Serve `plotly.min.js` from the installed plotly package as the static file
`vendor/plotly/plotly.min.js`: nothing is copied into the repository and nothing comes from a
CDN. `collectstatic` picks it up like any app's static file (listed in `STATICFILES_FINDERS`);
the test and development servers find it through the same finder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PREFIX = "vendor/plotly"
PLOTLY_FILE = "plotly.min.js"
PLOTLY_STATIC_PATH = f"{PLOTLY_STATIC_PREFIX}/{PLOTLY_FILE}"


def plotly_package_data() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data"


class PlotlyFinder(BaseFinder):
    """Finds exactly one file: the installed plotly's `plotly.min.js`."""

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False, **kwargs: Any) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True], **kwargs: Any) -> list[str]: ...
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        found = str(plotly_package_data() / PLOTLY_FILE) if path == PLOTLY_STATIC_PATH else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        storage = FileSystemStorage(location=plotly_package_data())
        storage.prefix = PLOTLY_STATIC_PREFIX  # type: ignore[attr-defined]  # read by collectstatic
        yield PLOTLY_FILE, storage
