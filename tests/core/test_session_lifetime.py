from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from impactcircle.accounts.models import User
from impactcircle.core import middleware

pytestmark = pytest.mark.django_db


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock(1_800_000_000.0)
    monkeypatch.setattr(middleware, "time", fake)
    return fake


def _still_signed_in(client: Client) -> bool:
    return client.get(reverse("account_overview")).status_code == 200


def test_activity_keeps_the_session_alive(signed_in_client: Client, clock: _Clock) -> None:
    assert _still_signed_in(signed_in_client)
    for _ in range(10):  # 10 × 20 minutes = 3 h 20 min of steady activity
        clock.now += 20 * 60
        assert _still_signed_in(signed_in_client)


def test_thirty_idle_minutes_end_the_session(signed_in_client: Client, clock: _Clock) -> None:
    assert _still_signed_in(signed_in_client)

    clock.now += 31 * 60

    assert not _still_signed_in(signed_in_client)


def test_twelve_hours_end_the_session_even_with_activity(
    signed_in_client: Client, clock: _Clock, user: User
) -> None:
    assert _still_signed_in(signed_in_client)
    for _ in range(12 * 3):  # every 20 minutes for twelve hours
        clock.now += 20 * 60
        _still_signed_in(signed_in_client)

    clock.now += 20 * 60

    assert not _still_signed_in(signed_in_client)
