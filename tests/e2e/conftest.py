"""Browser tests: start the app the way `make run` does, then drive Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Chromium must not reach out to the network on its own (updates, sync, safe browsing).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[str]
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(url: str, process: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The app stopped while starting:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"The app did not become healthy in time:\n{log.read_text()}")


@contextlib.contextmanager
def _running_app(data_dir: Path) -> Iterator[RunningApp]:
    """`impactcircle run` in a fresh data folder, as `make run` starts it; Ctrl-C at the end."""
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SITE_URL", "DEBUG"}
    }
    env.update(DATA_DIR=str(data_dir), DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost")
    log = data_dir / "app.log"
    with log.open("w") as output:
        command = [sys.executable, "-m", "impactcircle", "run", "--port", str(port)]
        process = subprocess.Popen(
            [*command, "--web-workers", "1"],
            env=env, stdout=output, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield RunningApp(url=url, process=process, log=log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # what Ctrl-C sends
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """One app shared by the browser tests of a session."""
    with _running_app(tmp_path_factory.mktemp("app")) as running:
        yield running


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[RunningApp]:
    """An app of the test's own, for tests that stop it."""
    with _running_app(tmp_path) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError("Browser tests need Debian's chromium: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
