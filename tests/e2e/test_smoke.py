"""The smoke test CI runs: sign in as the demo member, see the home page, check accessibility."""

from __future__ import annotations

import signal
import subprocess
from typing import Any

import pytest
from tests.e2e.browser_steps import serious_violations as _serious_violations
from tests.e2e.browser_steps import sign_in as _sign_in

pytestmark = pytest.mark.e2e


def test_the_demo_member_signs_in_and_sees_the_home_page(app: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{app.url}/")
    assert page.url.startswith(f"{app.url}/accounts/login/")
    assert _serious_violations(page) == []

    _sign_in(page, app.url)

    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Dana Demo"
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert _serious_violations(page) == []
    assert page.evaluate("typeof window.htmx") == "object"
    assert csp_errors == []
    context.close()


def test_the_layout_fits_a_360_pixel_screen(app: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()

    _sign_in(page, app.url)

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _serious_violations(page) == []
    context.close()


def test_the_skip_link_is_first_and_visible_on_focus(app: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, app.url)

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    context.close()


def test_an_access_token_is_created_with_htmx_and_shown_once(app: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, app.url)
    page.goto(f"{app.url}/account/")
    assert _serious_violations(page) == []

    page.get_by_label("Name").fill("Browser smoke token")
    page.get_by_role("button", name="Create token").click()

    secret = page.locator("#new-token-secret")
    secret.wait_for()
    assert secret.inner_text().startswith("icp_")
    assert page.url == f"{app.url}/account/"  # swapped in place, no page load
    page.reload()
    assert page.locator("#new-token-secret").count() == 0
    assert page.get_by_role("cell", name="Browser smoke token", exact=True).is_visible()
    context.close()


def test_ctrl_c_stops_the_web_server_and_the_worker(fresh_app: Any) -> None:
    children = subprocess.run(
        ["pgrep", "-P", str(fresh_app.process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert len(children) == 2  # gunicorn and the worker

    fresh_app.process.send_signal(signal.SIGINT)
    assert fresh_app.process.wait(timeout=30) == 0

    for child in children:
        alive = subprocess.run(["kill", "-0", child], capture_output=True, check=False)
        assert alive.returncode != 0, f"process {child} outlived Ctrl-C"
