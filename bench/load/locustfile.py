"""ImpactCircle under load: employees, programme managers and administrators using the site.

Run by `bench/load/run.py` (which prepares the database and writes the roster), or by hand:

    LOAD_ROSTER=/tmp/roster.json locust -f bench/load/locustfile.py --host http://127.0.0.1:8000

Each virtual user signs in as a different demo person from the roster (`LOAD_ROSTER`, a JSON
file of emails by role) through the real allauth form, CSRF token included, from an address of
its own (`X-Forwarded-For`, as behind a reverse proxy: the server must trust one proxy,
`TRUSTED_PROXY_COUNT=1`, so sign-in's per-address rate limit counts each person, not the load
generator). Then it waits 1–3 s between pages, as a person reading them. Nine employees to one
programme manager; administrators rarer still.

Requests are named by route pattern (`/people/<id>/`), so the statistics group per page.
Every page a person can open belongs here: a new page joins the task set of whoever uses it.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ROSTER_PATH = os.environ.get("LOAD_ROSTER", "bench/load/roster.json")
_SECTIONS = ("about", "causes", "mentoring", "skills", "goals", "visibility", "photo")
_HTMX = {"HX-Request": "true"}


class Roster:
    """Who signs in as what: each person is handed out once per locust process."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._lock = threading.Lock()
        self._next = {
            role: itertools.cycle(data[role]) for role in ("employees", "managers", "admins")
        }
        self._addresses = itertools.count(1)

    def person(self, role: str) -> tuple[dict[str, Any], str]:
        with self._lock:
            number = next(self._addresses)
            address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            return next(self._next[role]), address


_roster: Roster | None = None


@events.init.add_listener
def _load_roster(**_kwargs: Any) -> None:
    global _roster
    _roster = Roster(json.loads(Path(_ROSTER_PATH).read_text()))


class Person(HttpUser):
    abstract = True
    role = "employees"
    wait_time = between(1, 3)

    def on_start(self) -> None:
        assert _roster is not None
        self.roster = _roster.data
        self.me, address = _roster.person(self.role)
        self.client.headers["X-Forwarded-For"] = address
        self.sign_in()
        self.relationships: list[int] = []
        with self.client.get(
            "/api/v1/mentoring/relationships", name="/api/v1/mentoring/relationships",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200:
                self.relationships = [item["id"] for item in response.json()]

    def sign_in(self) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = _CSRF.search(page.text or "")
        if token is None:
            raise StopUser("No CSRF token on the sign-in page")
        with self.client.post(
            "/accounts/login/",
            data={
                "login": self.me["email"],
                "password": self.roster["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            allow_redirects=False,
            name="/accounts/login/ (sign in)",
            catch_response=True,
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") != "/":
                # 200: the form again (wrong password, rate limit); 302 elsewhere: e.g. to
                # verify the email address first.
                answer = f"{response.status_code} {response.headers.get('Location', '')}"
                response.failure(f"sign-in as {self.me['email']} answered {answer}")
                raise StopUser

    # --- helpers ---------------------------------------------------------------------------

    def page(self, path: str, name: str, **kwargs: Any) -> None:
        self.client.get(path, name=name, **kwargs)

    def programme(self) -> dict[str, Any]:
        return random.choice(self.roster["programmes"])

    # --- what everyone does ----------------------------------------------------------------

    @task(6)
    def home(self) -> None:
        self.page("/", "/")

    @task(3)
    def directory(self) -> None:
        self.page("/people/", "/people/")

    @task(1)
    def directory_page(self) -> None:
        page = random.randint(2, self.roster["directory_pages"])
        self.page(f"/people/?page={page}", "/people/?page=N", headers=_HTMX)

    @task(1)
    def directory_last_page(self) -> None:
        self.page(f"/people/?page={self.roster['directory_pages']}", "/people/?page=last")

    @task(3)
    def directory_search(self) -> None:
        words = random.choice(self.roster["searches"])
        self.page("/people/", "/people/?q=", params={"q": words}, headers=_HTMX)

    @task(2)
    def directory_filter(self) -> None:
        name, values = random.choice(list(self.roster["filters"].items()))
        self.page(
            "/people/", f"/people/?{name}=", params={name: random.choice(values)}, headers=_HTMX
        )

    @task(4)
    def profile(self) -> None:
        self.page(f"/people/{random.choice(self.roster['profiles'])}/", "/people/<id>/")

    @task(1)
    def my_profile(self) -> None:
        self.page("/people/me/", "/people/me/ → /people/<id>/")

    @task(1)
    def my_profile_edit(self) -> None:
        section = random.choice(_SECTIONS)
        self.page(
            f"/people/{self.me['id']}/edit/{section}/",
            "/people/<id>/edit/<section>/",
            headers=_HTMX,
        )

    @task(2)
    def notifications(self) -> None:
        self.page("/notifications/", "/notifications/")

    @task(1)
    def open_a_notification(self) -> None:
        """The newest notification, through the API as the page's list shows it, then opened
        (marks it read and redirects to what it is about)."""
        with self.client.get(
            "/api/v1/notifications/", name="/api/v1/notifications/", catch_response=True
        ) as response:
            # status_code, not .ok: a dropped connection must count as this request's error.
            items = response.json().get("items", []) if response.status_code == 200 else []
        if items:
            self.page(
                f"/notifications/{items[0]['id']}/open/",
                "/notifications/<id>/open/",
                allow_redirects=False,
            )

    @task(1)
    def notification_settings(self) -> None:
        self.page("/notifications/settings/", "/notifications/settings/")

    @task(1)
    def account(self) -> None:
        self.page("/account/", "/account/")

    @task(2)
    def programmes(self) -> None:
        self.page("/mentoring/", "/mentoring/")

    @task(2)
    def programme_page(self) -> None:
        self.page(f"/mentoring/programmes/{self.programme()['id']}/", "/mentoring/programmes/<id>/")

    @task(2)
    def relationships_page(self) -> None:
        self.page("/mentoring/relationships/", "/mentoring/relationships/")

    @task(3)
    def relationship_page(self) -> None:
        if self.relationships:
            relationship = random.choice(self.relationships)
            self.page(f"/mentoring/relationships/{relationship}/", "/mentoring/relationships/<id>/")

    @task(1)
    def flash_and_requests(self) -> None:
        """Flash slots and mentor requests exist only in flash / self-selection programmes."""
        flash = [p for p in self.roster["programmes"] if p["format"] == "flash"]
        choosing = [p for p in self.roster["programmes"] if p["matching_mode"] == "self_selection"]
        if flash:
            programme = random.choice(flash)["id"]
            self.page(
                f"/mentoring/flash/programmes/{programme}/", "/mentoring/flash/programmes/<id>/"
            )
        if choosing:
            programme = random.choice(choosing)["id"]
            self.page(
                f"/mentoring/programmes/{programme}/mentors/", "/mentoring/programmes/<id>/mentors/"
            )
            self.page(
                f"/mentoring/programmes/{programme}/mentors/requests/",
                "/mentoring/programmes/<id>/mentors/requests/",
            )

    # --- the JSON API (the session cookie authenticates reads) ------------------------------

    @task(1)
    def api_people(self) -> None:
        self.page("/api/v1/people", "/api/v1/people", params={"page": random.randint(1, 50)})

    @task(1)
    def api_people_search(self) -> None:
        words = random.choice(self.roster["searches"])
        self.page("/api/v1/people", "/api/v1/people?q=", params={"q": words})

    @task(1)
    def api_person(self) -> None:
        self.page(f"/api/v1/people/{random.choice(self.roster['profiles'])}", "/api/v1/people/<id>")

    @task(1)
    def api_programmes(self) -> None:
        self.page("/api/v1/mentoring/programmes", "/api/v1/mentoring/programmes")

    @task(1)
    def api_relationships(self) -> None:
        self.page("/api/v1/mentoring/relationships", "/api/v1/mentoring/relationships")
        if self.relationships:
            relationship = random.choice(self.relationships)
            self.page(
                f"/api/v1/mentoring/relationships/{relationship}",
                "/api/v1/mentoring/relationships/<id>",
            )

    @task(1)
    def api_unread(self) -> None:
        self.page("/api/v1/notifications/unread-count", "/api/v1/notifications/unread-count")


class Employee(Person):
    weight = 90
    role = "employees"


class ProgrammeManager(Person):
    """Everything an employee does, plus the pages of the programmes they manage."""

    weight = 10
    role = "managers"

    @task(4)
    def manage(self) -> None:
        self.page(
            f"/mentoring/programmes/{self.programme()['id']}/manage/",
            "/mentoring/programmes/<id>/manage/",
        )

    @task(2)
    def dashboard(self) -> None:
        self.page(
            f"/mentoring/programmes/{self.programme()['id']}/dashboard/",
            "/mentoring/programmes/<id>/dashboard/",
        )

    @task(2)
    def run_page(self) -> None:
        with_runs = [p for p in self.roster["programmes"] if p["runs"]]
        if with_runs:
            run = random.choice(random.choice(with_runs)["runs"])
            self.page(f"/mentoring/runs/{run}/", "/mentoring/runs/<id>/")

    @task(1)
    def publish_confirmation(self) -> None:
        """What publishing a run would do (a draft), or back to the run page (published)."""
        with_runs = [p for p in self.roster["programmes"] if p["runs"]]
        if with_runs:
            run = random.choice(random.choice(with_runs)["runs"])
            self.page(f"/mentoring/runs/{run}/publish/", "/mentoring/runs/<id>/publish/")

    @task(1)
    def dashboard_export(self) -> None:
        programme = self.programme()["id"]
        self.page(
            f"/mentoring/programmes/{programme}/dashboard.csv",
            "/mentoring/programmes/<id>/dashboard.csv",
        )

    @task(1)
    def compare_runs(self) -> None:
        """Two runs of one programme side by side (programmes re-run before publishing)."""
        with_two = [p for p in self.roster["programmes"] if len(p["runs"]) >= 2]
        if with_two:
            run, other = random.choice(with_two)["runs"][:2]
            self.page(
                f"/mentoring/runs/{run}/compare/{other}/", "/mentoring/runs/<id>/compare/<id>/"
            )

    @task(1)
    def api_applications(self) -> None:
        programme = self.programme()["id"]
        self.page(
            f"/api/v1/mentoring/programmes/{programme}/applications",
            "/api/v1/mentoring/programmes/<id>/applications",
        )


class Administrator(ProgrammeManager):
    """A manager of every programme who also looks after roles and the organisation."""

    weight = 3
    role = "admins"

    @task(2)
    def roles(self) -> None:
        self.page("/people/roles/", "/people/roles/")

    @task(1)
    def new_programme_form(self) -> None:
        self.page("/mentoring/programmes/new/", "/mentoring/programmes/new/")

    @task(1)
    def organisation_edit(self) -> None:
        person = random.choice(self.roster["profiles"])
        self.page(
            f"/people/{person}/edit/organisation/", "/people/<id>/edit/organisation/", headers=_HTMX
        )
