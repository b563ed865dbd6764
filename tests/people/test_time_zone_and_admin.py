from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.people.middleware import ViewerTimeZoneMiddleware
from impactcircle.people.models import Profile, ProfileSkill, Skill

pytestmark = pytest.mark.django_db


def _zone_seen_by_a_page(user: User | None) -> str:
    seen: list[str] = []

    def page(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    request = RequestFactory().get("/")
    request.session = SessionStore()
    from django.contrib.auth.models import AnonymousUser

    request.user = user or AnonymousUser()
    ViewerTimeZoneMiddleware(page)(request)
    timezone.deactivate()
    return seen[0]


def test_pages_use_the_viewers_time_zone(user: User) -> None:
    Profile.objects.filter(user=user).update(time_zone="Asia/Kolkata")

    assert _zone_seen_by_a_page(user) == "Asia/Kolkata"


def test_anonymous_visitors_get_the_server_zone(db: None) -> None:
    assert _zone_seen_by_a_page(None) == "UTC"


def test_changing_my_time_zone_applies_on_the_next_page(
    signed_in_client: Client, user: User
) -> None:
    signed_in_client.get("/people/")  # the session remembers UTC
    signed_in_client.post(f"/people/{user.pk}/edit/about/", {"time_zone": "America/Sao_Paulo"})

    assert signed_in_client.session["impactcircle_time_zone"] == "America/Sao_Paulo"


def test_the_admin_merges_free_skills_into_a_curated_one(
    client: Client, admin_user: User, user: User
) -> None:
    curated = Skill.objects.create(name="ESG reporting", is_curated=True)
    typo = Skill.objects.create(name="ESG reportng")
    ProfileSkill.objects.create(profile=user.profile, skill=typo, proficiency=3)
    client.force_login(admin_user)

    client.post(
        "/admin/people/skill/",
        {"action": "merge_into_curated", "_selected_action": [curated.pk, typo.pk]},
    )

    assert list(Skill.objects.values_list("name", flat=True)) == ["ESG reporting"]
    assert ProfileSkill.objects.get(profile=user.profile).skill == curated


def test_digests_know_each_persons_time_zone(user: User, other_user: User) -> None:
    from zoneinfo import ZoneInfo

    from impactcircle.notifications.time_zones import time_zones_for

    Profile.objects.filter(user=user).update(time_zone="Africa/Nairobi")

    zones = time_zones_for([user.pk, other_user.pk])

    assert zones[user.pk] == ZoneInfo("Africa/Nairobi")
    assert str(zones[other_user.pk]) == "UTC"


def test_the_viewers_zone_does_not_outlive_the_request(
    signed_in_client: Client, user: User
) -> None:
    Profile.objects.filter(user=user).update(time_zone="Pacific/Kiritimati")

    signed_in_client.get("/people/")

    assert timezone.get_current_timezone_name() == "UTC"
