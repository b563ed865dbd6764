"""Two web processes: what one indexes, the other finds by meaning within seconds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from tests.factories import UserFactory

from impactcircle.core.search import index_now
from impactcircle.people.models import Profile
from impactcircle.people.selectors import PROFILE_TYPE

FOLLOWER = Path(__file__).with_name("search_follower.py")
QUERY = "sustainable urban freight transport"


@pytest.mark.django_db(transaction=True)
def test_a_profile_indexed_in_one_process_is_found_by_meaning_in_another() -> None:
    database = str(connection.settings_dict["NAME"])
    follower = subprocess.Popen(
        [sys.executable, str(FOLLOWER), database, QUERY],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert follower.stdout is not None
        assert follower.stdin is not None
        assert follower.stdout.readline().strip() == "ready 0"

        person = UserFactory(email="cargo@example.com", first_name="Cy", last_name="Rider")
        Profile.objects.filter(user=person).update(
            bio="I coordinate our cargo bike deliveries in the city centre"
        )
        index_now(PROFILE_TYPE, [person.profile.pk])
        follower.stdin.write("go\n")
        follower.stdin.flush()
        answer = follower.stdout.readline().split()
        assert follower.wait(timeout=30) == 0
    finally:
        if follower.poll() is None:
            follower.kill()

    assert answer[:4] == ["found", str(person.profile.pk), "words=False", "meaning=True"]
    assert float(answer[4].removeprefix("after=")) < 5
