"""Reads for self-selection: who may take part, the recommended mentors, and the requests.

Recommendations reuse the matching engine: the programme's pool is built as for a matching run
(`build_pool`), narrowed to the one mentee and the mentors with room left, and ranked by
`engine.matching.ranking.rank_mentors`: the same score, explanation and hard rules a run uses.
The explanation shown to the mentee keeps only what each mentor lets them see
(`mentorship.explanations.visible_reasons`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.access import fetch
from impactcircle.core.errors import NotFound
from impactcircle.engine.matching.ranking import RankedMentor, rank_mentors
from impactcircle.mentorship.explanations import (
    explanation_reader,
    stored_reasons,
    visible_reasons,
)
from impactcircle.mentorship.matching.problem import build_pool
from impactcircle.mentorship.models import (
    Application,
    MentorRequest,
    MentorShortlist,
    Programme,
    Relationship,
    RelationshipMember,
    Side,
)
from impactcircle.mentorship.policies import programme_for

OCCUPYING = (Relationship.Status.ACTIVE, Relationship.Status.PROPOSED)


def self_selection_programme_for(actor: User, programme_id: int) -> Programme:
    """The programme if the actor can see it and it lets mentees choose; otherwise 404."""
    programme = programme_for(actor, programme_id)
    if programme.matching_mode != Programme.MatchingMode.SELF_SELECTION:
        raise NotFound("This programme does not let mentees choose their mentor.")
    return programme


def accepted_application(programme: Programme, user_id: int, side: str) -> Application | None:
    return Application.objects.filter(
        programme=programme, user_id=user_id, side=side, status=Application.Status.ACCEPTED
    ).first()


def enrolled_sides(actor: User, programme: Programme) -> set[str]:
    """The sides on which the actor is an accepted participant of the programme."""
    return set(
        Application.objects.filter(
            programme=programme, user=actor, status=Application.Status.ACCEPTED
        ).values_list("side", flat=True)
    )


def require_participant(actor: User, programme: Programme) -> set[str]:
    """Self-selection pages are for the programme's accepted mentees and mentors only (404)."""
    sides = enrolled_sides(actor, programme)
    if not sides:
        raise NotFound("You are not taking part in this programme.")
    return sides


def mentor_loads(programme: Programme, user_ids: list[int] | None = None) -> dict[int, int]:
    """How many mentees each mentor has in proposed or active relationships (one query)."""
    members = RelationshipMember.objects.filter(
        relationship__programme=programme,
        relationship__status__in=OCCUPYING,
        side=Side.MENTOR,
    )
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    counted = members.values("user_id").annotate(
        n=Count("relationship__members", filter=Q(relationship__members__side=Side.MENTEE))
    )
    return {row["user_id"]: int(row["n"]) for row in counted}


def has_mentor(programme: Programme, mentee_id: int) -> bool:
    return RelationshipMember.objects.filter(
        relationship__programme=programme,
        relationship__status__in=OCCUPYING,
        side=Side.MENTEE,
        user_id=mentee_id,
    ).exists()


@dataclass(frozen=True)
class Recommendation:
    mentor: User
    application: Application
    score: float
    reasons: tuple[str, ...]
    rules_kept: tuple[str, ...]
    room_left: int
    is_bookmarked: bool
    is_dismissed: bool
    pending_request: MentorRequest | None


@dataclass(frozen=True)
class Recommendations:
    programme: Programme
    shown: tuple[Recommendation, ...]
    dismissed: tuple[Recommendation, ...]
    has_mentor: bool


def ranked_for(
    programme: Programme, mentee: User, *, with_meaning: bool = True
) -> tuple[list[tuple[RankedMentor, Application]], dict[int, int]]:
    """Accepted mentors with room left, best first by the engine's score, and their loads."""
    pool = build_pool(programme, with_meaning=with_meaning)
    me = next((p for p in pool.problem.mentees if p.id == str(mentee.pk)), None)
    if me is None:
        return [], {}
    loads = mentor_loads(programme)
    with_room = tuple(
        person
        for person in pool.problem.mentors
        if person.id != me.id
        and loads.get(int(person.id), 0) < pool.mentor_applications[person.id].capacity
    )
    ids = {person.id for person in with_room}
    problem = replace(
        pool.problem,
        mentees=(me,),
        mentors=with_room,
        locked=(),
        forbidden=tuple(
            pair for pair in pool.problem.forbidden if pair[0] == me.id and pair[1] in ids
        ),
    )
    ranked = rank_mentors(problem, me.id)
    return [(item, pool.mentor_applications[item.mentor]) for item in ranked], loads


def recommendations_for(actor: User, programme_id: int) -> Recommendations:
    """The mentors an accepted mentee may ask, ranked; dismissed ones apart (to restore)."""
    programme = self_selection_programme_for(actor, programme_id)
    if accepted_application(programme, actor.pk, Side.MENTEE) is None:
        raise NotFound("Only the programme's accepted mentees choose a mentor.")
    ranked, loads = ranked_for(programme, actor)
    marks = dict(
        MentorShortlist.objects.filter(programme=programme, mentee=actor).values_list(
            "mentor_id", "kind"
        )
    )
    pending = {
        request.mentor_id: request
        for request in MentorRequest.objects.filter(
            programme=programme, mentee=actor, status=MentorRequest.Status.PENDING
        )
    }
    explanations = [
        stored_reasons(item.explanation, mentee_id=actor.pk, mentor_id=application.user_id)
        for item, application in ranked
    ]
    reader = explanation_reader(actor, explanations)
    shown: list[Recommendation] = []
    dismissed: list[Recommendation] = []
    for (item, application), explanation in zip(ranked, explanations, strict=True):
        mentor = application.user
        recommendation = Recommendation(
            mentor=mentor,
            application=application,
            score=item.score,
            reasons=tuple(visible_reasons(explanation, reader)),
            rules_kept=item.rules_kept,
            room_left=application.capacity - loads.get(mentor.pk, 0),
            is_bookmarked=marks.get(mentor.pk) == MentorShortlist.Kind.BOOKMARK,
            is_dismissed=marks.get(mentor.pk) == MentorShortlist.Kind.DISMISS,
            pending_request=pending.get(mentor.pk),
        )
        (dismissed if recommendation.is_dismissed else shown).append(recommendation)
    return Recommendations(
        programme=programme,
        shown=tuple(shown),
        dismissed=tuple(dismissed),
        has_mentor=has_mentor(programme, actor.pk),
    )


def requests_of(actor: User, programme: Programme) -> dict[str, QuerySet[MentorRequest]]:
    """The actor's own requests in the programme: "sent" (as mentee), "received" (as mentor),
    newest first."""
    base = (
        MentorRequest.objects.filter(programme=programme)
        .select_related("mentee", "mentor")
        .order_by("-created_at", "-pk")
    )
    return {
        "sent": base.filter(mentee=actor),
        "received": base.filter(mentor=actor),
    }


def request_for(actor: User, request_id: int) -> MentorRequest:
    """A request the actor sent or received; anyone else's is 404."""
    return fetch(
        actor,
        MentorRequest,
        request_id,
        queryset=MentorRequest.objects.select_related("programme", "mentee", "mentor"),
    )


def due_to_expire(now: datetime | None = None) -> QuerySet[MentorRequest]:
    return MentorRequest.objects.filter(
        status=MentorRequest.Status.PENDING, expires_at__lte=now or timezone.now()
    )
