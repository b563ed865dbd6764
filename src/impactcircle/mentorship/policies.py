"""Who may do what in mentorship: programme managers, relationship members, applicants.

Every selector and service asks here; a private object of someone else answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.core.errors import Forbidden, NotFound
from impactcircle.mentorship.models import Programme, Relationship
from impactcircle.people.roles import is_administrator, is_programme_manager


def may_create_programmes(user: User) -> bool:
    return is_administrator(user) or is_programme_manager(user)


def managed_programmes(user: User) -> QuerySet[Programme]:
    if is_administrator(user):
        return Programme.objects.all()
    return Programme.objects.filter(managers=user)


def manages(user: User, programme: Programme) -> bool:
    return is_administrator(user) or programme.managers.filter(pk=user.pk).exists()


def visible_programmes(user: User) -> QuerySet[Programme]:
    """Open programmes, those the person is invited to or enrolled in, and those they manage."""
    if is_administrator(user):
        return Programme.objects.all()
    return Programme.objects.filter(
        Q(access=Programme.Access.OPEN)
        | Q(invitations__user=user)
        | Q(applications__user=user)
        | Q(managers=user)
    ).distinct()


def programme_for(user: User, programme_id: int) -> Programme:
    programme = visible_programmes(user).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound("No such programme.")
    return programme


def managed_programme_for(user: User, programme_id: int) -> Programme:
    """The programme if the person manages it; 404 if they cannot see it, 403 if they only can."""
    programme = programme_for(user, programme_id)
    if not manages(user, programme):
        raise Forbidden("Only this programme's managers may do this.")
    return programme


def relationship_for(user: User, relationship_id: int) -> tuple[Relationship, bool]:
    """The relationship and whether the person is a member (True) or one of its managers
    (False). Anyone else gets 404."""
    relationship = (
        Relationship.objects.select_related("programme").filter(pk=relationship_id).first()
    )
    if relationship is None:
        raise NotFound("No such relationship.")
    if relationship.members.filter(user=user).exists():
        return relationship, True
    if manages(user, relationship.programme):
        return relationship, False
    raise NotFound("No such relationship.")
