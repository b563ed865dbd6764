from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from impactcircle.accounts.models import User
from impactcircle.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_createadmin_makes_a_verified_superuser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_PASSWORD", "a-strong-admin-passphrase")

    call_command("createadmin", email="Chief@Example.com", password_env="ADMIN_PASSWORD")

    admin = User.objects.get(email="chief@example.com")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password("a-strong-admin-passphrase")
    assert EmailAddress.objects.get(user=admin).verified
    assert AuditEvent.objects.filter(action="admin.created", object_id=str(admin.pk)).exists()


def test_createadmin_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_PASSWORD", "12345")

    with pytest.raises(CommandError, match="too short"):
        call_command("createadmin", email="chief@example.com", password_env="ADMIN_PASSWORD")

    assert not User.objects.exists()


def test_createadmin_refuses_an_existing_address(
    monkeypatch: pytest.MonkeyPatch, user: User
) -> None:
    monkeypatch.setenv("ADMIN_PASSWORD", "a-strong-admin-passphrase")

    with pytest.raises(CommandError, match="already has an account"):
        call_command("createadmin", email=user.email, password_env="ADMIN_PASSWORD")
