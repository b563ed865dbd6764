"""Who may see and do what to an object — asked and enforced in one place.

A module declares, per model, an `AccessPolicy`: the queryset of what an actor may see, and the
actions allowed on an object they can see. It registers the policy at start-up; every list,
detail, export, search and API function then asks here:

    register_policy(ProgrammePolicy())                  # in AppConfig.ready()

    visible(actor, Programme)                           # every list and export
    programme = fetch(actor, Programme, pk, "manage")   # 404 if unseen, 403 if not allowed
    require(actor, "change", relationship)              # an object already loaded

An object the actor may not see answers `NotFound` (404): its existence is not confirmed. One they
see but may not act on answers `Forbidden` (403).

Roles scoped to one object (manager of this programme, moderator of this space, instructor of
this course, owner of this survey) are `ObjectRole` rows, declared with `register_object_role`,
granted and revoked only through `object_role_grant` / `object_role_revoke` (audited), and read
with `has_object_role`, `object_role_q` and `object_role_holders`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Forbidden, InvalidInput, NotFound
from impactcircle.core.models import ObjectRole

type Actor = AbstractBaseUser


class AccessPolicy[M: models.Model]:
    """What an actor may see of `model` and do to one of its objects. Subclass per model."""

    model: type[M]
    #: The answer when an object may not be seen (or does not exist).
    not_found_message: str = "Not found."
    #: The answer per action when the object is seen but the action is not allowed.
    forbidden_messages: dict[str, str] = {}

    def visible(self, actor: Actor) -> QuerySet[M]:
        raise NotImplementedError

    def allows(self, actor: Actor, action: str, obj: M) -> bool:
        """Whether `actor`, who may see `obj`, may do `action` to it ("view" is always allowed)."""
        raise NotImplementedError

    def is_visible(self, actor: Actor, obj: M) -> bool:
        """Per-object visibility; override when a cheaper check than the queryset exists."""
        return self.visible(actor).filter(pk=obj.pk).exists()


_policies: dict[type[models.Model], AccessPolicy[Any]] = {}


def register_policy(policy: AccessPolicy[Any]) -> None:
    _policies[policy.model] = policy


def policy_for[M: models.Model](model: type[M]) -> AccessPolicy[M]:
    try:
        return cast(AccessPolicy[M], _policies[model])
    except KeyError:
        raise LookupError(f"No access policy is registered for {model.__name__}.") from None


def registered_models() -> list[type[models.Model]]:
    return list(_policies)


def visible[M: models.Model](actor: Actor, model: type[M]) -> QuerySet[M]:
    """Everything of `model` the actor may see (nothing for an anonymous or inactive actor)."""
    if not actor.is_authenticated or not actor.is_active:
        return model._default_manager.none()
    return policy_for(model).visible(actor)


def can(actor: Actor, action: str, obj: models.Model) -> bool:
    """Whether the actor may see `obj` and do `action` to it."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    policy = policy_for(type(obj))
    if not policy.is_visible(actor, obj):
        return False
    return action == "view" or policy.allows(actor, action, obj)


def require(actor: Actor, action: str, obj: models.Model) -> None:
    """Raise `NotFound` unless the actor may see `obj`, `Forbidden` unless they may do `action`."""
    policy = policy_for(type(obj))
    if not actor.is_authenticated or not actor.is_active or not policy.is_visible(actor, obj):
        raise NotFound(policy.not_found_message)
    if action != "view" and not policy.allows(actor, action, obj):
        raise Forbidden(
            policy.forbidden_messages.get(action, "You may not do this."), extra={"action": action}
        )


def fetch[M: models.Model](
    actor: Actor,
    model: type[M],
    pk: object,
    action: str = "view",
    *,
    queryset: QuerySet[M] | None = None,
) -> M:
    """The object with this key if the actor may see it (404 otherwise) and do `action` (403)."""
    policy = policy_for(model)
    if not actor.is_authenticated or not actor.is_active:
        raise NotFound(policy.not_found_message)
    base = policy.visible(actor)
    if queryset is not None:
        base = queryset.filter(pk__in=base.values("pk"))
    obj = base.filter(pk=pk).first()
    if obj is None:
        raise NotFound(policy.not_found_message)
    if action != "view" and not policy.allows(actor, action, obj):
        raise Forbidden(
            policy.forbidden_messages.get(action, "You may not do this."), extra={"action": action}
        )
    return obj


# Roles scoped to one object ------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectRoleType:
    """A role that exists on objects of one model, e.g. `mentorship.programme_manager`."""

    key: str
    model: type[models.Model]
    label: str


_role_types: dict[str, ObjectRoleType] = {}


def register_object_role(role: ObjectRoleType) -> None:
    _role_types[role.key] = role


def object_role_type(key: str) -> ObjectRoleType:
    try:
        return _role_types[key]
    except KeyError:
        raise LookupError(f"No object role {key!r} is registered.") from None


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def _checked(role: str, obj: models.Model) -> ObjectRoleType:
    role_type = object_role_type(role)
    if not isinstance(obj, role_type.model):
        raise ValueError(f"{role} is a role on {role_type.model.__name__}, not {type(obj)!r}.")
    return role_type


def has_object_role(user: Actor, role: str, obj: models.Model) -> bool:
    if not user.is_authenticated:
        return False
    _checked(role, obj)
    return ObjectRole.objects.filter(
        user_id=user.pk, role=role, content_type=_content_type(type(obj)), object_id=obj.pk
    ).exists()


def object_role_q(user: Actor, role: str, field: str = "pk") -> Q:
    """A filter on the role's model: objects on which `user` holds `role` (for querysets)."""
    role_type = object_role_type(role)
    ids = ObjectRole.objects.filter(
        user_id=user.pk, role=role, content_type=_content_type(role_type.model)
    ).values("object_id")
    return Q(**{f"{field}__in": ids})


def object_role_holders(role: str, obj: models.Model) -> QuerySet[AbstractBaseUser]:
    """The people who hold `role` on `obj`."""
    _checked(role, obj)
    holders = ObjectRole.objects.filter(
        role=role, content_type=_content_type(type(obj)), object_id=obj.pk
    ).values("user_id")
    return get_user_model()._default_manager.filter(pk__in=holders)


def object_role_holder_ids(role: str, objects: Iterable[models.Model]) -> dict[int, set[int]]:
    """For several objects of the role's model at once (one query): object id → holder ids."""
    role_type = object_role_type(role)
    ids = [obj.pk for obj in objects]
    holders: dict[int, set[int]] = {pk: set() for pk in ids}
    rows = ObjectRole.objects.filter(
        role=role, content_type=_content_type(role_type.model), object_id__in=ids
    ).values_list("object_id", "user_id")
    for object_id, user_id in rows:
        holders[object_id].add(user_id)
    return holders


def object_role_grant(
    *,
    role: str,
    obj: models.Model,
    user: AbstractBaseUser,
    granted_by: Actor | None,
    request: HttpRequest | None = None,
) -> bool:
    """Give `user` the role on `obj`; False when they already hold it. Audited.

    The caller checks that `granted_by` may grant (e.g. `require(actor, "manage", programme)`);
    `granted_by=None` is the system (the demo, a data import).
    """
    _checked(role, obj)
    if not user.is_active:
        raise InvalidInput(
            "Only active accounts can hold a role.", fields={"user": ["This account is inactive."]}
        )
    try:
        with transaction.atomic():
            _, created = ObjectRole.objects.get_or_create(
                role=role,
                content_type=_content_type(type(obj)),
                object_id=obj.pk,
                user_id=user.pk,
                defaults={"granted_by_id": granted_by.pk if granted_by is not None else None},
            )
    except IntegrityError:  # a concurrent grant of the same role won the race
        return False
    if created:
        record_audit_event(
            action="access.role_granted",
            actor=granted_by,
            target=obj,
            request=request,
            details={"role": role, "user_id": user.pk},
        )
    return created


def object_role_revoke(
    *,
    role: str,
    obj: models.Model,
    user: AbstractBaseUser,
    revoked_by: Actor | None,
    request: HttpRequest | None = None,
) -> bool:
    """Take the role away; False when they did not hold it. Audited."""
    _checked(role, obj)
    deleted, _ = ObjectRole.objects.filter(
        role=role, content_type=_content_type(type(obj)), object_id=obj.pk, user_id=user.pk
    ).delete()
    if deleted:
        record_audit_event(
            action="access.role_revoked",
            actor=revoked_by,
            target=obj,
            request=request,
            details={"role": role, "user_id": user.pk},
        )
    return bool(deleted)


def unregister_policy(model: type[models.Model]) -> None:
    """Forget a model's policy (tests that register a policy of their own)."""
    _policies.pop(model, None)
