from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from tests.factories import UserFactory

from impactcircle.accounts.models import User


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and used TOTP codes live in the cache; no test sees another's."""
    cache.clear()
    yield
    cache.clear()


class HttpsClient(Client):
    """A browser that talks HTTPS, as in production (secure, __Host- cookies, HSTS)."""

    def generic(self, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        kwargs["secure"] = True
        return super().generic(method, path, *args, **kwargs)


@pytest.fixture
def client() -> Client:
    return HttpsClient()


@pytest.fixture
def user(db: None) -> User:
    return UserFactory(email="ana@example.com", first_name="Ana", last_name="Almeida")


@pytest.fixture
def other_user(db: None) -> User:
    """A second, unrelated member: must never see or change the first one's private things."""
    return UserFactory(email="ben@example.com", first_name="Ben", last_name="Berg")


@pytest.fixture
def signed_in_client(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
