"""Creating relationships and moving them through their lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from impactcircle.core.events import publish, publish_many
from impactcircle.mentorship.models import (
    CheckIn,
    MatchingRun,
    MentoringSession,
    Milestone,
    PrivateNote,
    Programme,
    Relationship,
    RelationshipGoal,
    RelationshipMember,
    SessionConfirmation,
    SharedResource,
    Side,
)
from impactcircle.mentorship.policies import programme_managers
from impactcircle.mentorship.relationships.events import (
    GoalAchieved,
    RelationshipFinished,
    RelationshipStarted,
    SessionConfirmed,
)
from impactcircle.notifications.services import Notice, notify_many

MENTORING_CATEGORY = "mentoring"
TITLE_MAX_LENGTH = 200
TOPICS_MAX_LENGTH = 300
NOTES_MAX_LENGTH = 20_000
RESOURCE_URL_MAX_LENGTH = 500
TWIN_WINDOW = timedelta(minutes=2)  # the same session logged again this soon is a double click


@transaction.atomic
def relationship_create(
    *,
    programme: Programme,
    mentor: User,
    mentees: Sequence[User],
    source_run: MatchingRun | None = None,
    score: float | None = None,
    reasons: Sequence[object] = (),
    theme: str = "",
    start: bool = True,
) -> Relationship:
    """A pair (one mentee) or a circle (several); active at once unless `start` is False.

    `reasons` are the matching explanation as stored on the proposed match (see
    `mentorship.explanations`), copied as they are.
    """
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
    if start:
        publish(
            RelationshipStarted(
                relationship_id=relationship.pk,
                programme_id=programme.pk,
                mentor_id=mentor.pk,
                mentee_ids=tuple(mentee.pk for mentee in mentees),
                source_run_id=source_run.pk if source_run else None,
            )
        )
    return relationship


@dataclass(frozen=True)
class NewRelationship:
    """One pair or circle for `relationships_create_many`."""

    mentor: User
    mentees: Sequence[User]
    score: float | None = None
    reasons: Sequence[object] = ()


def relationships_create_many(
    *, programme: Programme, new: Sequence[NewRelationship], source_run: MatchingRun | None = None
) -> list[Relationship]:
    """Start many relationships at once (publishing a run): two INSERTs per 1,000 rows.

    The same rules as `relationship_create`; the caller holds the transaction.
    """
    for item in new:
        if not item.mentees:
            raise InvalidInput("A relationship needs at least one mentee.")
        if item.mentor in item.mentees:
            raise InvalidInput("Nobody mentors themselves.")
    today = timezone.localdate()
    created = Relationship.objects.bulk_create(
        [
            Relationship(
                programme=programme,
                is_circle=len(item.mentees) > 1
                or programme.format == Programme.Format.GROUP_CIRCLE,
                source_run=source_run,
                score=item.score,
                reasons=list(item.reasons),
                status=Relationship.Status.ACTIVE,
                started_on=today,
                agreement_cadence_days=programme.meeting_every_days,
            )
            for item in new
        ],
        batch_size=1000,
    )
    RelationshipMember.objects.bulk_create(
        [
            member
            for relationship, item in zip(created, new, strict=True)
            for member in [
                RelationshipMember(relationship=relationship, user=item.mentor, side=Side.MENTOR),
                *(
                    RelationshipMember(relationship=relationship, user=mentee, side=Side.MENTEE)
                    for mentee in item.mentees
                ),
            ]
        ],
        batch_size=1000,
    )
    publish_many(
        [
            RelationshipStarted(
                relationship_id=relationship.pk,
                programme_id=programme.pk,
                mentor_id=item.mentor.pk,
                mentee_ids=tuple(mentee.pk for mentee in item.mentees),
                source_run_id=source_run.pk if source_run else None,
            )
            for relationship, item in zip(created, new, strict=True)
        ]
    )
    return created


@transaction.atomic
def relationship_complete(
    *, relationship: Relationship, on: date | None = None, actor: User | None = None
) -> Relationship:
    """Finish the relationship at once (publishing, managers, scripts); the other members hear
    about it when `actor` is given. Members go through `relationship_finish`, where completing
    takes one member's request and another member's confirmation."""
    locked = _lock_open(relationship)
    locked.status = Relationship.Status.COMPLETED
    locked.ended_on = on or timezone.localdate()
    locked.save(update_fields=["status", "ended_on", "updated_at"])
    if actor is not None:
        asked = locked.completion_requested_by
        message = (
            f"{actor.display_name} confirmed {asked.display_name}'s request: your mentoring in "
            f"{locked.programme} is completed."
            if asked is not None and asked.pk != actor.pk
            else f"{actor.display_name} marked your mentoring in {locked.programme} as completed."
        )
        _tell_members(locked, actor=actor, message=message)
    return locked


def _lock_open(relationship: Relationship) -> Relationship:
    """The relationship's row, locked until the transaction ends; Conflict unless it is open."""
    locked = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("programme", "completion_requested_by")
        .get(pk=relationship.pk)
    )
    if locked.status not in {Relationship.Status.ACTIVE, Relationship.Status.PROPOSED}:
        raise Conflict(f"This relationship is already {locked.get_status_display().lower()}.")
    return locked


def _set_completion_request(
    locked: Relationship, *, actor: User, asking: bool, message: str, action: str
) -> Relationship:
    """Record (or, not `asking`, clear) a request to complete; tell the others; audit it."""
    locked.completion_requested_by = actor if asking else None
    locked.completion_requested_at = timezone.now() if asking else None
    locked.save(update_fields=["completion_requested_by", "completion_requested_at", "updated_at"])
    _tell_members(locked, actor=actor, message=message)
    record_audit_event(
        action=action, actor=actor, target=locked, details={"programme_id": locked.programme_id}
    )
    return locked


def _request_completion(locked: Relationship, *, actor: User) -> Relationship:
    """Record `actor`'s request to complete (who and when) and ask the other members."""
    return _set_completion_request(
        locked,
        actor=actor,
        asking=True,
        message=f"{actor.display_name} asked to mark your mentoring in {locked.programme} as "
        "completed. Open the relationship to confirm.",
        action="mentorship.relationship_completion_requested",
    )


@transaction.atomic
def relationship_completion_withdraw(*, actor: User, relationship: Relationship) -> Relationship:
    """A member takes back their own request to complete, before another member confirms."""
    require_member(actor, relationship)
    locked = _lock_open(relationship)
    if locked.completion_requested_by_id != actor.pk:
        raise Conflict("You have not asked to mark this relationship completed.")
    return _set_completion_request(
        locked,
        actor=actor,
        asking=False,
        message=f"{actor.display_name} withdrew their request to mark your mentoring in "
        f"{locked.programme} as completed; it stays active.",
        action="mentorship.relationship_completion_withdrawn",
    )


@transaction.atomic
def relationship_end_early(
    *, relationship: Relationship, reason: str, actor: User | None = None
) -> Relationship:
    """End before the programme does. The mentees' accepted applications stay in the
    programme's pool (matching skips only people in an ACTIVE relationship), so they can be
    matched again; the programme's managers and the other members are told."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say briefly why it ends.", fields={"reason": ["Required."]})
    locked = _lock_open(relationship)
    locked.status = Relationship.Status.ENDED_EARLY
    locked.ended_on = timezone.localdate()
    locked.end_reason = reason[:300]
    locked.completion_requested_by = None  # a pending request to complete no longer applies
    locked.completion_requested_at = None
    locked.save(
        update_fields=[
            "status",
            "ended_on",
            "end_reason",
            "completion_requested_by",
            "completion_requested_at",
            "updated_at",
        ]
    )
    by = f" by {actor.display_name}" if actor is not None else ""
    link = relationship_link(locked)
    message = (
        f"A mentoring relationship in {locked.programme} was ended early{by} "
        f"(reason: {locked.end_reason}). Its mentees can be matched again."
    )
    notify_many(
        category=MENTORING_CATEGORY,
        notices=[
            Notice(recipient=manager, message=message, link=link)
            for manager in programme_managers(locked.programme)
            if actor is None or manager.pk != actor.pk
        ],
        actor=actor,
    )
    if actor is not None:
        _tell_members(
            locked,
            actor=actor,
            message=f"{actor.display_name} ended your mentoring in {locked.programme} early. "
            "The programme's managers can match you again.",
        )
    return locked


# --- Inside the relationship space: agreement, goals, sessions, resources, check-ins -------------
#
# Every write below takes the acting person and the relationship (already fetched through
# `access.relationship_for`, which answers 404 to outsiders). Only members write; the programme's
# managers read the health view and get 403 here. Changes need an active relationship.


def relationship_link(relationship: Relationship) -> str:
    return reverse("relationship_detail", args=[relationship.pk])


def _tell_members(relationship: Relationship, *, actor: User, message: str) -> None:
    """Notify every member except the actor (one email batch for a whole circle)."""
    link = relationship_link(relationship)
    notify_many(
        category=MENTORING_CATEGORY,
        notices=[
            Notice(recipient=member.user, message=message, link=link)
            for member in relationship.members.select_related("user").exclude(user=actor)
        ],
        actor=actor,
    )


def _lock(relationship: Relationship) -> None:
    """Serialise writers of one relationship (row lock on PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise), so twin checks hold under concurrent requests."""
    Relationship.objects.select_for_update().filter(pk=relationship.pk).values_list("pk").first()


def require_member(actor: User, relationship: Relationship) -> None:
    if not relationship.members.filter(user=actor).exists():
        raise Forbidden("Only the members of this relationship may change it.")


def _require_active_member(actor: User, relationship: Relationship) -> None:
    require_member(actor, relationship)
    if relationship.status != Relationship.Status.ACTIVE:
        raise Conflict(
            f"This relationship is {relationship.get_status_display().lower()}; "
            "it can no longer be changed."
        )


def _clean_title(title: str, field: str = "title") -> str:
    text = (title or "").strip()
    if not text:
        raise InvalidInput("Give it a title.", fields={field: ["Required."]})
    if len(text) > TITLE_MAX_LENGTH:
        raise InvalidInput(
            "The title is too long.",
            fields={field: [f"At most {TITLE_MAX_LENGTH} characters."]},
        )
    return text


def _clean_text(text: str, field: str, limit: int = NOTES_MAX_LENGTH) -> str:
    value = (text or "").strip()
    if len(value) > limit:
        raise InvalidInput(
            "The text is too long.", fields={field: [f"At most {limit} characters."]}
        )
    return value


def relationship_agreement_update(
    *,
    actor: User,
    relationship: Relationship,
    goals: str,
    cadence_days: int | None,
    is_confidential: bool,
) -> Relationship:
    """The mentoring agreement: what the members want from it, how often they meet, and
    whether the shared session notes stay among them (managers never see private notes)."""
    _require_active_member(actor, relationship)
    if cadence_days is not None and not 1 <= cadence_days <= 365:
        raise InvalidInput(
            "Meet at least once a year.",
            fields={"cadence_days": ["Between 1 and 365 days."]},
        )
    relationship.agreement_goals = _clean_text(goals, "goals")
    relationship.agreement_cadence_days = cadence_days
    relationship.agreement_confidential = is_confidential
    relationship.save(
        update_fields=[
            "agreement_goals",
            "agreement_cadence_days",
            "agreement_confidential",
            "updated_at",
        ]
    )
    return relationship


def _clean_progress(progress: int) -> int:
    if not 0 <= progress <= 100:
        raise InvalidInput("Progress is a percentage.", fields={"progress": ["Between 0 and 100."]})
    return progress


@transaction.atomic
def goal_add(
    *, actor: User, relationship: Relationship, title: str, due_on: date | None = None
) -> RelationshipGoal:
    """A new goal; the same title again answers the existing goal (no twins)."""
    _require_active_member(actor, relationship)
    clean_title = _clean_title(title)
    _lock(relationship)
    existing = RelationshipGoal.objects.filter(relationship=relationship, title=clean_title).first()
    if existing is not None:
        return existing
    return RelationshipGoal.objects.create(
        relationship=relationship, title=clean_title, due_on=due_on
    )


def _goal_of(relationship: Relationship, goal_id: int) -> RelationshipGoal:
    goal = RelationshipGoal.objects.filter(relationship=relationship, pk=goal_id).first()
    if goal is None:
        raise NotFound("No such goal.")
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    relationship: Relationship,
    goal_id: int,
    title: str | None = None,
    progress: int | None = None,
    due_on: date | None = None,
    clear_due_on: bool = False,
) -> RelationshipGoal:
    """Change what is given; `progress` is 0–100."""
    _require_active_member(actor, relationship)
    goal = _goal_of(relationship, goal_id)
    was_achieved = goal.progress >= 100
    if title is not None:
        goal.title = _clean_title(title)
    if progress is not None:
        goal.progress = _clean_progress(progress)
    if due_on is not None or clear_due_on:
        goal.due_on = due_on
    goal.save(update_fields=["title", "progress", "due_on", "updated_at"])
    if goal.progress >= 100 and not was_achieved:
        publish(
            GoalAchieved(
                goal_id=goal.pk,
                relationship_id=relationship.pk,
                programme_id=relationship.programme_id,
                achieved_by_id=actor.pk,
            )
        )
    return goal


def goal_delete(*, actor: User, relationship: Relationship, goal_id: int) -> None:
    _require_active_member(actor, relationship)
    _goal_of(relationship, goal_id).delete()


def milestone_add(
    *, actor: User, relationship: Relationship, goal_id: int, title: str
) -> Milestone:
    _require_active_member(actor, relationship)
    goal = _goal_of(relationship, goal_id)
    return Milestone.objects.create(goal=goal, title=_clean_title(title))


def _milestone_of(relationship: Relationship, milestone_id: int) -> Milestone:
    milestone = (
        Milestone.objects.select_related("goal")
        .filter(goal__relationship=relationship, pk=milestone_id)
        .first()
    )
    if milestone is None:
        raise NotFound("No such milestone.")
    return milestone


def milestone_update(
    *,
    actor: User,
    relationship: Relationship,
    milestone_id: int,
    title: str | None = None,
    is_done: bool | None = None,
) -> Milestone:
    _require_active_member(actor, relationship)
    milestone = _milestone_of(relationship, milestone_id)
    if title is not None:
        milestone.title = _clean_title(title)
    if is_done is not None:
        milestone.is_done = is_done
    milestone.save(update_fields=["title", "is_done", "updated_at"])
    return milestone


def milestone_delete(*, actor: User, relationship: Relationship, milestone_id: int) -> None:
    _require_active_member(actor, relationship)
    _milestone_of(relationship, milestone_id).delete()


@transaction.atomic
def session_log(
    *,
    actor: User,
    relationship: Relationship,
    held_on: date,
    duration_minutes: int,
    topics: str = "",
    shared_notes: str = "",
    private_note: str = "",
) -> MentoringSession:
    """Record a meeting. The other side(s) confirm it; until one of them does it does not count
    as a session held. `private_note` is kept for the author alone."""
    _require_active_member(actor, relationship)
    problems: dict[str, list[str]] = {}
    if held_on > timezone.localdate() + timedelta(days=1):
        problems["held_on"] = ["A session is logged once it has happened."]
    if relationship.started_on and held_on < relationship.started_on - timedelta(days=30):
        problems["held_on"] = ["This is long before the relationship started."]
    if not 5 <= duration_minutes <= 600:
        problems["duration_minutes"] = ["Between 5 and 600 minutes."]
    if len((topics or "").strip()) > TOPICS_MAX_LENGTH:
        problems["topics"] = [f"At most {TOPICS_MAX_LENGTH} characters."]
    if problems:
        raise InvalidInput("The session could not be logged.", fields=problems)
    fields = {
        "held_on": held_on,
        "duration_minutes": duration_minutes,
        "topics": (topics or "").strip(),
        "shared_notes": _clean_text(shared_notes, "shared_notes"),
    }
    _lock(relationship)
    twin = MentoringSession.objects.filter(
        relationship=relationship,
        logged_by=actor,
        created_at__gte=timezone.now() - TWIN_WINDOW,
        **fields,
    ).first()
    if twin is not None:
        return twin  # a double click or a retry: the same session, logged once
    session = MentoringSession.objects.create(relationship=relationship, logged_by=actor, **fields)
    note = _clean_text(private_note, "private_note")
    if note:
        PrivateNote.objects.create(session=session, author=actor, body=note)
    _tell_members(
        relationship,
        actor=actor,
        message=f"{actor.display_name} logged a mentoring session held on "
        f"{held_on:%d %b %Y}. Please confirm it took place.",
    )
    return session


def _session_of(relationship: Relationship, session_id: int) -> MentoringSession:
    session = MentoringSession.objects.filter(relationship=relationship, pk=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    return session


@transaction.atomic
def session_confirm(
    *, actor: User, relationship: Relationship, session_id: int
) -> MentoringSession:
    """A member other than the one who logged it confirms the session took place. A session is
    confirmed once one such member has; the relationship's last session date follows the
    confirmed sessions, and a new confirmed session starts a new silence for the nudges."""
    _require_active_member(actor, relationship)
    session = _session_of(relationship, session_id)
    if session.logged_by_id == actor.pk:
        raise Conflict("You logged this session; another member confirms it.")
    locked = Relationship.objects.select_for_update().get(pk=relationship.pk)
    earlier = SessionConfirmation.objects.filter(session=session)
    if session.logged_by_id is not None:
        earlier = earlier.exclude(user_id=session.logged_by_id)
    was_confirmed = earlier.exists()
    try:
        with transaction.atomic():
            SessionConfirmation.objects.create(session=session, user=actor)
    except IntegrityError:
        return session  # confirmed already: a double click changes nothing
    if not was_confirmed:
        publish(
            SessionConfirmed(
                session_id=session.pk,
                relationship_id=relationship.pk,
                programme_id=relationship.programme_id,
                member_ids=tuple(
                    relationship.members.order_by("user_id").values_list("user_id", flat=True)
                ),
            )
        )
    if locked.last_session_on is None or session.held_on > locked.last_session_on:
        locked.last_session_on = session.held_on
        locked.nudged_at = None
        locked.manager_warned_at = None
        locked.save(
            update_fields=["last_session_on", "nudged_at", "manager_warned_at", "updated_at"]
        )
        relationship.last_session_on = locked.last_session_on
    return session


def private_note_set(
    *, actor: User, relationship: Relationship, session_id: int, body: str
) -> PrivateNote | None:
    """Write (or, with an empty body, delete) the actor's own private note on a session. Only
    its author ever reads it; it may be kept after the relationship ended."""
    require_member(actor, relationship)
    session = _session_of(relationship, session_id)
    text = _clean_text(body, "body")
    if not text:
        PrivateNote.objects.filter(session=session, author=actor).delete()
        return None
    note, _ = PrivateNote.objects.update_or_create(
        session=session, author=actor, defaults={"body": text}
    )
    return note


def private_note_of(*, actor: User, relationship: Relationship, session_id: int) -> str:
    """The actor's own private note on the session ("" when none). Nobody else's, ever."""
    require_member(actor, relationship)
    session = _session_of(relationship, session_id)
    note = PrivateNote.objects.filter(session=session, author=actor).first()
    return note.body if note is not None else ""


def checked_resource_url(url: str) -> str:
    """A path on this site (`/…`, not `//…`) or an `https://` address with a host."""
    value = (url or "").strip()
    bad = InvalidInput(
        "Link to a page on this site (/…) or an https:// address.",
        fields={"url": ["Use a path starting with / or an https:// link."]},
    )
    if not value or len(value) > RESOURCE_URL_MAX_LENGTH:
        raise bad
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in value):
        raise bad
    if value.startswith("/"):
        if value.startswith("//"):
            raise bad
        return value
    try:
        parts = urlsplit(value)
    except ValueError:
        raise bad from None
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise bad
    return value


@transaction.atomic
def resource_add(
    *, actor: User, relationship: Relationship, title: str, url: str
) -> SharedResource:
    """Share a link; a link already shared answers the existing resource (no twins)."""
    _require_active_member(actor, relationship)
    clean_title = _clean_title(title)
    clean_url = checked_resource_url(url)
    _lock(relationship)
    existing = SharedResource.objects.filter(relationship=relationship, url=clean_url).first()
    if existing is not None:
        return existing
    return SharedResource.objects.create(
        relationship=relationship, title=clean_title, url=clean_url, added_by=actor
    )


def resource_remove(*, actor: User, relationship: Relationship, resource_id: int) -> None:
    _require_active_member(actor, relationship)
    deleted, _ = SharedResource.objects.filter(relationship=relationship, pk=resource_id).delete()
    if not deleted:
        raise NotFound("No such resource.")


def check_in_answer(
    *, actor: User, relationship: Relationship, check_in_id: int, score: int
) -> CheckIn:
    """Answer one's own pulse question "How is your mentoring going?" (1–5). Someone else's
    check-in is 404. It may be answered again (the latest answer counts)."""
    check_in = CheckIn.objects.filter(relationship=relationship, user=actor, pk=check_in_id).first()
    if check_in is None:
        raise NotFound("No such check-in.")
    if not 1 <= score <= 5:
        raise InvalidInput("Choose 1 to 5.", fields={"score": ["Between 1 and 5."]})
    check_in.score = score
    check_in.answered_at = timezone.now()
    check_in.save(update_fields=["score", "answered_at", "updated_at"])
    return check_in


@transaction.atomic
def relationship_finish(
    *, actor: User, relationship: Relationship, reason: str | None = None
) -> Relationship:
    """A member completes the relationship, or (with a reason) ends it early. Audited.

    Completing is two-sided: the first member's call records their request (who and when) and
    asks the others; it completes when another member calls too. The row lock makes two
    confirmations at the same moment complete it once (the second finds it completed: Conflict).
    Asking again while one's own request is pending is a Conflict; the asker takes it back
    with `relationship_completion_withdraw`."""
    require_member(actor, relationship)
    if reason is None:
        locked = _lock_open(relationship)
        if locked.completion_requested_by_id is None:
            return _request_completion(locked, actor=actor)
        if locked.completion_requested_by_id == actor.pk:
            raise Conflict(
                "You already asked to mark this relationship completed; "
                "another member needs to confirm."
            )
        finished = relationship_complete(relationship=locked, actor=actor)
        action = "mentorship.relationship_completed"
    else:
        finished = relationship_end_early(relationship=relationship, reason=reason, actor=actor)
        action = "mentorship.relationship_ended_early"
    record_audit_event(
        action=action,
        actor=actor,
        target=finished,
        details={"programme_id": finished.programme_id},
    )
    publish(
        RelationshipFinished(
            relationship_id=finished.pk,
            programme_id=finished.programme_id,
            ended_early=reason is not None,
        )
    )
    return finished
