"""The worker's part of publishing a run: every pair or circle becomes a relationship.

All or nothing in one transaction, in a fixed number of queries whatever the number of pairs
(relationships and members inserted in bulk, everyone told through `notify_many`); the run page
follows the stage and progress while it works.
"""

from __future__ import annotations

from statistics import mean

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from impactcircle.accounts.models import User
from impactcircle.core.audit import record_audit_event
from impactcircle.core.events import publish
from impactcircle.mentorship.matching.compute import set_progress
from impactcircle.mentorship.matching.events import MatchingRunPublished
from impactcircle.mentorship.matching.problem import active_mentee_ids
from impactcircle.mentorship.models import MatchingRun, ProposedMatch
from impactcircle.mentorship.relationships.services import (
    MENTORING_CATEGORY,
    NewRelationship,
    relationship_link,
    relationships_create_many,
)
from impactcircle.notifications.services import Notice, notify_many


def _groups(matches: list[ProposedMatch]) -> list[list[ProposedMatch]]:
    """Pairs alone; the members of a circle together (same mentor and circle number)."""
    groups: dict[tuple[int, int], list[ProposedMatch]] = {}
    for match in matches:
        key = (match.mentor_id, match.circle if match.circle is not None else -match.pk)
        groups.setdefault(key, []).append(match)
    return list(groups.values())


def run_publish_execute(run_id: int, actor_id: int | None) -> MatchingRun:
    """Publish a run the service marked "publishing"; a retried task finds it done and stops."""
    run = MatchingRun.objects.get(pk=run_id)
    if run.status != MatchingRun.Status.PUBLISHING:
        return run
    set_progress(run, 10, "Creating the relationships")
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    with transaction.atomic():
        locked = MatchingRun.objects.select_for_update().select_related("programme").get(pk=run_id)
        if locked.status != MatchingRun.Status.PUBLISHING:
            return locked
        programme = locked.programme
        matches = list(
            locked.matches.select_related("mentee__user", "mentor__user").order_by(
                "mentor_id", "circle", "pk"
            )
        )
        busy = set(active_mentee_ids(programme))
        if any(match.mentee.user_id in busy for match in matches):
            MatchingRun.objects.filter(pk=run_id).update(
                status=MatchingRun.Status.DRAFT,
                progress=100,
                stage="Draft ready",
                error="Not published: someone in this draft was matched meanwhile; "
                "run the matching again.",
            )
            return MatchingRun.objects.get(pk=run_id)
        groups = _groups(matches)
        relationships = relationships_create_many(
            programme=programme,
            source_run=locked,
            new=[
                NewRelationship(
                    mentor=members[0].mentor.user,
                    mentees=[member.mentee.user for member in members],
                    score=round(mean(member.score for member in members), 1),
                    reasons=members[0].reasons if len(members) == 1 else [],
                )
                for members in groups
            ],
        )
        notices: list[Notice] = []
        for relationship, members in zip(relationships, groups, strict=True):
            link = relationship_link(relationship)
            mentor = members[0].mentor.user
            names = ", ".join(member.mentee.user.display_name for member in members)
            notices.append(
                Notice(
                    recipient=mentor,
                    message=f"You are matched with {names} in {programme.name}.",
                    link=link,
                )
            )
            notices.extend(
                Notice(
                    recipient=member.mentee.user,
                    message=f"You are matched with {mentor.display_name} in {programme.name}.",
                    link=link,
                )
                for member in members
            )
        notify_many(category=MENTORING_CATEGORY, notices=notices, actor=actor)
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.PUBLISHED,
            published_at=timezone.now(),
            progress=100,
            stage=ngettext(
                "Published: %(count)d relationship started",
                "Published: %(count)d relationships started",
                len(relationships),
            )
            % {"count": len(relationships)},
            updated_at=timezone.now(),
        )
        publish(
            MatchingRunPublished(
                run_id=locked.pk,
                programme_id=programme.pk,
                published_by_id=actor_id,
                relationship_count=len(relationships),
            )
        )
        record_audit_event(
            action="matching.run_published",
            actor=actor,
            target=locked,
            details={"relationships": len(relationships)},
        )
    return MatchingRun.objects.get(pk=run_id)
