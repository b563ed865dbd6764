"""Issue 10 at 390 px: the site header is one row with a menu button that reveals the navigation,
and a programme's manage page keeps every application's actions on screen, without sideways
scrolling. axe finds no serious or critical violation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.e2e.browser_steps import serious_violations

from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
RUNNING = "Climate leaders mentoring 2026"  # 39 applications in the demo data


def _sign_in_as_administrator(page: Any, url: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{url}/")


def _scroll_width_over(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_header_collapses_into_a_menu_on_a_phone(app: Any, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in_as_administrator(page, app.url)
    header = page.locator(".site-header")
    nav = page.get_by_role("navigation", name="Main")
    mentoring = nav.get_by_role("link", name="Mentoring")

    assert header.bounding_box()["height"] < 80
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(mentoring).to_be_hidden()
    assert serious_violations(page) == []

    menu.click()  # opens the navigation and the account links
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(mentoring).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert _scroll_width_over(page) <= 0
    assert serious_violations(page) == []

    menu.focus()  # and closes again from the keyboard
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(mentoring).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 900})  # a desktop has no menu button
    expect(menu).to_be_hidden()
    expect(mentoring).to_be_visible()
    context.close()


def test_the_manage_page_keeps_the_actions_on_a_phone(app: Any, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in_as_administrator(page, app.url)
    page.goto(f"{app.url}/mentoring/")
    page.get_by_role("link", name=RUNNING, exact=True).first.click()
    page.wait_for_url(re.compile(r".*/mentoring/programmes/\d+/$"))
    page.goto(f"{page.url}manage/")
    page.get_by_role("heading", name="Applications").wait_for()

    assert _scroll_width_over(page) <= 0
    rows = page.locator("#applications tbody tr[id^=application-]")
    assert rows.count() > 0
    for index in range(rows.count()):
        row = rows.nth(index)
        for action in ("Accept", "Waitlist", "Decline"):
            button = row.get_by_role("button", name=action)
            if button.count() == 0:  # a withdrawn application has no decision to take
                continue
            box = button.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"], (index, action, box)
    assert serious_violations(page) == []
    context.close()
