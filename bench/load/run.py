"""Load-test ImpactCircle: the 100,000-person demo, gunicorn with two workers, 50 people at once.

    .venv/bin/python bench/load/run.py --data-dir /tmp/load-sqlite                 # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load \\
        .venv/bin/python bench/load/run.py                                         # PostgreSQL

1. Prepares the database (`roster.py`): migrates, builds the demo of `--people` when it has
   fewer, adds the 2,500-application programme, refreshes the planner's statistics (ANALYZE on
   PostgreSQL), grants the manager and administrator roles and writes the roster of who signs in.
2. Starts `impactcircle run --no-demo` on a free port: gunicorn with `--web-workers` workers and
   the serve settings of `impactcircle.config.gunicorn`, and a task worker beside it.
3. Runs locust headless on this machine (`locustfile.py`) for `--run-time` with `--users`.
4. Reads locust's CSV statistics and prints, per page, the requests, failures, median, p95, p99
   and requests per second, with the machine's load average sampled every 5 s during the run;
   appends the same as a dated section to `RESULTS.md` (unless `--no-record`).
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE_SECONDS = 5.0


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data-dir", help="SQLite: the data folder (kept between runs)")
    parser.add_argument("--users", type=int, default=50, help="people at once (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="new people per second")
    parser.add_argument("--run-time", default="2m", help="locust's --run-time (default 2m)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--note", default="", help="a line saved with the results")
    parser.add_argument("--out-dir", help="where the roster, CSVs and server log go")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"))
    return parser.parse_args()


def _environment(options: argparse.Namespace) -> None:
    if options.data_dir:
        os.environ.pop("DATABASE_URL", None)
        Path(options.data_dir).mkdir(parents=True, exist_ok=True)
        os.environ["DATA_DIR"] = str(Path(options.data_dir).resolve())
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactcircle.config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Behind one (pretend) proxy: each virtual person sends its own X-Forwarded-For address.
    os.environ["TRUSTED_PROXY_COUNT"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))


def _prepare(options: argparse.Namespace, roster_path: Path) -> str:
    import django

    django.setup()
    import roster  # bench/load/roster.py
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    print(roster.ensure_demo(options.people, options.seed), flush=True)
    print(roster.ensure_large_programme(options.seed), flush=True)
    roster.analyse()
    data = roster.write_roster(roster_path, options.seed)
    print(
        f"prepared in {time.perf_counter() - started:.0f} s: {len(data['employees'])} employees, "
        f"{len(data['managers'])} managers, {len(data['admins'])} administrators to sign in as",
        flush=True,
    )
    vendor = connection.vendor
    connections.close_all()
    return vendor


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit code {server.returncode}); see its log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the server did not answer /healthz within {seconds:.0f} s")


class LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds while the test runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.samples.append(os.getloadavg()[0])


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _number(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def report(
    stats_csv: Path,
    failures_csv: Path,
    *,
    title: str,
    command: str,
    load_before: float,
    samples: list[float],
    note: str,
) -> str:
    """The dated Markdown section: one row per page, then the failures."""
    mean = sum(samples) / len(samples) if samples else os.getloadavg()[0]
    peak = max(samples, default=mean)
    rows = list(csv.DictReader(stats_csv.open()))
    pages = sorted((row for row in rows if row["Name"] != "Aggregated"), key=lambda r: r["Name"])
    total = [row for row in rows if row["Name"] == "Aggregated"]
    lines = [
        f"## {title}",
        "",
        f"`{command}`",
        "",
        f"Load average (1 min) before the run {load_before:.2f}; during it mean {mean:.2f}, "
        f"max {peak:.2f} ({len(samples)} samples every {SAMPLE_SECONDS:.0f} s) on "
        f"{os.cpu_count()} cores, locust on the same machine.{' ' + note if note else ''}",
        "",
        "| page | requests | errors | median ms | p95 ms | p99 ms | req/s | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [*pages, *total]:
        name = (
            "**all requests**" if row["Name"] == "Aggregated" else f"`{row['Type']} {row['Name']}`"
        )
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{_number(row['50%']):.0f} | {_number(row['95%']):.0f} | {_number(row['99%']):.0f} | "
            f"{_number(row['Requests/s']):.1f} | {mean:.2f} |"
        )
    failures = list(csv.DictReader(failures_csv.open())) if failures_csv.exists() else []
    lines.append("")
    if failures:
        lines.append("Errors:")
        lines += [
            f"- `{row['Method']} {row['Name']}` ×{row['Occurrences']}: {row['Error'][:200]}"
            for row in failures
        ]
    else:
        lines.append("Errors: none.")
    return "\n".join(lines) + "\n"


def main() -> None:
    options = _options()
    _environment(options)
    out = Path(options.out_dir or tempfile.mkdtemp(prefix="impactcircle-load-"))
    out.mkdir(parents=True, exist_ok=True)
    roster_path = out / "roster.json"
    vendor = _prepare(options, roster_path)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = (out / "server.log").open("wb")
    server = subprocess.Popen(  # its own process group: a Ctrl-C here stops it through _stop
        [sys.executable, "-m", "impactcircle", "run", "--no-demo", "--host", "127.0.0.1",
         "--port", str(port), "--web-workers", str(options.web_workers)],
        stdout=server_log, stderr=subprocess.STDOUT, process_group=0,
    )  # fmt: skip
    sampler = LoadSampler()
    try:
        _wait_healthy(url, server, seconds=300)
        load_before = os.getloadavg()[0]
        print(
            f"serving {url} ({vendor}); load average {load_before:.2f}; starting locust", flush=True
        )
        sampler.start()
        locust = [
            sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
            "--users", str(options.users), "--spawn-rate", str(options.spawn_rate),
            "--run-time", options.run_time, "--host", url, "--csv", str(out / "locust"),
            "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING",
        ]  # fmt: skip
        subprocess.run(locust, env={**os.environ, "LOAD_ROSTER": str(roster_path)}, check=False)
    finally:
        sampler.done.set()
        _stop(server)
        server_log.close()

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    database = "SQLite" if vendor == "sqlite" else "PostgreSQL"
    title = (
        f"{when} — {database}, {options.people:,} people, {options.users} users, "
        f"{options.run_time}, {options.web_workers} web workers"
    )
    command = " ".join(["bench/load/run.py", *sys.argv[1:]])
    if vendor != "sqlite":
        command = "DATABASE_URL=… " + command
    section = report(
        out / "locust_stats.csv",
        out / "locust_failures.csv",
        title=title,
        command=command,
        load_before=load_before,
        samples=sampler.samples,
        note=options.note,
    )
    print("\n" + section)
    print(f"locust CSVs, roster and server log: {out}")
    if not options.no_record:
        with Path(options.results).open("a") as results:
            results.write("\n" + section)
        print(f"appended to {options.results}")


if __name__ == "__main__":
    main()
