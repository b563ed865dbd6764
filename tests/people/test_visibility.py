"""A field marked "only me" is absent everywhere for other members, present for owner and admin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from tests.factories import bearer
from tests.people.conftest import make_person

from impactcircle.accounts.models import User
from impactcircle.people.models import Profile, Skill, Visibility
from impactcircle.people.visibility import (
    register_programme_peer_provider,
    unregister_programme_peer_provider,
)

pytestmark = pytest.mark.django_db

SECRET_BIO = "Quietly training for an ultramarathon."


@pytest.fixture
def private_person(db: None, impact_measurement: Skill) -> User:
    """Priya shares her skills and bio with nobody but herself (and administrators)."""
    return make_person(
        "priya@example.com",
        first_name="Priya",
        last_name="Patel",
        skill=impact_measurement,
        bio=SECRET_BIO,
        city="Nairobi",
        country="KE",
        skills_visibility=Visibility.PRIVATE,
        bio_visibility=Visibility.PRIVATE,
        location_visibility=Visibility.PRIVATE,
    )


def test_a_private_skill_is_absent_from_the_directory_search_for_others(
    signed_in_client: Client, private_person: User, impact_measurement: Skill
) -> None:
    by_skill = signed_in_client.get("/people/", {"skill": impact_measurement.pk}).content.decode()
    by_text = signed_in_client.get("/people/", {"q": "impact measurement"}).content.decode()
    by_place = signed_in_client.get("/people/", {"location": "Nairobi"}).content.decode()

    for page in (by_skill, by_text, by_place):
        assert "Priya Patel" not in page
        assert "0 people" in page


def test_a_private_skill_and_bio_are_absent_from_the_profile_page_for_others(
    signed_in_client: Client, private_person: User
) -> None:
    page = signed_in_client.get(f"/people/{private_person.pk}/").content.decode()

    assert "Priya Patel" in page  # the name is always visible
    assert "Impact measurement" not in page
    assert SECRET_BIO not in page
    assert "Nairobi" not in page
    assert "Not shared with you." in page


def test_private_fields_are_null_in_the_api_for_others(
    client: Client, user: User, private_person: User, impact_measurement: Skill
) -> None:
    person = client.get(f"/api/v1/people/{private_person.pk}", headers=bearer(user)).json()
    search = client.get(
        "/api/v1/people", {"skill": impact_measurement.pk}, headers=bearer(user)
    ).json()

    assert person["skills"] is None
    assert person["bio"] is None
    assert person["city"] is None
    assert set(person["hidden_groups"]) == {"skills", "bio", "location"}
    assert SECRET_BIO not in str(person)
    assert search["count"] == 0


def test_the_owner_sees_their_private_fields(
    client: Client, private_person: User, impact_measurement: Skill
) -> None:
    client.force_login(private_person)

    page = client.get(f"/people/{private_person.pk}/").content.decode()
    api = client.get("/api/v1/people/me").json()
    search = client.get("/people/", {"skill": impact_measurement.pk}).content.decode()

    assert "Impact measurement" in page
    assert SECRET_BIO in page
    assert api["skills"][0]["name"] == "Impact measurement"
    assert "Priya Patel" in search


def test_an_administrator_sees_private_fields(
    client: Client, admin_user: User, private_person: User, impact_measurement: Skill
) -> None:
    client.force_login(admin_user)

    page = client.get(f"/people/{private_person.pk}/").content.decode()
    search = client.get("/people/", {"skill": impact_measurement.pk}).content.decode()
    api = client.get(f"/api/v1/people/{private_person.pk}", headers=bearer(admin_user)).json()

    assert SECRET_BIO in page
    assert "Priya Patel" in search
    assert api["bio"] == SECRET_BIO


def test_a_hidden_location_hides_the_time_zone_from_others(
    client: Client, user: User, private_person: User
) -> None:
    Profile.objects.filter(user=private_person).update(time_zone="Africa/Addis_Ababa")
    client.force_login(user)

    page = client.get(f"/people/{private_person.pk}/").content.decode()
    person = client.get(f"/api/v1/people/{private_person.pk}", headers=bearer(user)).json()

    assert "Addis_Ababa" not in page
    assert "Time zone" not in page
    assert person["time_zone"] is None
    assert "Addis_Ababa" not in str(person)


def test_the_owner_and_an_administrator_see_a_hidden_time_zone(
    client: Client, admin_user: User, private_person: User
) -> None:
    Profile.objects.filter(user=private_person).update(time_zone="Africa/Addis_Ababa")

    client.force_login(private_person)
    own_page = client.get(f"/people/{private_person.pk}/").content.decode()
    own_api = client.get("/api/v1/people/me", headers=bearer(private_person)).json()
    client.force_login(admin_user)
    admin_page = client.get(f"/people/{private_person.pk}/").content.decode()

    assert "Africa/Addis_Ababa" in own_page
    assert own_api["time_zone"] == "Africa/Addis_Ababa"
    assert "Africa/Addis_Ababa" in admin_page


def test_a_shared_location_shows_the_time_zone(
    client: Client, user: User, private_person: User
) -> None:
    Profile.objects.filter(user=private_person).update(
        time_zone="Africa/Addis_Ababa", location_visibility=Visibility.EVERYONE
    )

    person = client.get(f"/api/v1/people/{private_person.pk}", headers=bearer(user)).json()

    assert person["time_zone"] == "Africa/Addis_Ababa"


@pytest.fixture
def programme_peers(user: User, private_person: User) -> Iterator[None]:
    """Stand-in for the mentorship module: Ana and Priya are in a programme together."""

    def peers(viewer: User) -> set[int]:
        pair = {user.pk, private_person.pk}
        return pair - {viewer.pk} if viewer.pk in pair else set()

    register_programme_peer_provider(peers)
    yield
    unregister_programme_peer_provider(peers)


def test_programme_visibility_shows_a_field_to_programme_peers_only(
    client: Client, user: User, other_user: User, private_person: User, programme_peers: None
) -> None:
    Profile.objects.filter(user=private_person).update(bio_visibility=Visibility.PROGRAMME)

    client.force_login(user)
    assert SECRET_BIO in client.get(f"/people/{private_person.pk}/").content.decode()
    client.force_login(other_user)
    assert SECRET_BIO not in client.get(f"/people/{private_person.pk}/").content.decode()


def test_a_private_photo_is_replaced_by_initials_for_others(
    signed_in_client: Client, private_person: User
) -> None:
    from django.core.files.base import ContentFile

    profile = Profile.objects.get(user=private_person)
    profile.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff fake jpeg"), save=False)
    profile.photo_visibility = Visibility.PRIVATE
    profile.save()

    response = signed_in_client.get(f"/people/{private_person.pk}/avatar")

    assert response["Content-Type"] == "image/svg+xml"
    assert ">PP</text>" in response.content.decode()
