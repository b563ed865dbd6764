"""The serve settings gunicorn ends up with under `impactcircle run`, read back through gunicorn's
own configuration loader (no server is started)."""

from __future__ import annotations

import sys

import pytest
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.config import Config

from impactcircle import cli
from impactcircle.config.gunicorn import web_workers_for


def _effective(command: list[str], monkeypatch: pytest.MonkeyPatch) -> Config:
    assert command[1:3] == ["-m", "gunicorn"]
    monkeypatch.setattr(sys, "argv", ["gunicorn", *command[3:]])
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


def test_run_serves_with_threads_and_a_keep_alive_longer_than_clients_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _effective(cli.gunicorn_command("127.0.0.1", 8123, 2, 4), monkeypatch)

    assert config.worker_class_str == "gthread"
    assert (config.workers, config.threads) == (2, 4)
    assert config.bind == ["127.0.0.1:8123"]
    # Above a reverse proxy's idle upstream reuse (nginx: 60 s) and any browser's think time;
    # gunicorn's own default (2 s) dropped connections under load.
    assert config.keepalive > 60


def test_workers_are_replaced_now_and_then_but_not_all_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _effective(cli.gunicorn_command("127.0.0.1", 8123, 2, 4), monkeypatch)

    assert config.max_requests >= 1000
    assert 0 < config.max_requests_jitter < config.max_requests


def test_a_burst_waits_in_the_backlog_and_requests_may_finish_on_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _effective(cli.gunicorn_command("127.0.0.1", 8123, 2, 4), monkeypatch)

    assert config.backlog >= 1024
    assert config.timeout >= 30
    # `impactcircle run` stops quickly (a laptop); a plain gunicorn with the config waits longer.
    assert config.graceful_timeout == 3


def test_gunicorn_with_only_the_config_file_keeps_the_production_grace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command = [sys.executable, "-m", "gunicorn", "impactcircle.config.wsgi"]
    command += ["--config", "python:impactcircle.config.gunicorn"]

    config = _effective(command, monkeypatch)

    assert config.graceful_timeout == 30
    assert config.worker_class_str == "gthread"


def test_run_takes_thread_and_worker_counts_from_its_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = cli._run_parser().parse_args(["--web-workers", "3", "--threads", "8"])

    config = _effective(
        cli.gunicorn_command(options.host, options.port, options.web_workers, options.threads),
        monkeypatch,
    )

    assert (config.workers, config.threads) == (3, 8)


@pytest.mark.parametrize(("cores", "workers"), [(None, 2), (1, 2), (2, 2), (4, 4), (8, 8), (64, 8)])
def test_web_workers_follow_the_cores_within_bounds(cores: int | None, workers: int) -> None:
    assert web_workers_for(cores) == workers
