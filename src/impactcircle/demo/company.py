"""Build the demo organisation: the one entry point `impactcircle demo` calls."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from impactcircle.accounts.models import User
from impactcircle.core.search import index_now
from impactcircle.demo.accounts import DemoAccounts, ensure_demo_accounts
from impactcircle.demo.hierarchy import CompanyPlan, plan_company
from impactcircle.demo.mentorship import build_demo_mentorship, build_large_programme
from impactcircle.demo.organisation import ensure_departments, ensure_reference_rows
from impactcircle.demo.people import store_people
from impactcircle.demo.profiles import Person, describe_people
from impactcircle.demo.reference import DEMO_DOMAIN
from impactcircle.mentorship.models import Programme
from impactcircle.people.models import Profile
from impactcircle.people.selectors import PROFILE_TYPE

SUSTAINABILITY = 0  # index of "Sustainability & CSR" in FUNCTIONS
PEOPLE_TEAM = 1  # index of "HR & People"
INDEX_BATCH = 2000

MEMBER_BIO = (
    "I coordinate our community volunteering and measure what it changes. Always happy to swap "
    "notes with colleagues who care about the same causes."
)
ADMINISTRATOR_BIO = "I look after ImpactCircle for our company. Ask me how anything here works."


@dataclass(frozen=True)
class DemoOrganisation:
    administrator: User
    member: User
    people_created: int  # new accounts
    rows_created: int  # every row inserted, the many-to-many rows included
    already_built: bool


def _first_of(*candidates: list[int]) -> int:
    return next(people[0] for people in candidates if people)


def choose_slots(plan: CompanyPlan) -> tuple[int, int]:
    """Where the demo member (Dana, in Sustainability & CSR with a manager) and the
    administrator (Ada, in HR & People when there is one) sit in the plan."""
    everyone = list(range(plan.size))
    non_ceo = [i for i in everyone if plan.manager[i] >= 0]
    sustainability = [i for i in non_ceo if plan.function_of(i) == SUSTAINABILITY]
    member = _first_of(
        [i for i in sustainability if plan.role[i] == "member" and 2 <= plan.level[i] <= 4],
        sustainability,
        non_ceo,
    )
    people_team = [i for i in non_ceo if plan.function_of(i) == PEOPLE_TEAM and i != member]
    administrator = _first_of(
        [i for i in people_team if plan.role[i] == "member" and plan.level[i] >= 3],
        people_team,
        [i for i in everyone if i != member],
    )
    return member, administrator


def _dressed(people: Iterator[Person], slots: dict[int, tuple[User, str]]) -> Iterator[Person]:
    """The described people, with the sign-in accounts' names and bios in their slots."""
    for index, person in enumerate(people):
        if index not in slots:
            yield person
            continue
        account, bio = slots[index]
        yield dataclasses.replace(
            person,
            first_name=account.first_name,
            last_name=account.last_name,
            email=account.email,
            status="active",
            status_since=person.hire_date,
            visibility={},
            bio=bio,
            languages=tuple(dict.fromkeys((*person.languages, "en"))),
            open_to_be_mentored=True,
            mentoring_hours=max(person.mentoring_hours, 4),
        )


def organisation_exists(accounts: DemoAccounts) -> bool:
    """True when people other than the sign-in accounts already have a department."""
    return (
        Profile.objects.filter(department__isnull=False)
        .exclude(user__in=[accounts.administrator, accounts.member])
        .exists()
    )


@transaction.atomic
def build_demo_organisation(*, people: int, seed: int) -> DemoOrganisation:
    """Build a coherent company of `people` (at least 2) deterministically for `seed`, or leave
    an existing one as it is."""
    if people < 2:
        raise ValueError("The demo needs at least 2 people: the administrator and the member.")
    accounts = ensure_demo_accounts()
    if organisation_exists(accounts):
        return DemoOrganisation(accounts.administrator, accounts.member, 0, 0, already_built=True)
    rng = random.Random(seed)  # noqa: S311  (reproducible demo data, not security)
    plan = plan_company(people, rng)
    refs = ensure_reference_rows()
    department_ids = ensure_departments(plan)
    member_slot, administrator_slot = choose_slots(plan)
    taken = set(
        User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}").values_list("email", flat=True)
    )
    described = describe_people(plan, rng, taken)
    slots = {
        member_slot: (accounts.member, MEMBER_BIO),
        administrator_slot: (accounts.administrator, ADMINISTRATOR_BIO),
    }
    stored = store_people(
        plan,
        _dressed(described, slots),
        refs,
        department_ids,
        {index: account for index, (account, _bio) in slots.items()},
    )
    build_demo_mentorship(administrator=accounts.administrator, member=accounts.member, seed=seed)
    # The directory searches through core.search: index everyone now, in large batches.
    index_now(
        PROFILE_TYPE,
        Profile.objects.filter(user__is_active=True).values_list("pk", flat=True),
        batch_size=INDEX_BATCH,
    )
    return DemoOrganisation(
        accounts.administrator,
        accounts.member,
        people_created=stored.accounts,
        rows_created=stored.rows + len(department_ids),
        already_built=False,
    )


def build_benchmark_programme(
    *, people: int, mentees: int, mentors: int, seed: int
) -> tuple[User, Programme]:
    """The demo organisation of `people` and in it the large one-on-one programme the
    benchmarks measure (bench/mentorship, bench/queues): its manager, the administrator, and it."""
    organisation = build_demo_organisation(people=people, seed=seed)
    manager = organisation.administrator
    programme = build_large_programme(manager=manager, mentees=mentees, mentors=mentors, seed=seed)
    return manager, programme
