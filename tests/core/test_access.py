"""The access layer: visible querysets, fetch and require (404 unseen, 403 not allowed), roles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import QuerySet
from tests.factories import ProgrammeFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.access import (
    AccessPolicy,
    Actor,
    can,
    fetch,
    has_object_role,
    object_role_grant,
    object_role_holders,
    object_role_q,
    object_role_revoke,
    register_policy,
    require,
    unregister_policy,
    visible,
)
from impactcircle.core.errors import Forbidden, InvalidInput, NotFound
from impactcircle.core.models import AuditEvent, ObjectRole
from impactcircle.mentorship.models import Programme
from impactcircle.mentorship.policies import PROGRAMME_MANAGER
from impactcircle.notifications.models import Notification

pytestmark = pytest.mark.django_db


class OwnNotifications(AccessPolicy[Notification]):
    """A toy policy: people see their own notifications and may only "archive" unread ones."""

    model = Notification
    not_found_message = "No such notification."
    forbidden_messages = {"archive": "Only unread notifications can be archived."}

    def visible(self, actor: Actor) -> QuerySet[Notification]:
        return Notification.objects.filter(recipient_id=actor.pk)

    def allows(self, actor: Actor, action: str, obj: Notification) -> bool:
        return action == "archive" and obj.read_at is None


@pytest.fixture(autouse=True)
def _policy() -> Iterator[None]:
    register_policy(OwnNotifications())
    yield
    unregister_policy(Notification)


def _notice(recipient: User, *, read: bool = False) -> Notification:
    from django.utils import timezone

    return Notification.objects.create(
        recipient=recipient,
        category="people",
        message="Hello",
        link="/",
        read_at=timezone.now() if read else None,
    )


def test_the_visible_queryset_holds_only_what_the_actor_may_see(
    user: User, other_user: User
) -> None:
    mine, theirs = _notice(user), _notice(other_user)

    assert list(visible(user, Notification)) == [mine]
    assert list(visible(other_user, Notification)) == [theirs]


def test_fetch_answers_not_found_for_an_object_the_actor_may_not_see(
    user: User, other_user: User
) -> None:
    theirs = _notice(other_user)

    with pytest.raises(NotFound, match="No such notification"):
        fetch(user, Notification, theirs.pk)
    with pytest.raises(NotFound):
        fetch(user, Notification, 2**63 - 1)


def test_fetch_answers_forbidden_when_seen_but_the_action_is_not_allowed(user: User) -> None:
    read = _notice(user, read=True)

    assert fetch(user, Notification, read.pk) == read
    with pytest.raises(Forbidden, match="Only unread"):
        fetch(user, Notification, read.pk, "archive")


def test_require_checks_visibility_before_the_action(user: User, other_user: User) -> None:
    theirs, mine = _notice(other_user), _notice(user)

    with pytest.raises(NotFound):
        require(user, "archive", theirs)
    require(user, "archive", mine)
    assert can(user, "archive", mine)
    assert not can(user, "archive", theirs)


def test_an_inactive_actor_sees_nothing(user: User) -> None:
    mine = _notice(user)
    user.is_active = False
    user.save()

    assert not visible(user, Notification).exists()
    with pytest.raises(NotFound):
        fetch(user, Notification, mine.pk)


def test_a_model_without_a_policy_is_a_programming_error(user: User) -> None:
    with pytest.raises(LookupError, match="No access policy"):
        visible(user, AuditEvent)


def test_an_object_role_is_granted_once_audited_and_revoked(user: User, other_user: User) -> None:
    programme = ProgrammeFactory()

    assert object_role_grant(
        role=PROGRAMME_MANAGER, obj=programme, user=user, granted_by=other_user
    )
    assert not object_role_grant(
        role=PROGRAMME_MANAGER, obj=programme, user=user, granted_by=other_user
    )
    assert has_object_role(user, PROGRAMME_MANAGER, programme)
    assert not has_object_role(other_user, PROGRAMME_MANAGER, programme)
    assert list(object_role_holders(PROGRAMME_MANAGER, programme)) == [user]
    assert list(Programme.objects.filter(object_role_q(user, PROGRAMME_MANAGER))) == [programme]
    granted = AuditEvent.objects.get(action="access.role_granted")
    assert granted.details == {"role": PROGRAMME_MANAGER, "user_id": user.pk}
    assert granted.actor == other_user

    assert object_role_revoke(
        role=PROGRAMME_MANAGER, obj=programme, user=user, revoked_by=other_user
    )
    assert not has_object_role(user, PROGRAMME_MANAGER, programme)
    assert AuditEvent.objects.filter(action="access.role_revoked").count() == 1
    assert not object_role_revoke(
        role=PROGRAMME_MANAGER, obj=programme, user=user, revoked_by=other_user
    )


def test_a_role_on_one_object_says_nothing_about_another(user: User) -> None:
    mine, other = ProgrammeFactory(managers=[user]), ProgrammeFactory()

    assert has_object_role(user, PROGRAMME_MANAGER, mine)
    assert not has_object_role(user, PROGRAMME_MANAGER, other)


def test_an_inactive_account_cannot_be_given_a_role(user: User) -> None:
    gone = UserFactory(is_active=False)

    with pytest.raises(InvalidInput):
        object_role_grant(
            role=PROGRAMME_MANAGER, obj=ProgrammeFactory(), user=gone, granted_by=user
        )
    assert not ObjectRole.objects.exists()


def test_a_role_belongs_to_one_model(user: User) -> None:
    with pytest.raises(ValueError, match="role on Programme"):
        object_role_grant(role=PROGRAMME_MANAGER, obj=_notice(user), user=user, granted_by=None)
    with pytest.raises(LookupError):
        object_role_grant(role="no.such_role", obj=ProgrammeFactory(), user=user, granted_by=None)
