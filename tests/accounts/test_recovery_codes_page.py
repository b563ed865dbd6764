"""The recovery-codes page: its two actions are buttons side by side, with room between them."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from tests.factories import PASSWORD

from impactcircle.accounts.models import User

pytestmark = pytest.mark.django_db


def test_download_and_generate_are_separate_buttons_in_a_row(client: Client, user: User) -> None:
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    client.force_login(user)
    # the page wants a recent re-authentication
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()

    row = re.search(r'<div class="button-row">(.*?)</div>', page, re.DOTALL)
    assert row is not None, page
    links = re.findall(r'<a class="button[^"]*" href="([^"]+)">\s*([^<]+?)\s*</a>', row.group(1))
    assert links == [
        (reverse("mfa_download_recovery_codes"), "Download codes"),
        (reverse("mfa_generate_recovery_codes"), "Generate new codes"),
    ]
