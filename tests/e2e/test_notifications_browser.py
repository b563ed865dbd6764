"""Browser test of the notification centre and settings: htmx swaps, header count, accessibility."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.e2e.browser_steps import serious_violations, sign_in

from impactcircle.demo.accounts import DEMO_MEMBER_EMAIL

pytestmark = pytest.mark.e2e

_NOTIFY = """
from impactcircle.accounts.models import User
from impactcircle.notifications.services import notify
person = User.objects.get(email={email!r})
for number in range(3):
    notify(recipient=person, category="people", message=f"Browser notice {{number}}", link="/")
"""


def _notify_demo_member(app: Any) -> None:
    """Three notices for the demo member, written by a shell against the running app's data."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SITE_URL", "DEBUG"}
    }
    env.update(DATA_DIR=str(app.log.parent), DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost")
    subprocess.run(
        [sys.executable, "-m", "impactcircle", "shell", "-c",
         _NOTIFY.format(email=DEMO_MEMBER_EMAIL)],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip


def test_notifications_are_read_in_place_and_the_header_count_follows(
    app: Any, browser: Any
) -> None:
    _notify_demo_member(app)
    context = browser.new_context()
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, app.url)
    header = page.locator("#header-notifications")
    unread_before = int(header.inner_text().split()[0])
    assert unread_before >= 3
    assert header.get_attribute("aria-label") == f"Notifications, {unread_before} unread"

    header.click()
    page.wait_for_url(f"{app.url}/notifications/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Mark read: Browser notice 2").click()

    expect(header).to_have_text(f"{unread_before - 1} unread")
    assert page.url == f"{app.url}/notifications/"  # swapped in place, no page load
    page.get_by_role("button", name="Mark all read").click()
    expect(header).to_have_text("0 unread")
    expect(header).to_have_attribute("aria-label", "Notifications, 0 unread")
    assert page.get_by_role("button", name="Mark read: Browser notice 0").count() == 0
    assert csp_errors == []
    context.close()


def test_an_email_setting_is_saved_in_place(app: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, app.url)
    page.goto(f"{app.url}/notifications/settings/")
    assert serious_violations(page) == []

    section = page.locator("#category-people")
    section.get_by_label("Weekly digest email").check()
    section.get_by_role("button", name="Save").click()

    page.locator("#category-people").get_by_role("status").wait_for()
    assert page.url == f"{app.url}/notifications/settings/"
    page.reload()
    assert page.locator("#category-people").get_by_label("Weekly digest email").is_checked()
    context.close()
