"""The application form's POST-only address opened with a GET (issue 10): after a refused form the
address bar shows it, and reloading it must land on a page, not on a bare 405."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_opening_the_apply_address_after_a_refused_form_shows_the_programme(
    signed_in_client: Client,
) -> None:
    programme = ProgrammeFactory()
    url = f"/mentoring/programmes/{programme.pk}/apply/mentee/"
    refused = signed_in_client.post(url, {"mentee-work_start_hour": 99})
    assert refused.status_code == 422

    opened = signed_in_client.get(url, follow=True)

    assert opened.redirect_chain == [(f"/mentoring/programmes/{programme.pk}/", 302)]
    assert opened.status_code == 200
    assert "Apply as a mentee" in opened.content.decode()
