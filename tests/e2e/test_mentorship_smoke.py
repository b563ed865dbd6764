"""Mentorship in a browser: a member enrols as a mentee; the manager accepts her, runs the
matching (computed by the worker; the page polls with htmx) and publishes it; the mentee sees
her match with its explanation and logs a session. The manager's dashboard draws its charts
under the CSP. axe finds no serious or critical violation on any page."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from tests.e2e.browser_steps import serious_violations, sign_in

from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

OPEN_COHORT = "Climate leaders mentoring 2027"


def _sign_in_as_administrator(page: Any, url: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{url}/")


def _csp_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def test_enrol_match_publish_then_see_the_match_and_log_a_session(app: Any, browser: Any) -> None:
    member_context = browser.new_context()
    member = member_context.new_page()
    sign_in(member, app.url)

    # The member enrols as a mentee in the open cohort.
    member.goto(f"{app.url}/mentoring/")
    member.get_by_role("link", name=OPEN_COHORT).first.click()
    member.wait_for_url(re.compile(r".*/mentoring/programmes/\d+/$"))
    programme_url = member.url
    assert serious_violations(member) == []
    apply_form = member.locator("form", has=member.get_by_role("button", name="Apply as a mentee"))
    apply_form.get_by_label("What do you want to grow in?").fill(
        "Learn carbon accounting and build our first emissions baseline"
    )
    apply_form.get_by_role("button", name="Apply as a mentee").click()
    member.get_by_role("heading", name="Your application as a mentee").wait_for()
    mine = member.get_by_role("region", name="Your application as a mentee")
    assert "Submitted" in mine.inner_text()

    # The manager accepts her, runs the matching and publishes the draft.
    manager_context = browser.new_context()
    manager = manager_context.new_page()
    csp_errors = _csp_errors(manager)
    _sign_in_as_administrator(manager, app.url)
    manager.goto(f"{programme_url}manage/")
    assert serious_violations(manager) == []
    row = manager.locator("tr", has_text="Dana Demo").filter(has_text="Mentee")
    row.get_by_role("button", name="Accept").click()
    manager.locator("tr", has_text="Dana Demo").filter(has_text="Accepted").first.wait_for()

    manager.get_by_role("button", name="Run the matching").click()
    manager.wait_for_url(re.compile(r".*/mentoring/runs/\d+/$"))
    publish = manager.get_by_role("button", name="Publish this matching")
    publish.wait_for(timeout=180_000)  # the worker computes it; the progress card polls
    manager.reload()  # the full draft page, with the proposed pairs
    my_row = manager.locator("tr", has_text="Dana Demo")
    reason = my_row.locator(".reasons li").first.inner_text()
    assert reason
    assert serious_violations(manager) == []
    manager.get_by_role("button", name="Publish this matching").click()
    # Publishing cannot be undone: the page says what it will do and asks first.
    manager.get_by_text(re.compile(r"Publishing creates \d+ relationships?")).wait_for()
    assert serious_violations(manager) == []
    manager.get_by_role("button", name=re.compile(r"Confirm: publish run")).click()
    assert "Publishing" in manager.locator(".messages").inner_text()
    # The worker creates the relationships; the progress card polls until it is done.
    manager.get_by_text(re.compile(r"Published: \d+ relationships? started")).wait_for(
        timeout=120_000
    )
    # The published run on a phone: its tables scroll in their own box, the page does not.
    manager.set_viewport_size({"width": 390, "height": 900})
    assert not manager.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert serious_violations(manager) == []
    manager.set_viewport_size({"width": 1280, "height": 900})
    manager.goto(f"{programme_url}manage/")

    # The dashboard draws its charts with the locally served plotly, within the CSP.
    manager.get_by_role("link", name=re.compile("Programme dashboard")).click()
    manager.wait_for_url(re.compile(r".*/dashboard/$"))
    manager.locator('[data-figure="funnel-figure"][data-drawn="true"]').wait_for()
    assert manager.locator('[data-figure="funnel-figure"] svg.main-svg').count() >= 1
    funnel = manager.locator("section", has_text="Enrolment funnel").locator("table")
    assert "Mentees" in funnel.inner_text()
    assert serious_violations(manager) == []
    assert csp_errors == []
    manager_context.close()

    # The mentee sees her match, with its explanation, and logs a session.
    member.goto(f"{app.url}/mentoring/relationships/")
    card = member.locator(".card", has_text=OPEN_COHORT)
    card.get_by_role("link").first.click()
    member.wait_for_url(re.compile(r".*/mentoring/relationships/\d+/$"))
    assert serious_violations(member) == []
    member.get_by_text("Log a session").click()
    sessions = member.locator("#sessions")
    sessions.get_by_label("Date").fill(date.today().isoformat())
    sessions.get_by_label("Duration (minutes)").fill("45")
    sessions.get_by_label("Topics").fill("Our first conversation: goals")
    sessions.get_by_role("button", name="Log session").click()
    member.locator("#sessions", has_text="Our first conversation: goals").wait_for()
    assert "waiting for confirmation" in member.locator("#sessions").inner_text()
    assert serious_violations(member) == []
    # The match explains itself to the mentee (the same words the manager saw in the draft).
    assert member.get_by_text(reason).first.is_visible()
    member_context.close()
