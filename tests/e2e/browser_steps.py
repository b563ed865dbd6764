"""Steps shared by the browser tests."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

from impactcircle.demo.accounts import DEMO_MEMBER_EMAIL, DEMO_PASSWORD


def serious_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def sign_in(page: Any, url: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Email").fill(DEMO_MEMBER_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{url}/")
