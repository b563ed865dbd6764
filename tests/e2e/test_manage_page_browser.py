"""A programme's manage page in a browser, at 1280 px and at 390 px: the manager filters the
applications by status (htmx swaps the list and the address keeps the filter), pages forward,
then decides on one waiting application, which leaves the "waiting" filter and joins the
waitlisted ones. axe finds no serious or critical violation; nothing scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.e2e.browser_steps import serious_violations

from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

RUNNING = "Climate leaders mentoring 2026"  # 39 applications, 35 of them accepted
OPEN_COHORT = "Climate leaders mentoring 2027"  # 4 waiting for a decision


def _sign_in_as_administrator(page: Any, url: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{url}/")


def _open_manage_page(page: Any, url: str, programme: str) -> None:
    page.goto(f"{url}/mentoring/")
    page.get_by_role("link", name=programme, exact=True).first.click()
    page.wait_for_url(re.compile(r".*/mentoring/programmes/\d+/$"))
    page.goto(f"{page.url}manage/")
    page.get_by_role("heading", name="Applications").wait_for()


def _scrolls_sideways(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"))


def _rows(page: Any) -> Any:
    return page.locator("#applications tbody tr[id^=application-]")


def test_filter_page_and_decide_on_the_manage_page(app: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in_as_administrator(page, app.url)

    # Desktop: filter by status, then page forward; the address keeps both.
    _open_manage_page(page, app.url, RUNNING)
    page.get_by_role("combobox", name="Status").select_option("accepted")
    page.wait_for_url(re.compile(r".*status=accepted.*"))
    page.get_by_text("Showing 1–25 of 35").wait_for()
    assert _rows(page).count() == 25
    assert all("Accepted" in text for text in _rows(page).all_inner_texts())
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r".*status=accepted&page=2.*"))
    page.get_by_text("Showing 26–35 of 35").wait_for()
    assert _rows(page).count() == 10
    assert page.get_by_role("combobox", name="Status").input_value() == "accepted"
    assert serious_violations(page) == []
    page.reload()  # the same list without htmx, from the address alone
    page.get_by_text("Showing 26–35 of 35").wait_for()

    # A phone: the page does not scroll sideways; the table scrolls in its own region.
    page.set_viewport_size({"width": 390, "height": 844})
    assert not _scrolls_sideways(page)
    assert serious_violations(page) == []

    # Still on the phone: decide on one application waiting in the open cohort.
    _open_manage_page(page, app.url, OPEN_COHORT)
    page.get_by_role("combobox", name="Status").select_option("submitted")
    page.wait_for_url(re.compile(r".*status=submitted.*"))
    page.get_by_text("Showing 1–4 of 4").wait_for()
    row = _rows(page).filter(has_text="Mentee").first
    name = row.locator("td").first.inner_text().strip()
    assert name
    assert name != "Dana Demo"
    row.get_by_role("button", name="Waitlist").click()
    page.get_by_text(f"{name}: waitlisted.").wait_for()
    page.get_by_text("Showing 1–3 of 3").wait_for()
    assert name not in "\n".join(_rows(page).all_inner_texts())
    assert "status=submitted" in page.url
    assert not _scrolls_sideways(page)
    assert serious_violations(page) == []

    # It is among the waitlisted now.
    page.get_by_role("combobox", name="Status").select_option("waitlisted")
    page.wait_for_url(re.compile(r".*status=waitlisted.*"))
    _rows(page).filter(has_text=name).wait_for()
    context.close()
