"""The directory in a browser: search for a skill, see why people matched, open a profile."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from tests.e2e.browser_steps import serious_violations, sign_in

pytestmark = pytest.mark.e2e


def test_search_the_directory_for_a_skill_and_open_a_profile(app: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, app.url)

    page.get_by_role("link", name="People", exact=True).click()
    page.wait_for_url(f"{app.url}/people/")
    assert serious_violations(page) == []

    page.get_by_label("Name, job title or skill").fill("impact measurement")
    first_reason = page.locator(".reasons li", has_text="Skill: Impact measurement").first
    first_reason.wait_for()
    pushed = parse_qs(urlsplit(page.url).query)
    assert pushed["q"] == ["impact measurement"]  # htmx pushed the search into the address
    person = page.locator(".person-row__name").first
    name = person.inner_text()
    person.click()

    page.wait_for_url(f"{app.url}/people/*/")
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.get_by_role("heading", name="Skills").is_visible()
    assert serious_violations(page) == []
    context.close()


def test_edit_my_bio_in_place(app: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, app.url)
    page.get_by_role("link", name="My profile").click()

    page.get_by_role("button", name="Edit about").click()
    page.get_by_label("Bio").fill("I measure **impact** for a living.")
    page.get_by_role("button", name="Save").click()

    page.locator("#about strong", has_text="impact").wait_for()
    assert serious_violations(page) == []
    context.close()


def test_an_invalid_field_shows_its_error_in_place(app: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, app.url)
    page.get_by_role("link", name="My profile").click()

    page.get_by_role("button", name="Edit about").click()
    page.get_by_label("Country").fill("XX")
    page.get_by_role("button", name="Save").click()

    page.locator("#about .errorlist", has_text="not an ISO 3166 country code").wait_for()
    assert page.get_by_label("Country").input_value() == "XX"  # nothing the person typed is lost
    context.close()
