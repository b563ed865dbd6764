"""Whose time zone is what, for sending digests at seven in the morning where each person is.

The notifications layer sits below `people`, where time zones live, so `people` registers a
source in its AppConfig.ready():

    register_time_zone_source(
        lambda user_ids: dict(
            Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "time_zone")
        )
    )

Without a source, or for a person without a (valid) zone, UTC is used.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, tzinfo

type TimeZoneSource = Callable[[Collection[int]], Mapping[int, str]]

_sources: list[TimeZoneSource] = []


def register_time_zone_source(source: TimeZoneSource) -> None:
    """Use `source` (user ids → IANA zone names, one query for all) from now on."""
    _sources[:] = [source]


_CHUNK = 1000  # ids per call to the source, well under SQLite's limit on query parameters


def time_zones_for(user_ids: Collection[int]) -> dict[int, tzinfo]:
    """Each person's zone; UTC when unknown. One source call per thousand people."""
    ids = list(user_ids)
    names: dict[int, str] = {}
    if _sources:
        for start in range(0, len(ids), _CHUNK):
            names.update(_sources[0](ids[start : start + _CHUNK]))
    zones: dict[int, tzinfo] = {}
    for user_id in user_ids:
        try:
            zones[user_id] = zoneinfo.ZoneInfo(names[user_id]) if names.get(user_id) else UTC
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zones[user_id] = UTC
    return zones
