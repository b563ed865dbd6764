"""The demo organisation's accounts: an administrator, a member to sign in as, and colleagues."""

from __future__ import annotations

import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from impactcircle.accounts.models import SignupPolicy, User

DEMO_DOMAIN = "example.com"
DEMO_ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
DEMO_MEMBER_EMAIL = f"demo@{DEMO_DOMAIN}"
DEMO_PASSWORD = "impact-demo-2026"  # noqa: S105  (published demo credentials, shown by `make run`)

_FIRST_NAMES = (
    "Ana", "Ben", "Chiara", "Dmitri", "Emeka", "Fatima", "Grace", "Hiro", "Ines", "Jonas",
    "Kavya", "Liam", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
    "Uma", "Victor", "Wanjiru", "Xavier", "Yara", "Zeynep", "Aiko", "Bruno", "Camila", "Diego",
)  # fmt: skip
_LAST_NAMES = (
    "Almeida", "Berg", "Chen", "Dubois", "Eze", "Fischer", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Mensah", "Nakamura", "Okafor", "Patel", "Quispe", "Rossi",
    "Schmidt", "Tanaka", "Usman", "Virtanen", "Wójcik", "Xu", "Yilmaz", "Zhang", "Sato", "Silva",
)  # fmt: skip


@dataclass(frozen=True)
class DemoAccounts:
    administrator: User
    member: User
    colleagues_created: int


def _verified(user: User) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def build_demo_accounts(*, people: int, seed: int) -> DemoAccounts:
    """Create (or keep) the demo accounts; deterministic for a given seed."""
    policy, _ = SignupPolicy.objects.get_or_create(pk=1)
    policy.mode = SignupPolicy.Mode.RESTRICTED
    policy.allowed_domains = DEMO_DOMAIN
    policy.save()

    administrator = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    if administrator is None:
        administrator = User.objects.create_superuser(
            email=DEMO_ADMIN_EMAIL, password=DEMO_PASSWORD, first_name="Ada", last_name="Admin"
        )
    member = User.objects.filter(email=DEMO_MEMBER_EMAIL).first()
    if member is None:
        member = User.objects.create_user(
            email=DEMO_MEMBER_EMAIL, password=DEMO_PASSWORD, first_name="Dana", last_name="Demo"
        )
    _verified(administrator)
    _verified(member)

    rng = random.Random(seed)  # noqa: S311  (reproducible demo data, not security)
    unusable = make_password(None)
    colleagues = []
    for number in range(1, max(people - 2, 0) + 1):
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        email = f"{first}.{last}.{number}@{DEMO_DOMAIN}".lower()
        colleagues.append(User(email=email, first_name=first, last_name=last, password=unusable))
    created = User.objects.bulk_create(colleagues, batch_size=2000, ignore_conflicts=True)
    return DemoAccounts(administrator=administrator, member=member, colleagues_created=len(created))
