"""Many applications to one programme, written in two bulk inserts (no factories, no hashing)."""

from __future__ import annotations

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import Application, Programme

# Every fifth application waits for a decision; the rest cycle through the other states.
STATUS_CYCLE = ("submitted", "accepted", "accepted", "waitlisted", "declined")


def add_applications(programme: Programme, count: int, *, prefix: str = "applicant") -> None:
    """`count` applicants named "<Prefix> Number<n>", alternating mentee and mentor."""
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{number}@example.com",
            first_name=prefix.capitalize(),
            last_name=f"Number{number}",
            password="!",  # unusable
        )
        for number in range(count)
    )
    Application.objects.bulk_create(
        Application(
            programme=programme,
            user=user,
            side="mentee" if number % 2 == 0 else "mentor",
            status=STATUS_CYCLE[number % len(STATUS_CYCLE)],
            decision_reason="No room this cohort" if number % 5 == 4 else "",
            goals="Learn to measure social impact and lead our carbon baseline " * 3,
        )
        for number, user in enumerate(users)
    )
