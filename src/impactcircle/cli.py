"""The `impactcircle` command: run the platform, its worker, the demo, and any Django command.

impactcircle run            migrate, load the demo when empty, serve with gunicorn + a worker
impactcircle worker         run background tasks (django-tasks-db) with a heartbeat (--queue …)
impactcircle demo           build the demo organisation (--people N --seed S)
impactcircle createadmin    make an administrator (--email …)
impactcircle check          Django's system checks (add --deploy before going live)
impactcircle match          solve a matching problem file, without a database
impactcircle replay_events  deliver stored events again to one subscriber (--subscriber --since)
impactcircle <command>      any other Django management command (migrate, shell, …)
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from impactcircle.config import gunicorn as gunicorn_settings
from impactcircle.config.gunicorn import web_workers_for

SETTINGS_MODULE = "impactcircle.config.settings"
# `impactcircle run` starts one worker serving both queues (core.tasks.QUEUES): interactive work
# is always claimed first, and a second worker process would compete with the web server for
# the same cores (see README, "Deploying").
RUN_WORKER_OPTIONS = ["--queue", "interactive", "--queue", "bulk"]
# Our names for management commands whose Django name differs.
_RENAMED_COMMANDS = {"worker": "run_worker"}


def _data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", Path.cwd() / "var")).resolve()


def ensure_data_dir() -> Path:
    """Create DATA_DIR (the SQLite database, uploads, static files live there) if it is missing."""
    data_dir = _data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SystemExit(
            f"impactcircle: cannot create the data folder {data_dir} ({error.strerror}). "
            "Create it, or point DATA_DIR at a folder this user may write to."
        ) from error
    return data_dir


def ensure_local_secret_key() -> None:
    """Without SECRET_KEY in the environment, keep a random one in DATA_DIR/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return
    key_file = ensure_data_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)


def _django_command(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    ensure_data_dir()
    ensure_local_secret_key()
    from django.core.management import execute_from_command_line
    from django.db import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["impactcircle", *argv])
    except (OperationalError, ProgrammingError) as error:
        if not _database_is_unprepared():
            raise
        print(
            f"impactcircle: the database is not prepared yet ({error}).\n"
            "Run `impactcircle migrate` first (`impactcircle run` does it for you).",
            file=sys.stderr,
        )
        return 1
    return 0


def _database_is_unprepared() -> bool:
    from django.db import DatabaseError

    from impactcircle.core.database_state import unapplied_migrations

    try:
        return bool(unapplied_migrations())
    except DatabaseError:
        return False


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="impactcircle run",
        description=(
            "Prepare the database (migrate, cache table, static files, the demo organisation "
            "when there are no accounts yet), then serve the site with gunicorn and run a task "
            "worker beside it. Ctrl-C stops both."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
    parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
    parser.add_argument(
        "--web-workers",
        type=int,
        default=web_workers_for(usable_cores()),
        help="gunicorn worker processes (default: one per usable core, 2 to 8).",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=gunicorn_settings.threads,
        help=f"threads per worker (default {gunicorn_settings.threads}).",
    )
    parser.add_argument("--no-demo", action="store_true", help="Never load the demo organisation.")
    return parser


def _prepare(load_demo: bool) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if load_demo:
        call_command("demo", if_empty=True)


def demo_sign_in_line(*, with_demo: bool) -> str:
    """The demo's sign-in, printed only when the demo is wanted and its member is here."""
    from impactcircle.accounts.models import User
    from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL, DEMO_PASSWORD

    if not with_demo or not User.objects.filter(email=DEMO_MEMBER_EMAIL).exists():
        return ""
    return (
        f"Demo sign-in: {DEMO_MEMBER_EMAIL} / {DEMO_PASSWORD}"
        f"  (administrator: {DEMO_ADMIN_EMAIL}, same password)\n"
    )


# How long the web server lets in-flight requests finish when stopping.
_WEB_GRACE_SECONDS = 3
# After this, a child that has not stopped is killed (a second Ctrl-C kills at once).
_STOP_DEADLINE_SECONDS = 10


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    # Its own process group: Ctrl-C in the terminal reaches this supervisor only, which then
    # stops each child once, gracefully (SIGTERM), instead of every process of gunicorn and the
    # worker racing to quit on its own signal (which left a web worker to be SIGKILLed).
    return subprocess.Popen(command, process_group=0)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    hurry = False

    def _on_second_signal(signum: int, frame: object) -> None:
        nonlocal hurry
        hurry = True

    signal.signal(signal.SIGINT, _on_second_signal)
    signal.signal(signal.SIGTERM, _on_second_signal)
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + _STOP_DEADLINE_SECONDS
    while any(process.poll() is None for process in processes):
        if hurry or time.monotonic() > deadline:
            for process in processes:
                if process.poll() is None:
                    process.kill()
            break
        time.sleep(0.05)
    for process in processes:
        process.wait()


def usable_cores() -> int | None:
    """The CPUs this process may run on (a container's limit by affinity), None if unknown."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count()


def gunicorn_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn with the serve settings of `impactcircle.config.gunicorn` (gthread, keep-alive,
    timeouts, backlog, max_requests); only the address, sizes and a short stop are given here."""
    return [
        sys.executable, "-m", "gunicorn", "impactcircle.config.wsgi",
        "--config", "python:impactcircle.config.gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers), "--threads", str(threads),
        "--access-logfile", "-", "--graceful-timeout", str(_WEB_GRACE_SECONDS),
        "--no-control-socket",
    ]  # fmt: skip


def run(argv: list[str]) -> int:
    options = _run_parser().parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    os.environ.setdefault("SITE_URL", f"http://{options.host}:{options.port}")
    ensure_data_dir()
    ensure_local_secret_key()
    _prepare(load_demo=not options.no_demo)

    web = _start(gunicorn_command(options.host, options.port, options.web_workers, options.threads))
    worker = _start([sys.executable, "-m", "impactcircle", "worker", *RUN_WORKER_OPTIONS])
    processes = [web, worker]
    url = os.environ["SITE_URL"]
    print(
        f"\nImpactCircle is running at {url}/\n"
        f"{demo_sign_in_line(with_demo=not options.no_demo)}Press Ctrl-C to stop.\n",
        flush=True,
    )

    def _on_terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C too, explicitly: a process started with SIGINT ignored (a background job of a
    # script, some test runners) inherits that, and then Python raises no KeyboardInterrupt.
    signal.signal(signal.SIGINT, _on_terminate)
    signal.signal(signal.SIGTERM, _on_terminate)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.2)
        failed = next(process for process in processes if process.poll() is not None)
        print(f"A process stopped (exit code {failed.returncode}); stopping the others.")
        return failed.returncode or 1
    except KeyboardInterrupt:
        print("\nStopping ImpactCircle…", flush=True)
        return 0
    finally:
        _stop(processes)


def match(argv: list[str]) -> int:
    from impactcircle.engine.matching.command import main as match_main

    return match_main(argv)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = args[0], args[1:]
    if command == "run":
        return run(rest)
    if command == "match":
        return match(rest)
    return _django_command([_RENAMED_COMMANDS.get(command, command), *rest])


if __name__ == "__main__":
    sys.exit(main())
