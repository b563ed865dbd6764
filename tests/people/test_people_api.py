from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import UserFactory, bearer
from tests.people.conftest import make_person

from impactcircle.accounts.models import User
from impactcircle.core.models import AuditEvent
from impactcircle.people.models import Department, Profile, ProfileSkill, Skill

pytestmark = pytest.mark.django_db


def test_people_search_answers_rows_with_reasons(
    client: Client, user: User, impact_measurement: Skill
) -> None:
    make_person("ben@example.com", first_name="Ben", last_name="Okafor", skill=impact_measurement)

    body = client.get("/api/v1/people", {"q": "impact"}, headers=bearer(user)).json()

    assert body["count"] == 1
    assert body["items"][0]["person"]["name"] == "Ben Okafor"
    assert body["items"][0]["reasons"] == ["Skill: Impact measurement (expert)"]


def test_page_size_is_capped(client: Client, user: User) -> None:
    for number in range(105):
        UserFactory(email=f"many{number}@example.com")

    body = client.get("/api/v1/people", {"page_size": 500}, headers=bearer(user)).json()

    assert len(body["items"]) == 100
    assert body["count"] == 106


def test_updating_my_profile(client: Client, user: User) -> None:
    response = client.patch(
        "/api/v1/people/me",
        {
            "bio": "Hi",
            "country": "ke",
            "time_zone": "Africa/Nairobi",
            "languages": ["sw", "en"],
            "open_to_be_mentored": True,
            "visibility": {"bio": "programme"},
        },
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["country"] == "KE"
    assert sorted(body["languages"]) == ["English", "Swahili"]
    assert Profile.objects.get(user=user).bio_visibility == "programme"


def test_invalid_profile_fields_answer_422_and_change_nothing(client: Client, user: User) -> None:
    response = client.patch(
        "/api/v1/people/me",
        {
            "bio": "Changed",
            "time_zone": "Nowhere/Land",
            "languages": ["xx"],
            "visibility": {"bio": "friends"},
        },
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 422
    assert set(response.json()["extra"]["fields"]) == {"time_zone", "languages", "visibility"}
    assert Profile.objects.get(user=user).bio == ""


def test_adding_and_removing_my_skill(client: Client, user: User) -> None:
    added = client.post(
        "/api/v1/people/me/skills",
        {"name": "Fundraising", "proficiency": 3},
        content_type="application/json",
        headers=bearer(user),
    )
    skill_id = added.json()["skills"][0]["skill_id"]

    removed = client.delete(f"/api/v1/people/me/skills/{skill_id}", headers=bearer(user))

    assert added.status_code == 200
    assert removed.json()["skills"] == []


def test_an_unknown_person_answers_404(client: Client, user: User) -> None:
    response = client.get("/api/v1/people/999999", headers=bearer(user))

    assert response.status_code == 404
    assert response.json()["message"] == "No such person."


def test_a_manager_loop_is_refused_in_the_api(client: Client, admin_user: User) -> None:
    ceo, vp = UserFactory(), UserFactory()
    Profile.objects.filter(user=vp).update(manager=ceo)

    response = client.put(
        f"/api/v1/people/{ceo.pk}/organisation",
        {"manager_id": vp.pk},
        content_type="application/json",
        headers=bearer(admin_user),
    )

    assert response.status_code == 422
    assert "loop" in response.json()["extra"]["fields"]["manager"][0]
    assert Profile.objects.get(user=ceo).manager_id is None


def test_members_cannot_place_people_or_create_departments(
    client: Client, user: User, other_user: User
) -> None:
    placed = client.put(
        f"/api/v1/people/{other_user.pk}/organisation",
        {"job_title": "CEO"},
        content_type="application/json",
        headers=bearer(user),
    )
    created = client.post(
        "/api/v1/departments",
        {"name": "Shadow IT"},
        content_type="application/json",
        headers=bearer(user),
    )

    assert placed.status_code == 403
    assert created.status_code == 403
    assert not Department.objects.exists()


def test_administrators_create_departments(client: Client, admin_user: User) -> None:
    response = client.post(
        "/api/v1/departments",
        {"name": "CSR"},
        content_type="application/json",
        headers=bearer(admin_user),
    )

    assert response.status_code == 201
    assert response.json()["name"] == "CSR"


def test_merging_a_free_skill_keeps_the_higher_proficiency(
    client: Client, admin_user: User, user: User
) -> None:
    curated = Skill.objects.create(name="Impact measurement", is_curated=True)
    free = Skill.objects.create(name="Impact measurment")
    ProfileSkill.objects.create(profile=user.profile, skill=curated, proficiency=2)
    ProfileSkill.objects.create(profile=user.profile, skill=free, proficiency=4)

    response = client.post(
        f"/api/v1/skills/{free.pk}/merge",
        {"into_id": curated.pk},
        content_type="application/json",
        headers=bearer(admin_user),
    )

    assert response.status_code == 200
    assert not Skill.objects.filter(pk=free.pk).exists()
    assert ProfileSkill.objects.get(profile=user.profile).proficiency == 4
    assert AuditEvent.objects.filter(action="skill.merged").exists()


def test_members_cannot_merge_skills(client: Client, user: User) -> None:
    first, second = Skill.objects.create(name="A"), Skill.objects.create(name="B")

    response = client.post(
        f"/api/v1/skills/{first.pk}/merge",
        {"into_id": second.pk},
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 403
    assert Skill.objects.count() == 2


def test_roles_are_granted_through_the_api_and_audited(
    client: Client, admin_user: User, user: User
) -> None:
    response = client.post(
        f"/api/v1/roles/{user.pk}",
        {"role": "programme_manager", "action": "grant"},
        content_type="application/json",
        headers=bearer(admin_user),
    )

    assert response.json() == {"user_id": user.pk, "roles": ["programme_manager"]}
    assert AuditEvent.objects.filter(action="role.granted").count() == 1


def test_members_cannot_read_or_change_roles(client: Client, user: User, other_user: User) -> None:
    assert client.get(f"/api/v1/roles/{other_user.pk}", headers=bearer(user)).status_code == 403
    response = client.post(
        f"/api/v1/roles/{user.pk}",
        {"role": "administrator", "action": "grant"},
        content_type="application/json",
        headers=bearer(user),
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_superuser


def test_reference_lists_are_readable(client: Client, user: User) -> None:
    causes = client.get("/api/v1/cause-areas", headers=bearer(user)).json()

    assert len(causes) == 17
    assert causes[12] == {"id": causes[12]["id"], "name": "Climate Action", "sdg_number": 13}


@pytest.mark.parametrize(
    "body",
    [{"open_to_mentor": 0}, {"open_to_be_mentored": "yes"}, {"mentoring_hours_per_month": False}],
)
def test_profile_flags_and_hours_take_their_json_types_only(
    client: Client, user: User, body: dict[str, object]
) -> None:
    response = client.patch(
        "/api/v1/people/me", body, content_type="application/json", headers=bearer(user)
    )

    assert response.status_code == 422
    assert set(body) <= set(response.json()["extra"]["fields"])


def test_an_unknown_visibility_group_is_a_field_error(client: Client, user: User) -> None:
    response = client.patch(
        "/api/v1/people/me",
        {"visibility": {"shoe_size": "private"}},
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 422
    assert "visibility" in response.json()["extra"]["fields"]


def test_a_too_long_query_answers_422_with_the_limit(client: Client, user: User) -> None:
    response = client.get("/api/v1/people", {"q": "x" * 3000}, headers=bearer(user))

    assert response.status_code == 422
    assert "at most 200 characters" in response.content.decode()


def test_an_unknown_filter_id_answers_422(
    client: Client, user: User, impact_measurement: Skill
) -> None:
    make_person("ben@example.com", first_name="Ben", last_name="Okafor", skill=impact_measurement)

    response = client.get("/api/v1/people", {"skill": 99999}, headers=bearer(user))

    assert response.status_code == 422
    assert "No such skill" in response.content.decode()
    assert "Ben Okafor" not in response.content.decode()


def test_the_directory_api_shows_no_colleague_email_as_no_page_does(
    client: Client, user: User, admin_user: User
) -> None:
    make_person("ben@example.com", first_name="Ben", last_name="Okafor")

    for viewer in (user, admin_user):  # no page shows administrators a colleague's address
        body = client.get("/api/v1/people", headers=bearer(viewer)).json()
        emails = {row["person"]["name"]: row["person"]["email"] for row in body["items"]}

        assert emails["Ben Okafor"] is None
        assert emails[viewer.display_name] == viewer.email  # one's own address stays


def test_a_colleague_profile_in_the_api_has_no_email(
    client: Client, user: User, admin_user: User
) -> None:
    ben = make_person("ben@example.com", first_name="Ben", last_name="Okafor")

    for viewer in (user, admin_user):
        body = client.get(f"/api/v1/people/{ben.pk}", headers=bearer(viewer)).json()

        assert body["email"] is None
        assert "ben@example.com" not in str(body)
    assert client.get("/api/v1/people/me", headers=bearer(user)).json()["email"] == user.email
