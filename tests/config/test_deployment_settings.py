"""Production settings: the deploy check, password hashing, SQLite's locking mode."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from impactcircle.accounts.models import User
from impactcircle.config import settings as production_settings


def _run_deploy_check(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        # DATABASE_URL too: the settings are under test here, not the server's autovacuum
        # (tests/core/test_upkeep.py checks that warning against the real server).
        if key
        not in {"DJANGO_SETTINGS_MODULE", "SITE_URL", "BEHIND_PROXY", "DEBUG", "DATABASE_URL"}
    }
    clean_env.update(
        DJANGO_SETTINGS_MODULE="impactcircle.config.settings", DATA_DIR=str(tmp_path), **env
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean_env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_deploy_check_finds_no_issue_with_debug_off(tmp_path) -> None:
    result = _run_deploy_check(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-deploy-check-secret-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="csr.example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_a_secret_key_debug_off_refuses_to_start(tmp_path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="impactcircle.config.settings", DATA_DIR=str(tmp_path), DEBUG="0"
    )

    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters_on_one_core() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django.utils.module_loading import import_string

    hasher = import_string(production_settings.PASSWORD_HASHERS[0])()

    assert isinstance(hasher, Argon2PasswordHasher)
    assert hasher.algorithm == "argon2"  # hashes from Django's defaults still verify
    # OWASP's floor for Argon2id; one lane so that a sign-in takes one core, not all of them.
    assert (hasher.memory_cost, hasher.time_cost, hasher.parallelism) == (19 * 1024, 2, 1)
    encoded = hasher.encode("correct horse battery", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("correct horse battery", encoded)


def test_a_hash_made_with_djangos_defaults_verifies_and_is_rehashed_at_sign_in() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django.utils.module_loading import import_string

    hasher = import_string(production_settings.PASSWORD_HASHERS[0])()
    old = Argon2PasswordHasher().encode("correct horse battery", hasher.salt())

    assert hasher.verify("correct horse battery", old)
    assert hasher.must_update(old)
    assert not hasher.must_update(hasher.encode("correct horse battery", hasher.salt()))


def test_sessions_last_twelve_hours_and_thirty_idle_minutes() -> None:
    assert production_settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert production_settings.SESSION_IDLE_TIMEOUT == 30 * 60


_on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's journal and locking mode; PostgreSQL has its own",
)


@_on_sqlite
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_for_each_other_instead_of_failing() -> None:
    """Four threads each write 15 times in transactions that read then write."""
    User.objects.create_user(email="counter@example.com", first_name="0")
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(15):
                with transaction.atomic():
                    person = User.objects.select_for_update().get(email="counter@example.com")
                    person.first_name = str(int(person.first_name) + 1)
                    person.save(update_fields=["first_name"])
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert User.objects.get(email="counter@example.com").first_name == "60"


def test_postgresql_sessions_run_without_parallel_workers_unless_the_url_says() -> None:
    from impactcircle.config.environment import database_from_url

    plain = database_from_url("postgres://app@db.example.com:5432/impactcircle")
    own = database_from_url("postgres://app@db:5432/ic?options=-c%20work_mem%3D64MB")
    sqlite = database_from_url("sqlite:////srv/impactcircle/data/db.sqlite3")

    assert plain["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0"
    assert (plain["CONN_MAX_AGE"], plain["CONN_HEALTH_CHECKS"]) == (60, True)
    assert own["OPTIONS"]["options"] == "-c work_mem=64MB"
    assert "options" not in sqlite.get("OPTIONS", {})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL session setting")
@pytest.mark.django_db
def test_the_running_postgresql_session_has_no_parallel_workers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        (value,) = cursor.fetchone()

    assert value == "0"
