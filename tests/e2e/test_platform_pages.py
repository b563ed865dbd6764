"""Pages the platform layer changed, as a member sees them on a phone (390 px) and a desktop:
the directory found by meaning with the matched words marked, and a programme's managers' page
refused with its reason (403) — nothing scrolls sideways, axe finds nothing serious."""

from __future__ import annotations

from typing import Any

import pytest
from tests.e2e.browser_steps import serious_violations, sign_in

pytestmark = pytest.mark.e2e

OPEN_COHORT = "Climate leaders mentoring 2027"
WIDTHS = [390, 1280]


def _scrolls_sideways(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_directory_finds_people_by_meaning_and_marks_the_words(
    app: Any, browser: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, app.url)

    page.goto(f"{app.url}/people/?q=who+knows+about+reducing+emissions+in+logistics")
    rows = page.locator(".person-row__name")
    rows.first.wait_for()
    assert rows.count() >= 1
    assert page.locator(".person-row__snippet mark").count() >= 1
    assert not _scrolls_sideways(page)
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_is_refused_a_programmes_managers_page_with_the_reason(
    app: Any, browser: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, app.url)
    page.goto(f"{app.url}/mentoring/")
    page.get_by_role("link", name=OPEN_COHORT).first.click()
    page.wait_for_url(f"{app.url}/mentoring/programmes/*/")

    response = page.goto(f"{page.url}manage/")

    assert response is not None
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == (
        "You do not have access to this page"
    )
    assert "Only this programme's managers may do this." in page.content()
    assert not _scrolls_sideways(page)
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_directory_filters_by_a_list_and_survives_long_and_bad_input(
    app: Any, browser: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, app.url)
    page.goto(f"{app.url}/people/")

    language = page.get_by_label("Language")
    assert language.locator("option").first.inner_text() == "Any language"
    language.select_option(label="German")
    page.locator(".reasons li", has_text="Speaks German").first.wait_for()
    assert "language=de" in page.url
    assert not _scrolls_sideways(page)
    assert serious_violations(page) == []

    page.goto(f"{app.url}/people/?q=" + "Nachhaltigkeitsberichterstattung" * 6)
    page.locator("#results-heading").wait_for()
    assert not _scrolls_sideways(page)

    answered = page.goto(f"{app.url}/people/?skill=99999999999999999999&department=abc")
    assert answered is not None
    assert answered.status < 500
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_directory_refuses_bad_filters_and_wraps_a_very_long_word(
    app: Any, browser: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, app.url)

    response = page.goto(f"{app.url}/people/?q={'x' * 3000}")
    assert response is not None
    assert response.status == 422
    assert "at most 200 characters" in page.content()
    assert page.locator(".person-row__name").count() == 0  # never everyone
    assert not _scrolls_sideways(page)
    assert serious_violations(page) == []

    response = page.goto(f"{app.url}/people/?skill=99999")
    assert response is not None
    assert response.status == 422
    assert "No such skill" in page.content()

    page.goto(f"{app.url}/people/?q={'Sustainability' * 14}")  # one 196-letter word, in range
    page.locator("#results").wait_for()
    assert not _scrolls_sideways(page)
    assert serious_violations(page) == []
    context.close()
