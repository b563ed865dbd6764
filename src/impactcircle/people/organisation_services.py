"""Writes about the organisation: departments, levels, managers, employment, roles."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from impactcircle.accounts.models import User
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput
from impactcircle.core.search import index_later
from impactcircle.notifications.services import notify
from impactcircle.people.models import Department, EmploymentStatus, Level, Profile
from impactcircle.people.roles import PROGRAMME_MANAGERS_GROUP, Role, is_administrator
from impactcircle.people.selectors import PROFILE_TYPE

_MAX_CHAIN = 200  # deeper than any real organisation; stops a corrupted chain from looping


def require_administrator(actor: User) -> None:
    if not is_administrator(actor):
        raise Forbidden("Only administrators may do this.")


def manager_chain_ids(user_id: int) -> list[int]:
    """The ids of the person's manager, their manager's manager, … up to the top."""
    chain: list[int] = []
    current = Profile.objects.filter(user_id=user_id).values_list("manager_id", flat=True).first()
    while current is not None and current not in chain and len(chain) < _MAX_CHAIN:
        chain.append(current)
        current = (
            Profile.objects.filter(user_id=current).values_list("manager_id", flat=True).first()
        )
    return chain


def _check_manager(profile: Profile, manager: User | None) -> None:
    if manager is None:
        return
    if manager.pk == profile.user_id:
        raise InvalidInput(
            "A person cannot be their own manager.",
            fields={"manager": ["A person cannot be their own manager."]},
        )
    if profile.user_id in manager_chain_ids(manager.pk):
        message = (
            f"{manager.display_name} already reports (directly or indirectly) to "
            f"{profile.user.display_name}; this would make the reporting line loop."
        )
        raise InvalidInput(message, fields={"manager": [message]})


@transaction.atomic
def profile_set_organisation(
    *,
    actor: User,
    profile: Profile,
    department: Department | None,
    manager: User | None,
    level: Level | None,
    job_title: str,
    hire_date: date | None,
    employment_status: str,
    status_since: date | None,
    request: HttpRequest | None = None,
) -> Profile:
    """An administrator sets where a person sits in the organisation."""
    require_administrator(actor)
    # Lock the person's and the new manager's rows, always in the same order, so that
    # "A reports to B" and "B reports to A" at once cannot both pass the loop check: the second
    # waits for the first, then reads the chain it committed and refuses.
    locked_user_ids = sorted({profile.user_id, *([manager.pk] if manager else [])})
    list(
        Profile.objects.select_for_update()
        .filter(user_id__in=locked_user_ids)
        .order_by("user_id")
        .values_list("pk", flat=True)
    )
    profile = Profile.objects.select_related("user").get(pk=profile.pk)
    _check_manager(profile, manager)
    if employment_status not in EmploymentStatus.values:
        raise InvalidInput(
            "Unknown employment status.", fields={"employment_status": ["Choose a listed status."]}
        )
    changed_manager = profile.manager_id != (manager.pk if manager else None)
    profile.department = department
    profile.manager = manager
    profile.level = level
    profile.job_title = job_title.strip()[:120]
    profile.hire_date = hire_date
    profile.employment_status = employment_status
    profile.status_since = status_since
    profile.save()
    index_later(PROFILE_TYPE, [profile.pk])
    record_audit_event(
        action="people.organisation_changed",
        actor=actor,
        target=profile.user,
        request=request,
        details={"manager_changed": changed_manager},
    )
    return profile


def _check_department_parent(department: Department | None, parent: Department | None) -> None:
    seen: set[int] = set()
    current = parent
    while current is not None:
        if department is not None and current.pk == department.pk:
            raise InvalidInput(
                "A department cannot sit inside itself.",
                fields={"parent": ["This parent would make the department tree loop."]},
            )
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = current.parent


@transaction.atomic
def department_save(
    *, actor: User, name: str, parent: Department | None, department: Department | None = None
) -> Department:
    require_administrator(actor)
    name = name.strip()
    if not name:
        raise InvalidInput("Give the department a name.", fields={"name": ["Required."]})
    _check_department_parent(department, parent)
    target = department or Department()
    renamed = target.pk is not None and target.name != name
    target.name = name
    target.parent = parent
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as error:
        raise Conflict(
            "A department with this name already exists there.",
            fields={"name": ["Already exists under this parent."]},
        ) from error
    if renamed:  # every member's searchable text names the department
        index_later(PROFILE_TYPE, target.members.values_list("pk", flat=True))
    return target


@transaction.atomic
def level_create(*, actor: User, name: str, rank: int) -> Level:
    require_administrator(actor)
    try:
        with transaction.atomic():
            return Level.objects.create(name=name.strip(), rank=rank)
    except IntegrityError as error:
        raise Conflict("That level name or rank is taken.", fields={"rank": ["Taken."]}) from error


@transaction.atomic
def role_grant(*, actor: User, user: User, role: Role, request: HttpRequest | None = None) -> None:
    require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if role is Role.ADMINISTRATOR:
        if user.is_superuser:
            return
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    else:
        group, _ = Group.objects.get_or_create(name=PROGRAMME_MANAGERS_GROUP)
        if user.groups.filter(pk=group.pk).exists():
            return
        user.groups.add(group)
    record_audit_event(
        action="role.granted",
        actor=actor,
        target=user,
        request=request,
        details={"role": role.value},
    )
    _announce_role_change(user, actor, f"You are now a {role.label.lower()}.")


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: Role, request: HttpRequest | None = None) -> None:
    require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if role is Role.ADMINISTRATOR:
        if not user.is_superuser:
            return
        # Lock every administrator row, so two concurrent revocations cannot leave none.
        administrators = list(
            User.objects.select_for_update()
            .filter(is_superuser=True, is_active=True)
            .values_list("pk", flat=True)
        )
        if administrators == [user.pk]:
            raise Conflict("The last administrator cannot be removed; appoint another one first.")
        user.is_superuser = False
        user.is_staff = False
        user.save(update_fields=["is_superuser", "is_staff"])
    else:
        group = Group.objects.filter(name=PROGRAMME_MANAGERS_GROUP).first()
        if group is None or not user.groups.filter(pk=group.pk).exists():
            return
        user.groups.remove(group)
    record_audit_event(
        action="role.revoked",
        actor=actor,
        target=user,
        request=request,
        details={"role": role.value},
    )
    _announce_role_change(user, actor, f"You are no longer a {role.label.lower()}.")


def _announce_role_change(user: User, actor: User, message: str) -> None:
    notify(recipient=user, category="people", message=message, link="/account/", actor=actor)
