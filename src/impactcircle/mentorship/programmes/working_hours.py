"""Working hours: a person gives them in their own time zone, matching reads them in UTC.

An application stores whole UTC hours (`work_start_hour_utc` 0–23, `work_end_hour_utc` 1–24);
a window whose end is before its start wraps past midnight (the engine's `hour_mask`). The
conversion keeps the window's length, so a wrapped window stays wrapped and a whole day
(0–24) stays a whole day rather than becoming an empty 7–7.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, tzinfo

DAY = 24


def zone_named(name: str) -> tzinfo:
    """The IANA zone of that name; UTC for an empty or unknown one."""
    try:
        return zoneinfo.ZoneInfo(name) if name else UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_label(name: str) -> str:
    """The name to show beside the hours: the profile's zone, or "UTC" when it is not valid."""
    zone = zone_named(name)
    return name if isinstance(zone, zoneinfo.ZoneInfo) else "UTC"


def _offset_hours(zone: str, on: date) -> int:
    """The zone's offset from UTC at noon that day, in whole hours: a half- or quarter-hour
    offset is rounded to the nearest hour, half up (India's +5:30 counts as +6)."""
    offset = datetime.combine(on, time(12), tzinfo=zone_named(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return (minutes + 30) // 60


def _shift(start: int, end: int, hours: int) -> tuple[int, int]:
    if end - start == DAY:
        return (0, DAY)  # the whole day, whatever the zone
    length = (end - start) % DAY  # a window past midnight (end < start) keeps its length
    new_start = (start + hours) % DAY
    if length == 0:
        return (new_start, new_start)  # empty; the form refuses it, the service checks it
    new_end = new_start + length
    return (new_start, new_end if new_end <= DAY else new_end - DAY)


def local_to_utc(start: int, end: int, *, zone: str, on: date) -> tuple[int, int]:
    """Hours in `zone` on day `on` → UTC hours, as stored on an application."""
    return _shift(start, end, -_offset_hours(zone, on))


def utc_to_local(start: int, end: int, *, zone: str, on: date) -> tuple[int, int]:
    """Stored UTC hours → the same window in `zone` on day `on`, to show on a form."""
    return _shift(start, end, _offset_hours(zone, on))
