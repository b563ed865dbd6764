from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client
from tests.factories import UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput
from impactcircle.core.models import AuditEvent
from impactcircle.people import organisation_services
from impactcircle.people.models import Department, Profile
from impactcircle.people.organisation_services import (
    department_save,
    manager_chain_ids,
    profile_set_organisation,
    role_grant,
    role_revoke,
)
from impactcircle.people.roles import Role, is_programme_manager

pytestmark = pytest.mark.django_db


def _set_manager(actor: User, person: User, manager: User | None) -> Profile:
    return profile_set_organisation(
        actor=actor,
        profile=person.profile,
        department=None,
        manager=manager,
        level=None,
        job_title="",
        hire_date=None,
        employment_status="active",
        status_since=None,
    )


def test_every_new_account_gets_a_profile(user: User) -> None:
    assert Profile.objects.filter(user=user).exists()


def test_a_manager_chain_is_followed_to_the_top(admin_user: User) -> None:
    ceo, vp, lead, member = (UserFactory() for _ in range(4))
    _set_manager(admin_user, vp, ceo)
    _set_manager(admin_user, lead, vp)
    _set_manager(admin_user, member, lead)

    assert manager_chain_ids(member.pk) == [lead.pk, vp.pk, ceo.pk]


def test_a_manager_loop_is_refused_with_a_clear_error(admin_user: User) -> None:
    ceo, vp, lead = (UserFactory(first_name=name, last_name="X") for name in ("Cleo", "Vik", "Lee"))
    _set_manager(admin_user, vp, ceo)
    _set_manager(admin_user, lead, vp)

    with pytest.raises(InvalidInput) as refused:
        _set_manager(admin_user, ceo, lead)

    assert "loop" in refused.value.fields["manager"][0]
    assert Profile.objects.get(user=ceo).manager_id is None


def test_nobody_manages_themselves(admin_user: User, user: User) -> None:
    with pytest.raises(InvalidInput, match="own manager"):
        _set_manager(admin_user, user, user)


def test_only_administrators_place_people(user: User, other_user: User) -> None:
    with pytest.raises(Forbidden):
        _set_manager(user, other_user, user)


def test_the_department_tree_cannot_loop(admin_user: User) -> None:
    company = department_save(actor=admin_user, name="Company", parent=None)
    csr = department_save(actor=admin_user, name="CSR", parent=company)

    with pytest.raises(InvalidInput, match="inside itself"):
        department_save(actor=admin_user, name="Company", parent=csr, department=company)

    assert Department.objects.get(pk=company.pk).parent_id is None


def test_granting_a_role_is_audited(admin_user: User, user: User) -> None:
    role_grant(actor=admin_user, user=user, role=Role.PROGRAMME_MANAGER)

    user.refresh_from_db()
    assert is_programme_manager(User.objects.get(pk=user.pk))
    event = AuditEvent.objects.get(action="role.granted")
    assert event.actor == admin_user
    assert event.object_id == str(user.pk)
    assert event.details == {"role": "programme_manager"}


def test_revoking_a_role_is_audited(admin_user: User, user: User) -> None:
    role_grant(actor=admin_user, user=user, role=Role.ADMINISTRATOR)
    role_revoke(actor=admin_user, user=user, role=Role.ADMINISTRATOR)

    user.refresh_from_db()
    assert not user.is_superuser
    assert list(
        AuditEvent.objects.filter(action__startswith="role.").values_list("action", flat=True)
    ) == [
        "role.revoked",
        "role.granted",
    ]


def test_the_last_administrator_cannot_be_removed(admin_user: User) -> None:
    with pytest.raises(Conflict, match="last administrator"):
        role_revoke(actor=admin_user, user=admin_user, role=Role.ADMINISTRATOR)

    admin_user.refresh_from_db()
    assert admin_user.is_superuser


def test_members_cannot_change_roles(user: User, other_user: User) -> None:
    with pytest.raises(Forbidden):
        role_grant(actor=user, user=other_user, role=Role.ADMINISTRATOR)

    assert not AuditEvent.objects.filter(action="role.granted").exists()


def test_the_roles_page_grants_a_role(client: Client, admin_user: User, user: User) -> None:
    client.force_login(admin_user)

    response = client.post(
        "/people/roles/", {"email": user.email, "role": "programme_manager", "action": "grant"}
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="role.granted", object_id=str(user.pk)).exists()
    assert user.email in client.get("/people/roles/").content.decode()


def test_the_roles_page_is_hidden_from_members(signed_in_client: Client, other_user: User) -> None:
    assert signed_in_client.get("/people/roles/").status_code == 404
    response = signed_in_client.post(
        "/people/roles/", {"email": other_user.email, "role": "administrator", "action": "grant"}
    )
    assert response.status_code == 404
    other_user.refresh_from_db()
    assert not other_user.is_superuser


def test_a_manager_loop_is_refused_on_the_page(client: Client, admin_user: User) -> None:
    ceo, vp = UserFactory(), UserFactory()
    _set_manager(admin_user, vp, ceo)
    client.force_login(admin_user)

    response = client.post(
        f"/people/{ceo.pk}/edit/organisation/",
        {"manager_email": vp.email, "employment_status": "active"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "loop" in response.content.decode()
    assert Profile.objects.get(user=ceo).manager_id is None


def test_the_person_is_notified_of_a_role_change(admin_user: User, user: User) -> None:
    from impactcircle.notifications.models import Notification

    role_grant(actor=admin_user, user=user, role=Role.PROGRAMME_MANAGER)

    notification = Notification.objects.get(recipient=user)
    assert notification.category == "people"
    assert notification.message == "You are now a programme manager."


@pytest.mark.django_db(transaction=True)
def test_concurrent_a_reports_to_b_and_b_reports_to_a_cannot_both_succeed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    administrator = UserFactory(is_superuser=True, is_staff=True)
    a, b = UserFactory(), UserFactory()
    start = threading.Barrier(2)
    # Both checks wait here for each other (at most a second): without the row locks both
    # would pass before either commits; with them the second is still waiting for its lock.
    checked = threading.Barrier(2, timeout=1)
    real_check = organisation_services._check_manager

    def check_then_pause(profile: Profile, manager: User | None) -> None:
        real_check(profile, manager)
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait()

    monkeypatch.setattr(organisation_services, "_check_manager", check_then_pause)
    outcomes: list[object] = []

    def report(person: User, manager: User) -> None:
        try:
            start.wait()
            outcomes.append(_set_manager(administrator, person, manager))
        except Exception as error:  # the loser's InvalidInput is the point of the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=report, args=(a, b)),
        threading.Thread(target=report, args=(b, a)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    refused = [o for o in outcomes if isinstance(o, InvalidInput)]
    assert len(refused) == 1, outcomes
    assert "loop" in refused[0].fields["manager"][0]
    managers = dict(Profile.objects.filter(user__in=[a, b]).values_list("user_id", "manager_id"))
    assert None in managers.values(), managers
