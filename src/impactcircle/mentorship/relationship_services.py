"""Creating relationships and moving them through their lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, InvalidInput
from impactcircle.mentorship.models import (
    MatchingRun,
    Programme,
    Relationship,
    RelationshipMember,
    Side,
)


@transaction.atomic
def relationship_create(
    *,
    programme: Programme,
    mentor: User,
    mentees: Sequence[User],
    source_run: MatchingRun | None = None,
    score: float | None = None,
    reasons: Sequence[str] = (),
    theme: str = "",
    start: bool = True,
) -> Relationship:
    """A pair (one mentee) or a circle (several); active at once unless `start` is False."""
    if not mentees:
        raise InvalidInput("A relationship needs at least one mentee.")
    if mentor in mentees:
        raise InvalidInput("Nobody mentors themselves.")
    relationship = Relationship.objects.create(
        programme=programme,
        is_circle=len(mentees) > 1 or programme.format == Programme.Format.GROUP_CIRCLE,
        theme=theme,
        source_run=source_run,
        score=score,
        reasons=list(reasons),
        status=Relationship.Status.ACTIVE if start else Relationship.Status.PROPOSED,
        started_on=timezone.localdate() if start else None,
        agreement_cadence_days=programme.meeting_every_days,
    )
    RelationshipMember.objects.bulk_create(
        [RelationshipMember(relationship=relationship, user=mentor, side=Side.MENTOR)]
        + [
            RelationshipMember(relationship=relationship, user=mentee, side=Side.MENTEE)
            for mentee in mentees
        ]
    )
    return relationship


@transaction.atomic
def relationship_complete(*, relationship: Relationship, on: date | None = None) -> Relationship:
    locked = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if locked.status not in {Relationship.Status.ACTIVE, Relationship.Status.PROPOSED}:
        raise Conflict(f"This relationship is already {locked.get_status_display().lower()}.")
    locked.status = Relationship.Status.COMPLETED
    locked.ended_on = on or timezone.localdate()
    locked.save(update_fields=["status", "ended_on", "updated_at"])
    return locked


@transaction.atomic
def relationship_end_early(*, relationship: Relationship, reason: str) -> Relationship:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say briefly why it ends.", fields={"reason": ["Required."]})
    locked = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if locked.status not in {Relationship.Status.ACTIVE, Relationship.Status.PROPOSED}:
        raise Conflict(f"This relationship is already {locked.get_status_display().lower()}.")
    locked.status = Relationship.Status.ENDED_EARLY
    locked.ended_on = timezone.localdate()
    locked.end_reason = reason[:300]
    locked.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    return locked
