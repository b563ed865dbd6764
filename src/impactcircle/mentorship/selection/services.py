"""Self-selection writes: bookmark or dismiss a mentor, send, accept, decline, withdraw and expire
requests.

Capacity holds under concurrency: accepting locks the mentor's (and the mentee's) accepted
application rows with `select_for_update` in one transaction, then counts the mentor's mentees in
proposed or active relationships. On PostgreSQL the second accept waits for the first to commit and
then sees its relationship; on SQLite `transaction_mode="IMMEDIATE"` serialises the writers. Twins
are prevented by the partial unique constraint "one pending request per programme, mentee and
mentor".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from impactcircle.engine.matching import ProblemError
from impactcircle.engine.matching.ranking import rank_mentors
from impactcircle.mentorship.explanations import stored_reasons
from impactcircle.mentorship.matching.problem import build_pool
from impactcircle.mentorship.models import (
    Application,
    MentorRequest,
    MentorShortlist,
    Programme,
    Relationship,
    Side,
)
from impactcircle.mentorship.relationships.services import relationship_create, relationship_link
from impactcircle.mentorship.selection.selectors import (
    accepted_application,
    due_to_expire,
    has_mentor,
    mentor_loads,
    request_for,
    self_selection_programme_for,
)
from impactcircle.notifications.services import notify

MENTORING_CATEGORY = "mentoring"
MESSAGE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 300


def recommendations_link(programme: Programme) -> str:
    return reverse("selection_mentors", args=[programme.pk])


def requests_link(programme: Programme) -> str:
    return reverse("selection_requests", args=[programme.pk])


def _mentee_programme(actor: User, programme_id: int) -> Programme:
    programme = self_selection_programme_for(actor, programme_id)
    if accepted_application(programme, actor.pk, Side.MENTEE) is None:
        raise NotFound("Only the programme's accepted mentees choose a mentor.")
    return programme


def _mentor_application(programme: Programme, mentor_id: int) -> Application:
    application = accepted_application(programme, mentor_id, Side.MENTOR)
    if application is None:
        raise NotFound("No such mentor in this programme.")
    return application


def shortlist_mark(*, actor: User, programme_id: int, mentor_id: int, kind: str) -> MentorShortlist:
    """Bookmark a recommended mentor, or dismiss them (hidden until restored)."""
    if kind not in MentorShortlist.Kind.values:
        raise InvalidInput("Bookmark or dismiss.", fields={"kind": ["bookmark or dismiss"]})
    programme = _mentee_programme(actor, programme_id)
    _mentor_application(programme, mentor_id)
    mark, _ = MentorShortlist.objects.update_or_create(
        programme=programme, mentee=actor, mentor_id=mentor_id, defaults={"kind": kind}
    )
    return mark


def shortlist_clear(*, actor: User, programme_id: int, mentor_id: int) -> None:
    """Remove a bookmark, or restore a dismissed mentor to the recommendations."""
    programme = _mentee_programme(actor, programme_id)
    MentorShortlist.objects.filter(programme=programme, mentee=actor, mentor_id=mentor_id).delete()


def request_send(
    *, actor: User, programme_id: int, mentor_id: int, message: str = ""
) -> MentorRequest:
    """Ask a mentor of the programme; a second pending request to the same mentor is a Conflict."""
    programme = _mentee_programme(actor, programme_id)
    if mentor_id == actor.pk:
        raise InvalidInput("Nobody mentors themselves.")
    application = _mentor_application(programme, mentor_id)
    text = (message or "").strip()
    if len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            "The message is too long.",
            fields={"message": [f"At most {MESSAGE_MAX_LENGTH} characters."]},
        )
    if has_mentor(programme, actor.pk):
        raise Conflict("You already have a mentor in this programme.")
    if mentor_loads(programme, [mentor_id]).get(mentor_id, 0) >= application.capacity:
        raise Conflict(f"{application.user.display_name} has no room left in this programme.")
    try:
        with transaction.atomic():
            request = MentorRequest.objects.create(
                programme=programme,
                mentee=actor,
                mentor_id=mentor_id,
                message=text,
                expires_at=timezone.now() + timedelta(days=programme.request_expires_after_days),
            )
            notify(
                recipient=application.user,
                category=MENTORING_CATEGORY,
                message=f"{actor.display_name} asks you to be their mentor in {programme}.",
                link=requests_link(programme),
                actor=actor,
            )
    except IntegrityError:
        raise Conflict(
            f"You already asked {application.user.display_name} and are waiting for an answer."
        ) from None
    return request


def pair_fit(
    programme: Programme, mentee: User, mentor: User
) -> tuple[float | None, list[dict[str, object]]]:
    """The engine's score and explanation of one pair (None when either left the pool), the
    explanation in its stored shape (see `mentorship.explanations`)."""
    pool = build_pool(programme)
    me = [p for p in pool.problem.mentees if p.id == str(mentee.pk)]
    them = [p for p in pool.problem.mentors if p.id == str(mentor.pk)]
    if not me or not them:
        return None, []
    problem = replace(pool.problem, mentees=tuple(me), mentors=tuple(them), locked=(), forbidden=())
    try:
        ranked = rank_mentors(problem, me[0].id, include_excluded=True)
    except ProblemError:
        return None, []
    return ranked[0].score, stored_reasons(
        ranked[0].explanation, mentee_id=mentee.pk, mentor_id=mentor.pk
    )


def _pending_mine(actor: User, request_id: int, *, as_side: str) -> MentorRequest:
    found = request_for(actor, request_id)
    owner = found.mentor_id if as_side == Side.MENTOR else found.mentee_id
    if owner != actor.pk:
        who = "mentor" if as_side == Side.MENTOR else "mentee"
        raise Forbidden(f"Only the request's {who} may do this.")
    return found


def _locked_pending(request_id: int) -> MentorRequest:
    request = (
        MentorRequest.objects.select_for_update().select_related("programme").get(pk=request_id)
    )
    if request.status != MentorRequest.Status.PENDING:
        raise Conflict(f"This request is already {request.get_status_display().lower()}.")
    if request.expires_at <= timezone.now():
        raise Conflict("This request has expired.")
    return request


def request_accept(*, actor: User, request_id: int) -> Relationship:
    """The mentor accepts: a relationship starts, both hear of it. Never beyond capacity."""
    found = _pending_mine(actor, request_id, as_side=Side.MENTOR)
    score, reasons = pair_fit(found.programme, found.mentee, found.mentor)
    with transaction.atomic():
        request = _locked_pending(found.pk)
        programme = request.programme
        applications = list(
            Application.objects.select_for_update()
            .filter(programme=programme, status=Application.Status.ACCEPTED)
            .filter(
                Q(user_id=request.mentor_id, side=Side.MENTOR)
                | Q(user_id=request.mentee_id, side=Side.MENTEE)
            )
            .order_by("pk")
        )
        mentor_application = next((a for a in applications if a.side == Side.MENTOR), None)
        if mentor_application is None:
            raise Conflict("You are no longer a mentor in this programme.")
        if not any(a.side == Side.MENTEE for a in applications):
            raise Conflict(f"{found.mentee.display_name} is no longer a mentee in this programme.")
        load = mentor_loads(programme, [actor.pk]).get(actor.pk, 0)
        if load >= mentor_application.capacity:
            raise Conflict(
                f"You have no room left: your capacity in this programme is "
                f"{mentor_application.capacity}."
            )
        if has_mentor(programme, request.mentee_id):
            raise Conflict(f"{found.mentee.display_name} already has a mentor in this programme.")
        relationship = relationship_create(
            programme=programme,
            mentor=found.mentor,
            mentees=[found.mentee],
            score=score,
            reasons=reasons,
        )
        now = timezone.now()
        request.status = MentorRequest.Status.ACCEPTED
        request.answered_at = now
        request.save(update_fields=["status", "answered_at", "updated_at"])
        MentorRequest.objects.filter(
            programme=programme, mentee_id=request.mentee_id, status=MentorRequest.Status.PENDING
        ).update(status=MentorRequest.Status.WITHDRAWN, answered_at=now, updated_at=now)
        link = relationship_link(relationship)
        notify(
            recipient=found.mentee,
            category=MENTORING_CATEGORY,
            message=f"{actor.display_name} accepted to be your mentor in {programme}.",
            link=link,
            actor=actor,
        )
        notify(
            recipient=actor,
            category=MENTORING_CATEGORY,
            message=f"You now mentor {found.mentee.display_name} in {programme}.",
            link=link,
        )
    return relationship


def request_decline(*, actor: User, request_id: int, reason: str) -> MentorRequest:
    """The mentor declines with a reason the mentee sees."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("Say briefly why.", fields={"reason": ["Required."]})
    if len(text) > REASON_MAX_LENGTH:
        raise InvalidInput(
            "The reason is too long.", fields={"reason": [f"At most {REASON_MAX_LENGTH}."]}
        )
    found = _pending_mine(actor, request_id, as_side=Side.MENTOR)
    with transaction.atomic():
        request = _locked_pending(found.pk)
        request.status = MentorRequest.Status.DECLINED
        request.decline_reason = text
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "decline_reason", "answered_at", "updated_at"])
        notify(
            recipient=found.mentee,
            category=MENTORING_CATEGORY,
            message=f"{actor.display_name} declined your request in {request.programme}: {text}",
            link=recommendations_link(request.programme),
            actor=actor,
        )
    return request


def request_withdraw(*, actor: User, request_id: int) -> MentorRequest:
    """The mentee takes back a request that is still waiting."""
    found = _pending_mine(actor, request_id, as_side=Side.MENTEE)
    with transaction.atomic():
        request = _locked_pending(found.pk)
        request.status = MentorRequest.Status.WITHDRAWN
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at", "updated_at"])
    return request


def requests_expire(now: datetime | None = None) -> int:
    """Mark every pending request past its date as expired and tell its mentee, who moves on:
    the silent mentor is dismissed from their recommendations (they can restore them)."""
    moment = now or timezone.now()
    expired = 0
    candidates = list(due_to_expire(moment).select_related("programme", "mentor", "mentee"))
    for request in candidates:
        with transaction.atomic():
            changed = MentorRequest.objects.filter(
                pk=request.pk, status=MentorRequest.Status.PENDING
            ).update(status=MentorRequest.Status.EXPIRED, updated_at=moment)
            if not changed:
                continue  # answered meanwhile
            MentorShortlist.objects.update_or_create(
                programme=request.programme,
                mentee=request.mentee,
                mentor=request.mentor,
                defaults={"kind": MentorShortlist.Kind.DISMISS},
            )
            notify(
                recipient=request.mentee,
                category=MENTORING_CATEGORY,
                message=f"{request.mentor.display_name} did not answer your request in "
                f"{request.programme} in time. See your next recommended mentors.",
                link=recommendations_link(request.programme),
            )
            expired += 1
    return expired
