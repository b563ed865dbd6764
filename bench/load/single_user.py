"""Single-user medians of the load test's pages at 100,000 people (issue 9: each under 100 ms).

    .venv/bin/python bench/load/single_user.py --data-dir /tmp/load-sqlite            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load \\
        .venv/bin/python bench/load/single_user.py                                    # PostgreSQL

Runs on a database `run.py` prepared (the demo, the 2,500-application programme, the roles).
Each page is requested in this process through Django's test client with production settings
(no HTTP, no other users): twice to warm it (the search index, the filter lists), then `--runs`
times; prints the median and the slowest run per page, its queries and its size. As the member
Dana for employee pages, as Ada (administrator, manager of every programme) for the others.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="SQLite: the load test's data folder")
    parser.add_argument("--runs", type=int, default=9)
    options = parser.parse_args()
    if options.data_dir:
        os.environ.pop("DATABASE_URL", None)
        os.environ["DATA_DIR"] = options.data_dir
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactcircle.config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SITE_URL"] = "http://testserver"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from roster import LARGE_PROGRAMME_PREFIX  # bench/load/roster.py

    from impactcircle.accounts.models import User
    from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL
    from impactcircle.mentorship.models import MatchingRun, Programme, RelationshipMember
    from impactcircle.people.models import (
        CauseArea,
        CompanyValue,
        Department,
        ProfileSkill,
        Skill,
    )

    call_command("collectstatic", interactive=False, verbosity=0)
    member = User.objects.get(email=DEMO_MEMBER_EMAIL)
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    in_pair = RelationshipMember.objects.order_by("pk").first()
    assert in_pair is not None, "run bench/load/run.py first: the demo has no relationships"
    large = Programme.objects.filter(name__startswith=LARGE_PROGRAMME_PREFIX).first()
    assert large is not None, "run bench/load/run.py first: no 2,500-application programme"
    run = MatchingRun.objects.order_by("-pk").first()
    colleague = User.objects.filter(is_active=True).exclude(pk=member.pk).order_by("pk")[500]
    skill, cause = Skill.objects.order_by("pk").first(), CauseArea.objects.order_by("pk").first()
    assert skill is not None
    value = CompanyValue.objects.order_by("pk").first()
    department = Department.objects.order_by("pk").first()
    assert value is not None
    assert department is not None
    rarest_skill = (
        ProfileSkill.objects.values("skill_id")
        .annotate(holders=Count("*"))
        .order_by("holders", "skill_id")
        .values_list("skill_id", flat=True)
        .first()
    )
    assert cause is not None
    pages = [
        (member, "/"),
        (member, "/people/"),
        (member, "/people/?page=40"),
        (member, "/people/?q=data+analysis"),
        (member, "/people/?q=who+knows+about+reducing+emissions+in+logistics"),
        (member, "/people/?q=Garcia"),
        (member, f"/people/?skill={skill.pk}"),
        (member, f"/people/?cause_area={cause.pk}"),
        (member, "/people/?location=berlin"),
        # A value and a language about half the company holds, and the rarest skill: the
        # directory's filter must be quick at both ends.
        (member, f"/people/?value={value.pk}"),
        (member, "/people/?language=en"),
        (member, f"/people/?skill={rarest_skill}"),
        (member, f"/people/?department={department.pk}"),
        (member, "/people/?open_to_mentor=on"),
        (member, f"/people/{colleague.pk}/"),
        (member, f"/people/{member.pk}/"),
        (member, "/notifications/"),
        (member, "/mentoring/"),
        (in_pair.user, "/mentoring/relationships/"),
        (in_pair.user, f"/mentoring/relationships/{in_pair.relationship_id}/"),
        (admin, f"/mentoring/programmes/{large.pk}/"),
        (admin, f"/mentoring/programmes/{large.pk}/manage/"),
        (admin, f"/mentoring/programmes/{large.pk}/manage/?status=submitted&page=20"),
        (admin, f"/mentoring/programmes/{large.pk}/dashboard/"),
        (admin, "/people/roles/"),
        (member, "/api/v1/people"),
        (member, "/api/v1/people?q=impact+measurement"),
        (in_pair.user, "/api/v1/mentoring/relationships"),
        (member, "/api/v1/mentoring/programmes"),
        (admin, f"/api/v1/mentoring/programmes/{large.pk}/applications"),
        (member, "/api/v1/notifications/"),
    ]
    if run is not None:
        pages.append((admin, f"/mentoring/runs/{run.pk}/"))
    clients: dict[int, Client] = {}
    print(f"{connection.vendor}: load average {os.getloadavg()[0]:.2f}")
    print(f"{'page':<62} {'status':>6} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KiB':>6}")
    medians = []
    for person, url in pages:
        if person.pk not in clients:
            clients[person.pk] = Client()
            clients[person.pk].force_login(person)
        client = clients[person.pk]
        for _ in range(2):
            client.get(url)
        times = []
        for _ in range(options.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = statistics.median(times)
        medians.append(median)
        flag = "" if median < TARGET_MS else "  over"
        print(
            f"{url[:62]:<62} {response.status_code:>6} {median:>10.1f} {max(times):>8.1f} "
            f"{len(queries.captured_queries):>8} {len(response.content) / 1024:>6.0f}{flag}"
        )
    over = sum(median >= TARGET_MS for median in medians)
    print(
        f"{len(medians)} pages: slowest median {max(medians):.1f} ms; {over} at or over "
        f"{TARGET_MS:.0f} ms; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
