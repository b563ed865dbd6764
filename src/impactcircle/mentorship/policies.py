"""Mentorship's access rules, declared once on the platform layer (`core.access`).

Who sees a programme, a matching run, an application, a relationship, a flash slot or booking, a
mentor request — and who may act on each. Every selector, view, API function and export asks
through `core.access` (`visible`, `fetch`, `require`); nothing here is a second mechanism, only
mentorship's answers to the platform's questions. A private object of someone else answers 404.

A programme's managers hold the object-scoped role `mentorship.programme_manager`;
administrators manage every programme.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.core.access import (
    AccessPolicy,
    Actor,
    ObjectRoleType,
    fetch,
    has_object_role,
    object_role_holders,
    object_role_q,
    register_object_role,
    register_policy,
)
from impactcircle.mentorship.models import (
    Application,
    FlashBooking,
    FlashSlot,
    MatchingRun,
    MentorRequest,
    Programme,
    ProgrammeInvitation,
    Relationship,
    RelationshipMember,
)
from impactcircle.people.roles import is_administrator, is_programme_manager

PROGRAMME_MANAGER = "mentorship.programme_manager"


def may_create_programmes(user: User) -> bool:
    return is_administrator(user) or is_programme_manager(user)


def managed_programmes(user: Actor) -> QuerySet[Programme]:
    if is_administrator(user):
        return Programme.objects.all()
    return Programme.objects.filter(object_role_q(user, PROGRAMME_MANAGER))


def manages(user: Actor, programme: Programme) -> bool:
    return is_administrator(user) or has_object_role(user, PROGRAMME_MANAGER, programme)


def programme_managers(programme: Programme) -> QuerySet[User]:
    """The people who hold the manager role on this programme (administrators not listed)."""
    return object_role_holders(PROGRAMME_MANAGER, programme).order_by("pk")  # type: ignore[return-value]  # the user model is accounts.User


def visible_programmes(user: Actor) -> QuerySet[Programme]:
    """Open programmes, those the person is invited to or enrolled in, and those they manage."""
    if is_administrator(user):
        return Programme.objects.all()
    return Programme.objects.filter(
        Q(access=Programme.Access.OPEN)
        | Q(pk__in=ProgrammeInvitation.objects.filter(user_id=user.pk).values("programme_id"))
        | Q(pk__in=Application.objects.filter(user_id=user.pk).values("programme_id"))
        | object_role_q(user, PROGRAMME_MANAGER)
    )


class ProgrammePolicy(AccessPolicy[Programme]):
    model = Programme
    not_found_message = "No such programme."
    forbidden_messages = {"manage": "Only this programme's managers may do this."}

    def visible(self, actor: Actor) -> QuerySet[Programme]:
        return visible_programmes(actor)

    def allows(self, actor: Actor, action: str, obj: Programme) -> bool:
        return action == "manage" and manages(actor, obj)


class MatchingRunPolicy(AccessPolicy[MatchingRun]):
    """A run is seen by its programme's managers only."""

    model = MatchingRun
    not_found_message = "No such matching run."

    def visible(self, actor: Actor) -> QuerySet[MatchingRun]:
        return MatchingRun.objects.filter(programme__in=managed_programmes(actor))

    def allows(self, actor: Actor, action: str, obj: MatchingRun) -> bool:
        return action == "manage"  # whoever sees a run manages its programme

    def is_visible(self, actor: Actor, obj: MatchingRun) -> bool:
        return manages(actor, obj.programme)


class ApplicationPolicy(AccessPolicy[Application]):
    """An application is seen by the applicant and by the programme's managers."""

    model = Application
    not_found_message = "No such application."
    forbidden_messages = {
        "decide": "Only this programme's managers decide on applications.",
        "withdraw": "Only the applicant may withdraw an application.",
    }

    def visible(self, actor: Actor) -> QuerySet[Application]:
        return Application.objects.filter(
            Q(user_id=actor.pk) | Q(programme__in=managed_programmes(actor))
        )

    def allows(self, actor: Actor, action: str, obj: Application) -> bool:
        if action == "decide":
            return manages(actor, obj.programme)
        if action == "withdraw":
            return obj.user_id == actor.pk
        return False

    def is_visible(self, actor: Actor, obj: Application) -> bool:
        return obj.user_id == actor.pk or manages(actor, obj.programme)


def _is_member(actor: Actor, relationship: Relationship) -> bool:
    return RelationshipMember.objects.filter(relationship=relationship, user_id=actor.pk).exists()


class RelationshipPolicy(AccessPolicy[Relationship]):
    """Members take part; the programme's managers see a read-only health view."""

    model = Relationship
    not_found_message = "No such relationship."
    forbidden_messages = {
        "take_part": "Only its members may change this relationship; managers see its health.",
    }

    def visible(self, actor: Actor) -> QuerySet[Relationship]:
        return Relationship.objects.filter(
            Q(pk__in=RelationshipMember.objects.filter(user_id=actor.pk).values("relationship_id"))
            | Q(programme__in=managed_programmes(actor))
        )

    def allows(self, actor: Actor, action: str, obj: Relationship) -> bool:
        return action == "take_part" and _is_member(actor, obj)

    def is_visible(self, actor: Actor, obj: Relationship) -> bool:
        return _is_member(actor, obj) or manages(actor, obj.programme)


def programme_for(user: Actor, programme_id: int) -> Programme:
    return fetch(user, Programme, programme_id)


def managed_programme_for(user: Actor, programme_id: int) -> Programme:
    """The programme if the person manages it; 404 if they cannot see it, 403 if they only can."""
    return fetch(user, Programme, programme_id, "manage")


def relationship_for(user: User, relationship_id: int) -> tuple[Relationship, bool]:
    """The relationship (its programme and members with their accounts loaded) and whether the
    person is a member (True) or one of its managers (False). Anyone else gets 404. Two
    queries: the relationship among those the person may see, and its members."""
    relationship = fetch(
        user,
        Relationship,
        relationship_id,
        queryset=Relationship.objects.select_related("programme").prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user"))
        ),
    )
    return relationship, any(member.user_id == user.pk for member in relationship.members.all())


class FlashSlotPolicy(AccessPolicy[FlashSlot]):
    """A slot is seen by its mentor, whoever booked it, and the programme's accepted people."""

    model = FlashSlot
    not_found_message = "No such slot."
    forbidden_messages = {"change": "Only the slot's mentor may change it."}

    def visible(self, actor: Actor) -> QuerySet[FlashSlot]:
        accepted = Application.objects.filter(
            user_id=actor.pk, status=Application.Status.ACCEPTED
        ).values("programme_id")
        return FlashSlot.objects.filter(programme__format=Programme.Format.FLASH).filter(
            Q(mentor_id=actor.pk)
            | Q(pk__in=FlashBooking.objects.filter(member_id=actor.pk).values("slot_id"))
            | Q(programme_id__in=accepted)
        )

    def allows(self, actor: Actor, action: str, obj: FlashSlot) -> bool:
        return action == "change" and obj.mentor_id == actor.pk


class FlashBookingPolicy(AccessPolicy[FlashBooking]):
    """A booking is seen by the person who booked and the slot's mentor."""

    model = FlashBooking
    not_found_message = "No such booking."

    def visible(self, actor: Actor) -> QuerySet[FlashBooking]:
        return FlashBooking.objects.filter(Q(member_id=actor.pk) | Q(slot__mentor_id=actor.pk))

    def allows(self, actor: Actor, action: str, obj: FlashBooking) -> bool:
        return action == "cancel"


class MentorRequestPolicy(AccessPolicy[MentorRequest]):
    """A request is seen by the mentee who sent it and the mentor who received it."""

    model = MentorRequest
    not_found_message = "No such request."
    forbidden_messages = {
        "answer": "Only the mentor who received the request may answer it.",
        "withdraw": "Only the mentee who sent the request may withdraw it.",
    }

    def visible(self, actor: Actor) -> QuerySet[MentorRequest]:
        return MentorRequest.objects.filter(Q(mentee_id=actor.pk) | Q(mentor_id=actor.pk))

    def allows(self, actor: Actor, action: str, obj: MentorRequest) -> bool:
        if action == "answer":
            return obj.mentor_id == actor.pk
        if action == "withdraw":
            return obj.mentee_id == actor.pk
        return False

    def is_visible(self, actor: Actor, obj: MentorRequest) -> bool:
        return actor.pk in {obj.mentee_id, obj.mentor_id}


def register_mentorship_policies() -> None:
    register_object_role(
        ObjectRoleType(key=PROGRAMME_MANAGER, model=Programme, label="Programme manager")
    )
    for policy in (
        ProgrammePolicy(),
        MatchingRunPolicy(),
        ApplicationPolicy(),
        RelationshipPolicy(),
        FlashSlotPolicy(),
        FlashBookingPolicy(),
        MentorRequestPolicy(),
    ):
        register_policy(policy)
