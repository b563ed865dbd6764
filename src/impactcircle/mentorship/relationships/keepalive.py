"""Keeping pairs alive: nudges after a silence, manager warnings, and the check-in pulse.

Run once a day by the periodic job `mentorship.keep_pairs_alive` (relationship_tasks.py). Each
step is idempotent: running it twice on the same day notifies nobody twice.

- **Nudge.** An active relationship with no confirmed session for the programme's
  `nudge_after_days` (default 21), counted from the last confirmed session or else from the
  start: each member is told once per silence (`nudged_at`; confirming a new session clears it).
- **Manager warning.** After `warn_manager_after_days`, the programme's managers are told once
  per silence (`manager_warned_at`). The warning carries no session content.
- **Check-in pulse.** At day 30 after the start and every 60 days after, each member gets a
  `CheckIn` ("How is your mentoring going?", 1–5) and a notification linking to it. The unique
  (relationship, user, due date) constraint makes a second run a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from impactcircle.mentorship.models import CheckIn, Relationship, RelationshipMember
from impactcircle.mentorship.policies import programme_managers
from impactcircle.mentorship.relationships.health import days_silent
from impactcircle.mentorship.relationships.services import MENTORING_CATEGORY, relationship_link
from impactcircle.notifications.services import Notice, notify, notify_many

FIRST_CHECK_IN_AFTER_DAYS = 30
CHECK_IN_EVERY_DAYS = 60
CHECK_IN_QUESTION = "How is your mentoring going?"


@dataclass(frozen=True)
class KeepAliveReport:
    nudged: int = 0
    managers_warned: int = 0
    check_ins_created: int = 0


def latest_check_in_due(started_on: date, today: date) -> date | None:
    """The most recent pulse date on or before today: start + 30, + 90, + 150, …"""
    first = started_on + timedelta(days=FIRST_CHECK_IN_AFTER_DAYS)
    if today < first:
        return None
    rounds = (today - first).days // CHECK_IN_EVERY_DAYS
    return first + timedelta(days=rounds * CHECK_IN_EVERY_DAYS)


def _active_relationships() -> list[Relationship]:
    return list(
        Relationship.objects.filter(status=Relationship.Status.ACTIVE, started_on__isnull=False)
        .select_related("programme")
        .prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user")),
        )
    )


def _nudge(relationship: Relationship, silent: int) -> bool:
    """Tell the members, once per silence; False when another run got there first."""
    with transaction.atomic():
        claimed = Relationship.objects.filter(pk=relationship.pk, nudged_at__isnull=True).update(
            nudged_at=timezone.now()
        )
        if not claimed:
            return False
        message = ngettext(
            "No confirmed mentoring session in %(programme)s for %(days)d day. "
            "Plan your next conversation, or log the one you had.",
            "No confirmed mentoring session in %(programme)s for %(days)d days. "
            "Plan your next conversation, or log the one you had.",
            silent,
        ) % {"programme": relationship.programme, "days": silent}
        link = relationship_link(relationship)
        notify_many(
            category=MENTORING_CATEGORY,
            notices=[
                Notice(recipient=member.user, message=message, link=link)
                for member in relationship.members.all()
            ],
        )
    return True


def _warn_managers(relationship: Relationship, silent: int) -> bool:
    with transaction.atomic():
        claimed = Relationship.objects.filter(
            pk=relationship.pk, manager_warned_at__isnull=True
        ).update(manager_warned_at=timezone.now())
        if not claimed:
            return False
        names = ", ".join(member.user.display_name for member in relationship.members.all())
        message = ngettext(
            "The mentoring relationship of %(names)s in %(programme)s "
            "has had no confirmed session for %(days)d day.",
            "The mentoring relationship of %(names)s in %(programme)s "
            "has had no confirmed session for %(days)d days.",
            silent,
        ) % {"names": names, "programme": relationship.programme, "days": silent}
        link = relationship_link(relationship)
        notify_many(
            category=MENTORING_CATEGORY,
            notices=[
                Notice(recipient=manager, message=message, link=link)
                for manager in programme_managers(relationship.programme)
            ],
        )
    return True


def _create_check_ins(
    relationship: Relationship, due_on: date, existing: set[tuple[int, int, date]]
) -> int:
    created = 0
    link = reverse("relationship_detail", args=[relationship.pk]) + "#check-in"
    for member in relationship.members.all():
        if (relationship.pk, member.user_id, due_on) in existing:
            continue
        try:
            with transaction.atomic():
                CheckIn.objects.create(relationship=relationship, user=member.user, due_on=due_on)
                notify(
                    recipient=member.user,
                    category=MENTORING_CATEGORY,
                    message=f"{CHECK_IN_QUESTION} One question about your mentoring in "
                    f"{relationship.programme}, answered 1 to 5.",
                    link=link,
                )
        except IntegrityError:
            continue  # already created by an earlier run
        created += 1
    return created


def keep_pairs_alive(*, today: date | None = None) -> KeepAliveReport:
    """Nudge silent pairs, warn managers about long silences, send due check-ins."""
    day = today or timezone.localdate()
    nudged = warned = check_ins = 0
    relationships = _active_relationships()
    existing = set(
        CheckIn.objects.filter(
            relationship__status=Relationship.Status.ACTIVE,
            due_on__gt=day - timedelta(days=CHECK_IN_EVERY_DAYS),
        ).values_list("relationship_id", "user_id", "due_on")
    )
    for relationship in relationships:
        programme = relationship.programme
        silent = days_silent(relationship, day)
        if silent is not None:
            if relationship.nudged_at is None and silent >= programme.nudge_after_days:
                nudged += _nudge(relationship, silent)
            if (
                relationship.manager_warned_at is None
                and silent >= programme.warn_manager_after_days
            ):
                warned += _warn_managers(relationship, silent)
        assert relationship.started_on is not None  # filtered above
        due_on = latest_check_in_due(relationship.started_on, day)
        if due_on is not None:
            check_ins += _create_check_ins(relationship, due_on, existing)
    return KeepAliveReport(nudged=nudged, managers_warned=warned, check_ins_created=check_ins)


__all__ = [
    "CHECK_IN_QUESTION",
    "KeepAliveReport",
    "keep_pairs_alive",
    "latest_check_in_due",
]
