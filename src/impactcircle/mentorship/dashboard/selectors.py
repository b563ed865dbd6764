"""The programme dashboard's figures, for the programme's managers, in a fixed number of queries.

Everything here is aggregate: counts, medians and means. Private notes are never read, and
check-in answers are shown only as a distribution over groups of at least the scores threshold of
`core.anonymity`: a score given by fewer people is folded into "Other" together with the
next-smallest scores until "Other" reaches the threshold (complementary suppression), and the mean
is shown only when no score had to be folded (otherwise mean and shown counts together could
reveal the folded ones).

Relationship health (silence, low check-ins) comes from
`relationship_selectors.relationships_at_risk`; the reasons shown here are rewritten so that a
pair's own check-in average (a group of two) is never displayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean, median
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from impactcircle.core import anonymity
from impactcircle.mentorship.models import (
    Application,
    CheckIn,
    FlashBooking,
    FlashSlot,
    MentoringSession,
    Milestone,
    Programme,
    Relationship,
    RelationshipGoal,
    RelationshipMember,
    Side,
)
from impactcircle.mentorship.relationships.health import (
    LOW_CHECK_IN_AVERAGE,
    confirmed_session_q,
    relationships_at_risk,
    silence_reason,
)

FUNNEL_STAGES = ("applied", "accepted", "matched", "active", "completed")
STAGE_LABELS = {
    "applied": "Applied",
    "accepted": "Accepted",
    "matched": "Matched",
    "active": "Active",
    "completed": "Completed",
}
GOAL_BANDS = (
    ("Not started", 0, 0),
    ("Under way", 1, 49),
    ("Past half", 50, 99),
    ("Done", 100, 100),
)


@dataclass(frozen=True)
class FunnelRow:
    side: str
    side_label: str
    counts: tuple[int, ...]  # in FUNNEL_STAGES order


@dataclass(frozen=True)
class ScoreBin:
    label: str
    count: int | None  # None: folded into "Other" (or nothing may be shown)


@dataclass(frozen=True)
class CheckInFigures:
    bins: tuple[ScoreBin, ...]
    answers: int | None  # None when showing it would reveal a hidden score
    mean: float | None
    is_suppressed: bool  # nothing can be shown at all


@dataclass(frozen=True)
class RiskRow:
    relationship_id: int
    members: str
    days_silent: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class FlashFigures:
    """A flash programme matches nobody: its participants book one-off sessions instead."""

    booked_mentees: int  # accepted mentees holding a live booking
    booked_percent: float | None  # of the accepted mentees
    sessions_booked: int  # live bookings, past and coming
    sessions_held: int  # live bookings whose slot has ended
    open_slots: int  # open slots still ahead


@dataclass(frozen=True)
class ProgrammeDashboard:
    programme: Programme
    funnel: tuple[FunnelRow, ...]
    accepted_mentees: int
    matched_mentees: int
    matched_percent: float | None
    median_days_to_match: float | None
    relationships: int
    sessions_per_relationship: float | None  # mean confirmed sessions per started relationship
    session_histogram: tuple[tuple[str, int], ...]  # ("0", n), ("1", n), … ("5+", n)
    at_risk: tuple[RiskRow, ...]
    goals: int
    goal_progress_mean: float | None
    goal_bands: tuple[tuple[str, int], ...]
    milestones_done: int
    milestones: int
    check_ins: CheckInFigures
    flash: FlashFigures | None = None  # only for a flash programme

    @property
    def stage_labels(self) -> tuple[str, ...]:
        return tuple(STAGE_LABELS[stage] for stage in FUNNEL_STAGES)


def _funnel(programme: Programme) -> tuple[FunnelRow, ...]:
    applied = {
        row["side"]: row
        for row in Application.objects.filter(programme=programme)
        .values("side")
        .annotate(
            applied=Count("pk", filter=~Q(status=Application.Status.WITHDRAWN)),
            accepted=Count("pk", filter=Q(status=Application.Status.ACCEPTED)),
        )
        .order_by()
    }
    members = {
        row["side"]: row
        for row in RelationshipMember.objects.filter(relationship__programme=programme)
        .values("side")
        .annotate(
            matched=Count("user", distinct=True),
            active=Count(
                "user",
                distinct=True,
                filter=Q(relationship__status=Relationship.Status.ACTIVE),
            ),
            completed=Count(
                "user",
                distinct=True,
                filter=Q(relationship__status=Relationship.Status.COMPLETED),
            ),
        )
        .order_by()
    }
    rows = []
    for side in (Side.MENTEE, Side.MENTOR):
        counts: dict[str, Any] = {**applied.get(side, {}), **members.get(side, {})}
        rows.append(
            FunnelRow(
                side=side,
                side_label=f"{Side(side).label}s",
                counts=tuple(int(counts.get(stage) or 0) for stage in FUNNEL_STAGES),
            )
        )
    return tuple(rows)


def _median_days_to_match(programme: Programme) -> float | None:
    """From the mentee's application to the start of their first relationship here."""
    applied_on = {
        user_id: created_at.date()
        for user_id, created_at in Application.objects.filter(
            programme=programme, side=Side.MENTEE
        ).values_list("user_id", "created_at")
    }
    started: dict[int, object] = {}
    for user_id, started_on in (
        RelationshipMember.objects.filter(
            relationship__programme=programme,
            side=Side.MENTEE,
            relationship__started_on__isnull=False,
        )
        .values_list("user_id", "relationship__started_on")
        .order_by("relationship__started_on")
    ):
        started.setdefault(user_id, started_on)
    days = [
        max((started_on - applied_on[user_id]).days, 0)  # type: ignore[operator]  # both dates
        for user_id, started_on in started.items()
        if user_id in applied_on
    ]
    return float(median(days)) if days else None


def _sessions(programme: Programme) -> tuple[int, float | None, tuple[tuple[str, int], ...]]:
    started = list(
        Relationship.objects.filter(programme=programme, started_on__isnull=False).values_list(
            "pk", flat=True
        )
    )
    confirmed: dict[int, int] = dict(
        MentoringSession.objects.filter(relationship__programme=programme)
        .annotate(is_confirmed=confirmed_session_q())
        .filter(is_confirmed=True)
        .values("relationship_id")
        .annotate(total=Count("pk"))
        .order_by()
        .values_list("relationship_id", "total")
    )
    counts = [confirmed.get(pk, 0) for pk in started]
    labels = ("0", "1", "2", "3", "4", "5+")
    histogram = [0] * len(labels)
    for count in counts:
        histogram[min(count, len(labels) - 1)] += 1
    average = round(mean(counts), 2) if counts else None
    return len(started), average, tuple(zip(labels, histogram, strict=True))


def _goals(programme: Programme) -> tuple[int, float | None, tuple[tuple[str, int], ...], int, int]:
    goal_rows = RelationshipGoal.objects.filter(relationship__programme=programme).aggregate(
        total=Count("pk"),
        mean_progress=Avg("progress"),
        **{
            f"band{i}": Count("pk", filter=Q(progress__gte=low, progress__lte=high))
            for i, (_label, low, high) in enumerate(GOAL_BANDS)
        },
    )
    milestone_rows = Milestone.objects.filter(goal__relationship__programme=programme).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(is_done=True))
    )
    progress = goal_rows["mean_progress"]
    bands = tuple(
        (label, int(goal_rows[f"band{i}"] or 0))
        for i, (label, _low, _high) in enumerate(GOAL_BANDS)
    )
    return (
        int(goal_rows["total"] or 0),
        round(float(progress), 1) if progress is not None else None,
        bands,
        int(milestone_rows["done"] or 0),
        int(milestone_rows["total"] or 0),
    )


def check_in_figures(scores: dict[int, int], threshold: int | None = None) -> CheckInFigures:
    """What may be shown of answered check-ins counted by score (1–5): never a group under
    `threshold` (default: the scores threshold), nor one recoverable from the shown figures."""
    limit = threshold if threshold is not None else anonymity.threshold("scores")
    breakdown = anonymity.suppress_breakdown(
        {str(score): scores.get(score, 0) for score in range(1, 6)}, threshold=limit
    )
    bins = tuple(ScoreBin(group.label, group.count) for group in breakdown.groups)
    if not breakdown.total:  # none, or too few, answers: nothing to show
        return CheckInFigures(bins=bins, answers=None, mean=None, is_suppressed=True)
    average = None
    if not breakdown.folded:
        average = round(sum(score * count for score, count in scores.items()) / breakdown.total, 2)
    return CheckInFigures(bins, breakdown.total, average, is_suppressed=False)


def _check_ins(programme: Programme) -> CheckInFigures:
    scores: dict[Any, Any] = dict(
        CheckIn.objects.filter(relationship__programme=programme, score__isnull=False)
        .values("score")
        .annotate(total=Count("pk"))
        .order_by()
        .values_list("score", "total")
    )
    return check_in_figures({int(score): int(total) for score, total in scores.items()})


def _risk_rows(programme: Programme) -> tuple[RiskRow, ...]:
    at_risk = relationships_at_risk(programme)
    names: dict[int, list[str]] = {}
    for relationship_id, first, last, email in (
        RelationshipMember.objects.filter(
            relationship_id__in=[health.relationship_id for health in at_risk]
        )
        .order_by("relationship_id", "side", "user_id")
        .values_list("relationship_id", "user__first_name", "user__last_name", "user__email")
    ):
        names.setdefault(relationship_id, []).append(f"{first} {last}".strip() or email)
    rows = []
    for health in at_risk:
        reasons = []
        if health.is_silent and health.days_silent is not None:
            reasons.append(silence_reason(health.days_silent))
        if health.check_in_average is not None and health.check_in_average <= LOW_CHECK_IN_AVERAGE:
            reasons.append("Low check-in pulse")  # the pair's own scores are not shown
        rows.append(
            RiskRow(
                relationship_id=health.relationship_id,
                members=", ".join(names.get(health.relationship_id, [])),
                days_silent=health.days_silent,
                reasons=tuple(reasons) or ("Needs attention",),
            )
        )
    return tuple(rows)


def _flash(programme: Programme, accepted_mentees: int) -> FlashFigures:
    now = timezone.now()
    mentee = Application.objects.filter(
        programme=programme,
        user=OuterRef("member_id"),
        side=Side.MENTEE,
        status=Application.Status.ACCEPTED,
    )
    figures = (
        FlashBooking.objects.filter(slot__programme=programme, status=FlashBooking.Status.BOOKED)
        .annotate(by_mentee=Exists(mentee))
        .aggregate(
            booked=Count("pk"),
            held=Count("pk", filter=Q(slot__ends_at__lte=now)),
            mentees=Count("member", distinct=True, filter=Q(by_mentee=True)),
        )
    )
    booked_mentees = int(figures["mentees"])
    return FlashFigures(
        booked_mentees=booked_mentees,
        booked_percent=(
            round(100 * booked_mentees / accepted_mentees, 1) if accepted_mentees else None
        ),
        sessions_booked=int(figures["booked"]),
        sessions_held=int(figures["held"]),
        open_slots=FlashSlot.objects.filter(
            programme=programme, status=FlashSlot.Status.OPEN, starts_at__gt=now
        ).count(),
    )


def programme_dashboard(programme: Programme) -> ProgrammeDashboard:
    """The dashboard of one programme. The caller has checked that the viewer manages it."""
    funnel = _funnel(programme)
    mentees = funnel[0].counts
    accepted, matched = mentees[1], mentees[2]
    relationships, per_relationship, histogram = _sessions(programme)
    goals, progress, bands, milestones_done, milestones = _goals(programme)
    return ProgrammeDashboard(
        programme=programme,
        funnel=funnel,
        accepted_mentees=accepted,
        matched_mentees=matched,
        matched_percent=round(100 * matched / accepted, 1) if accepted else None,
        median_days_to_match=_median_days_to_match(programme),
        relationships=relationships,
        sessions_per_relationship=per_relationship,
        session_histogram=histogram,
        at_risk=_risk_rows(programme),
        goals=goals,
        goal_progress_mean=progress,
        goal_bands=bands,
        milestones_done=milestones_done,
        milestones=milestones,
        check_ins=_check_ins(programme),
        flash=_flash(programme, accepted) if programme.format == Programme.Format.FLASH else None,
    )
