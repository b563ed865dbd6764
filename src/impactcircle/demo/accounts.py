"""The demo organisation's sign-in accounts: an administrator and a member to sign in as.
Their colleagues are built by `company.py`."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from impactcircle.accounts.models import SignupPolicy, User
from impactcircle.demo.reference import DEMO_DOMAIN

DEMO_ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
DEMO_MEMBER_EMAIL = f"demo@{DEMO_DOMAIN}"
DEMO_PASSWORD = "impact-demo-2026"  # noqa: S105  (published demo credentials, shown by `make run`)


@dataclass(frozen=True)
class DemoAccounts:
    administrator: User
    member: User


def _verified(user: User) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def ensure_demo_accounts() -> DemoAccounts:
    """Create (or keep) the administrator and the demo member, with verified email addresses."""
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
    return DemoAccounts(administrator=administrator, member=member)
