"""The `impactcircle` console script."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from impactcircle import cli


def _impactcircle(*args: str, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATA_DIR=str(tmp_path), DEBUG="1")
    return subprocess.run(
        [sys.executable, "-m", "impactcircle", *args], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0

    printed = capsys.readouterr().out
    for command in ("run", "worker", "demo", "createadmin", "check", "match"):
        assert f"impactcircle {command}" in printed


def test_run_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--help"])

    assert exit_info.value.code == 0
    assert "Ctrl-C stops both" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("worker", "heartbeat"),
        ("demo", "--people"),
        ("createadmin", "--password-env"),
        ("check", "--deploy"),
    ],
)
def test_each_command_has_help(command: str, expected: str, tmp_path) -> None:
    result = _impactcircle(command, "--help", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_other_django_commands_pass_through(tmp_path) -> None:
    result = _impactcircle("showmigrations", "accounts", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "0001_initial" in result.stdout


def test_a_local_secret_key_is_created_once_and_kept(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    cli.ensure_local_secret_key()
    first = (tmp_path / "secret_key").read_text()
    cli.ensure_local_secret_key()

    assert len(first) >= 50
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
