from __future__ import annotations

import pytest

from impactcircle.core.audit import record_audit_event
from impactcircle.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_an_entry_names_actor_action_and_object(user) -> None:
    event = record_audit_event(
        action="role.granted", actor=user, target=user, details={"role": "manager"}
    )

    assert event.actor_label == "ana@example.com"
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)
    assert event.details == {"role": "manager"}


def test_entries_cannot_be_changed(user) -> None:
    event = record_audit_event(action="role.granted", actor=user)

    event.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened")
    assert AuditEvent.objects.get(pk=event.pk).action == "role.granted"


def test_entries_cannot_be_deleted(user) -> None:
    event = record_audit_event(action="role.granted", actor=user)

    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("key", ["password", "token_value", "note_body", "api_secret", "mfa_code"])
def test_details_that_may_hold_secrets_are_refused(user, key: str) -> None:
    with pytest.raises(ValueError, match="secret"):
        record_audit_event(action="x", actor=user, details={key: "value"})

    assert AuditEvent.objects.count() == 0


def test_the_admin_can_read_but_not_add_change_or_delete(admin_client, user) -> None:
    event = record_audit_event(action="role.granted", actor=user)

    listing = admin_client.get("/admin/core/auditevent/", secure=True)
    assert listing.status_code == 200
    assert "role.granted" in listing.content.decode()
    assert admin_client.get("/admin/core/auditevent/add/", secure=True).status_code == 403
    assert (
        admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/", secure=True).status_code
        == 403
    )
