from __future__ import annotations

import importlib
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from pytest_django.plugin import blocking_manager_key
from tests.factories import UserFactory

from impactcircle.accounts.models import User

# The reference data that migrations seed (the UN SDGs as cause areas, ISO 639-1 languages,
# the programme managers' group). A transactional test ends by emptying every table, so it is
# seeded again after each one: the suite then passes in any order (CI runs it once at random).
_SEED_MIGRATION = "impactcircle.people.migrations.0002_seed_reference_data"


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    result = yield  # the test's fixtures are torn down: a transactional test's flush is done
    # (After the last test the test database itself is gone: nothing to seed.)
    if _is_transactional(item) and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            importlib.import_module(_SEED_MIGRATION).seed(apps, None)
    return result


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
def counted_connections(settings: Any) -> list[int]:
    """Send email through tests/counting_mail.py: one entry per mail connection opened, holding
    the number of messages sent over it."""
    from tests import counting_mail

    settings.MAILERS = {"default": {"BACKEND": "tests.counting_mail.CountingEmailBackend"}}
    counting_mail.OPENED.clear()
    return counting_mail.OPENED


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
