"""Prepare a database for the load test and write the roster the locustfile signs in from.

Runs inside Django (`run.py` sets it up). Everything here is idempotent: a second run finds the
demo, the large programme and the roles in place and only writes the roster again.

- the demo organisation of `people` people (`build_demo_organisation`, seed 2026 by default);
- the 2,000-mentee / 500-mentor programme of `bench/mentorship` (`build_large_programme`), so
  managers open a manage page of 2,500 applications as a real cohort would have;
- programme managers: Ada Admin manages every demo programme; `MANAGERS` more people (seniors
  outside HR) get the programme-manager role and are added as managers of every programme,
  through the same services the roles page and the programme's managers use;
- administrators: Ada and `ADMINS - 1` more people get the administrator role;
- employees: active people, members of a mentoring relationship first (so relationship pages
  have something to show), then everyone else in a reproducible shuffle.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

MANAGERS = 12
ADMINS = 4
EMPLOYEES = 3000
PROFILE_SAMPLE = 2000
LARGE_PROGRAMME_PREFIX = "Benchmark programme"
SEARCHES = (
    "who knows about reducing emissions in logistics",
    "impact measurement",
    "volunteering with schools",
    "data analysis",
    "renewable energy",
    "carbon accounting",
    "public speaking",
    "Garcia",
    "Kumar",
    "supply chain",
)
LOCATIONS = ("Berlin", "London", "Nairobi", "Singapore", "São Paulo", "DE", "IN", "US")


def ensure_demo(people: int, seed: int) -> str:
    from impactcircle.demo.company import build_demo_organisation
    from impactcircle.people.models import Profile

    if Profile.objects.count() >= people:
        return "demo already built"
    result = build_demo_organisation(people=people, seed=seed)
    return f"demo built: {result.people_created} people, {result.rows_created} rows"


def ensure_large_programme(seed: int) -> str:
    from impactcircle.accounts.models import User
    from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL
    from impactcircle.demo.mentorship import build_large_programme
    from impactcircle.mentorship.models import Programme

    if Programme.objects.filter(name__startswith=LARGE_PROGRAMME_PREFIX).exists():
        return "large programme already there"
    programme = build_large_programme(manager=User.objects.get(email=DEMO_ADMIN_EMAIL), seed=seed)
    return f"large programme built: {programme.applications.count()} applications"


def analyse() -> None:
    """Fresh planner statistics after the bulk load (the platform's own upkeep step)."""
    from impactcircle.core.upkeep import refresh_planner_statistics

    refresh_planner_statistics()


def _grant_roles(rng: random.Random) -> tuple[list[Any], list[Any]]:
    from impactcircle.accounts.models import User
    from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL
    from impactcircle.mentorship.models import Programme
    from impactcircle.mentorship.programmes.services import programme_add_manager
    from impactcircle.people.organisation_services import role_grant
    from impactcircle.people.roles import Role

    ada = User.objects.get(email=DEMO_ADMIN_EMAIL)
    candidates = list(
        # The same people every run (those granted a role last time stay candidates).
        User.objects.filter(is_active=True, profile__level__rank__gte=5)
        .exclude(email__in=[DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL])
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    chosen = rng.sample(candidates, MANAGERS + ADMINS - 1)
    managers = list(User.objects.filter(pk__in=chosen[:MANAGERS]).order_by("pk"))
    admins = [ada, *User.objects.filter(pk__in=chosen[MANAGERS:]).order_by("pk")]
    for person in managers:
        role_grant(actor=ada, user=person, role=Role.PROGRAMME_MANAGER)
        for programme in Programme.objects.order_by("pk"):
            programme_add_manager(actor=ada, programme=programme, manager=person)
    for person in admins[1:]:
        role_grant(actor=ada, user=person, role=Role.ADMINISTRATOR)
    return managers, admins


def _employees(rng: random.Random, taken: set[int]) -> list[Any]:
    from impactcircle.accounts.models import User
    from impactcircle.mentorship.models import RelationshipMember

    in_pairs = set(RelationshipMember.objects.values_list("user_id", flat=True))
    active = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", "email"))
    paired = [row for row in active if row[0] in in_pairs and row[0] not in taken]
    others = [row for row in active if row[0] not in in_pairs and row[0] not in taken]
    rng.shuffle(paired)
    rng.shuffle(others)
    return (paired + others)[:EMPLOYEES]


def _programmes() -> list[dict[str, Any]]:
    from impactcircle.mentorship.models import MatchingRun, Programme

    runs: dict[int, list[int]] = {}
    for run_id, programme_id in MatchingRun.objects.order_by("-pk").values_list(
        "pk", "programme_id"
    ):
        runs.setdefault(programme_id, []).append(run_id)
    return [
        {
            "id": programme.pk,
            "name": programme.name,
            "format": programme.format,
            "matching_mode": programme.matching_mode,
            "runs": runs.get(programme.pk, [])[:5],
        }
        for programme in Programme.objects.order_by("pk")
    ]


def _filters(rng: random.Random) -> dict[str, list[Any]]:
    from impactcircle.people.models import CauseArea, CompanyValue, Department, Skill

    def sample(ids: list[Any], size: int = 30) -> list[Any]:
        return rng.sample(ids, min(size, len(ids)))

    return {
        "skill": sample(list(Skill.objects.values_list("pk", flat=True))),
        "department": sample(list(Department.objects.values_list("pk", flat=True))),
        "cause_area": sample(list(CauseArea.objects.values_list("pk", flat=True))),
        "value": sample(list(CompanyValue.objects.values_list("pk", flat=True))),
        "language": ["en", "de", "fr", "es", "pt", "hi", "sw", "zh"],
        "location": list(LOCATIONS),
        "open_to_mentor": ["on"],
    }


def write_roster(path: Path, seed: int) -> dict[str, Any]:
    """Grant the roles (once) and write who signs in as what, and what they may look at."""
    from impactcircle.accounts.models import User
    from impactcircle.demo.accounts import DEMO_PASSWORD
    from impactcircle.people.models import Profile

    rng = random.Random(seed)
    managers, admins = _grant_roles(rng)
    taken = {person.pk for person in [*managers, *admins]}
    employees = _employees(rng, taken)
    profile_ids = list(
        Profile.objects.filter(user__is_active=True)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    roster = {
        "password": DEMO_PASSWORD,
        "employees": [{"id": pk, "email": email} for pk, email in employees],
        "managers": [{"id": person.pk, "email": person.email} for person in managers],
        "admins": [{"id": person.pk, "email": person.email} for person in admins],
        "profiles": rng.sample(profile_ids, min(PROFILE_SAMPLE, len(profile_ids))),
        "directory_pages": max(1, -(-User.objects.filter(is_active=True).count() // 25)),
        "programmes": _programmes(),
        "searches": list(SEARCHES),
        "filters": _filters(rng),
    }
    path.write_text(json.dumps(roster, indent=1))
    return roster
