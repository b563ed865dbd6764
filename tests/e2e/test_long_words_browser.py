"""Issue 10: one 2,000-character word in a mentoring request must not widen the mentor's
requests page, at 1280 px or at 390 px, and the reason-for-declining box keeps a usable width."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from tests.e2e.browser_steps import serious_violations

from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

LONG_WORD = "Impact" * 333 + "xy"  # 2,000 characters, no space to break at

_SEED = """
from datetime import date, timedelta
from impactcircle.accounts.models import User
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.selection.services import request_send
mentor = User.objects.get(email={mentor!r})
mentee = User.objects.get(email={mentee!r})
today = date.today()
programme = Programme.objects.create(
    name="Long words cohort", purpose="Self-selection with a very long word.",
    matching_mode="self_selection", rule_min_level_gap=0,
    enrolment_opens_on=today - timedelta(days=7), enrolment_closes_on=today + timedelta(days=7),
    starts_on=today + timedelta(days=8), ends_on=today + timedelta(days=200),
)
Application.objects.create(
    programme=programme, user=mentor, side="mentor", status="accepted", capacity=1,
    goals="Offer help",
)
Application.objects.create(
    programme=programme, user=mentee, side="mentee", status="accepted", goals="Learn",
)
request_send(actor=mentee, programme_id=programme.pk, mentor_id=mentor.pk, message={message!r})
print(programme.pk)
"""


def _seed_a_request_with_a_long_word(app: Any) -> int:
    """The demo member asks the administrator, in a programme of their own, with one long word."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SITE_URL", "DEBUG"}
    }
    env.update(DATA_DIR=str(app.log.parent), DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost")
    script = _SEED.format(mentor=DEMO_ADMIN_EMAIL, mentee=DEMO_MEMBER_EMAIL, message=LONG_WORD)
    done = subprocess.run(
        [sys.executable, "-m", "impactcircle", "shell", "-c", script],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(done.stdout.strip().splitlines()[-1])


def _scroll_width_over(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_a_long_word_wraps_on_the_mentors_requests_page(app: Any, browser: Any) -> None:
    programme_id = _seed_a_request_with_a_long_word(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{app.url}/")
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{app.url}/")
    page.goto(f"{app.url}/mentoring/programmes/{programme_id}/mentors/requests/")
    page.get_by_role("heading", name="Asked of me").wait_for()
    page.get_by_text(LONG_WORD[:40]).wait_for()
    reason = page.get_by_label("Reason for declining (the mentee sees it)")

    assert _scroll_width_over(page) <= 0
    assert reason.bounding_box()["width"] >= 200
    assert serious_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    assert _scroll_width_over(page) <= 0
    box = reason.bounding_box()
    assert box["width"] >= 200
    assert box["x"] + box["width"] <= 390
    context.close()
